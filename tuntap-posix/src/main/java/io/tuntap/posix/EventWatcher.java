// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.TunTapException;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.EventDispatcher;
import io.tuntap.spi.ErrorMessages;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * One run of a device's event thread, written once for every Unix backend: a thread that waits on a
 * notification socket (rtnetlink on Linux, a routing socket on the BSDs and illumos) through a
 * {@link WakeablePoll}, hands each readable moment to the backend's {@link Handler}, and ends when
 * {@link #stop()} wakes it.
 *
 * <p>The run owns the wake-up handle (an eventfd or a pipe) and closes it as the thread ends, together with
 * whatever the handler releases in {@link Handler#ended()}. The thread ends only through {@link #stop()} or a
 * failure; either way the close happens on the thread, under this object's lock, and {@link #stop()} wakes the
 * thread under the same lock only while the run has not ended: so no fd is written to or closed after the
 * thread let it go, and a listener running on the thread may stop it without waiting for itself.
 *
 * <p>A handler that can no longer listen (the interface is gone, the socket failed) says so, and the thread
 * then waits on the wake-up handle alone until it is stopped, so that its fds stay its own until then.
 */
public final class EventWatcher {
    private static final System.Logger LOG = System.getLogger("io.tuntap");

    /** What the backend does with the socket. Called on the event thread only. */
    public interface Handler {
        /**
         * The socket may be readable: read what is there and publish the events it gives.
         *
         * @param buffer the run's native read buffer, made once per run, of the size given to {@code start}
         * @param view a view of it in native order
         * @return false if the socket can tell no more (the interface is gone, the socket failed)
         * @throws TunTapException a failure that ends the run
         */
        boolean readable(long buffer, ByteBuffer view) throws TunTapException;

        /**
         * Nothing came for the idle period: check the state another way if the backend needs to. A watcher that
         * waits for ever never calls it.
         *
         * @return false if the socket can tell no more
         * @throws TunTapException a failure that ends the run
         */
        default boolean idle() throws TunTapException {
            return true;
        }

        /** The run ended (stopped or failed): release what the run holds, besides the wake-up handle. */
        void ended();
    }

    /**
     * A handler that reads a socket opened for the run (a routing socket): it keeps where the events go and
     * the link state last reported, and closes the socket as the run ends.
     */
    public abstract static class SocketHandler implements Handler {
        /** The calls the socket is read and closed through. */
        protected final PosixLibC libc;
        /** Where the events go. */
        protected final EventDispatcher dispatcher;
        /** The socket, the run's own. */
        protected final int socket;
        /** The link state and MTU last reported. */
        protected final LinkState link;

        /**
         * @param libc the calls the socket is read and closed through
         * @param dispatcher where the events go
         * @param socket the socket, which the handler owns from now on
         * @param link the link state when watching started
         */
        protected SocketHandler(PosixLibC libc, EventDispatcher dispatcher, int socket, LinkState link) {
            this.libc = libc;
            this.dispatcher = dispatcher;
            this.socket = socket;
            this.link = link;
        }

        /** Closes the socket. */
        @Override
        public void ended() {
            libc.close(socket);
        }
    }

    private final String name;
    private final int idleMillis;
    private final Handler handler;
    private final CloseGate gate;
    private final WakeablePoll poll;
    private final Thread thread;
    private final Memory buffer;
    private final ByteBuffer view;
    /** Guarded by this. */
    private boolean ended;

    private EventWatcher(IntFunction<TunTapException> pollFailure, PosixLibC libc, int fd, int wakeRead,
            int wakeWrite, int wakeBytes, int eintr, String name, int idleMillis, int bufferSize, Handler handler) {
        this.name = name;
        this.idleMillis = idleMillis;
        this.handler = handler;
        this.gate = new CloseGate("the event thread of " + name);
        WakeablePoll.Failures failures = new WakeablePoll.Failures() {
            @Override
            public TunTapException ioError(String call, int errno) {
                return pollFailure.apply(errno);
            }

            @Override
            public DeviceInterruptedException interrupted() {
                return new DeviceInterruptedException("poll", 0, ErrorMessages.failed("poll on the event socket of "
                        + name, "the event thread was interrupted"));
            }
        };
        this.poll = new WakeablePoll(libc, fd, wakeRead, wakeWrite, wakeBytes, eintr, gate, failures);
        this.buffer = new Memory(bufferSize);
        this.view = buffer.getByteBuffer(0, bufferSize).order(ByteOrder.nativeOrder());
        this.thread = new Thread(this::run, "tuntap-events-" + name);
        thread.setDaemon(true);
    }

    /**
     * Starts a thread that watches {@code fd}. Takes ownership of the wake-up handle, not of {@code fd}.
     *
     * @param wakeRead the fd polled for the wake-up: an eventfd, or a pipe's read end
     * @param wakeWrite the fd written to wake: the eventfd again, or the pipe's write end
     * @param wakeBytes what one wake-up writes: 8 for an eventfd, 1 for a pipe
     * @param eintr the host's EINTR
     * @param name the device, for the thread's name and messages
     * @param idleMillis how long to wait for a message before {@link Handler#idle()}; negative: for ever
     * @param bufferSize the size of the native buffer the handler reads messages into
     * @param pollFailure the backend's exception for a failed poll, from its errno
     * @return the running watcher
     */
    public static EventWatcher start(PosixLibC libc, int fd, int wakeRead, int wakeWrite, int wakeBytes, int eintr,
            String name, int idleMillis, int bufferSize, Handler handler, IntFunction<TunTapException> pollFailure) {
        EventWatcher watcher = new EventWatcher(pollFailure, libc, fd, wakeRead, wakeWrite, wakeBytes, eintr, name,
                idleMillis, bufferSize, handler);
        watcher.thread.start();
        return watcher;
    }

    /**
     * {@link #start} with a new pipe as the wake-up handle, for a system without eventfd: watches the
     * handler's socket, which it closes if the pipe cannot be made.
     *
     * @param eintr the host's EINTR
     * @param name the device, for the thread's name and messages
     * @param socketName the socket, for messages, e.g. {@code "PF_ROUTE"}
     * @param idleMillis how long to wait for a message before {@link Handler#idle()}; negative: for ever
     * @param bufferSize the size of the native buffer the handler reads messages into
     * @param handler what reads the socket
     * @param errors the backend's errno translator
     * @return the running watcher
     * @throws TunTapException if there is no pipe to be had (no fds left)
     */
    public static EventWatcher startOnPipe(int eintr, String name, String socketName, int idleMillis,
            int bufferSize, SocketHandler handler, PosixErrors errors) throws TunTapException {
        PosixLibC libc = handler.libc;
        int fd = handler.socket;
        int wakeRead;
        int wakeWrite;
        try (Memory fds = new Memory(8)) {
            if (libc.pipe(Pointer.nativeValue(fds)) < 0) {
                int errno = libc.errno();
                libc.close(fd);
                throw errors.ofCommon("pipe", errno, "cannot make the pipe that stops the event thread of " + name);
            }
            wakeRead = fds.getInt(0);
            wakeWrite = fds.getInt(4);
        }
        return start(libc, fd, wakeRead, wakeWrite, 1, eintr, name, idleMillis, bufferSize, handler,
                errno -> errors.ofCommon("poll(" + socketName + ")", errno, "the event thread of " + name
                        + " cannot wait for messages"));
    }

    private void run() {
        try {
            boolean listening = true;
            while (true) {
                if (!listening) {
                    poll.pause(0, true, WakeablePoll.NO_SLICE); // until stop() wakes it
                    continue;
                }
                boolean forever = idleMillis < 0;
                long deadline = forever ? 0 : System.nanoTime() + idleMillis * 1_000_000L;
                // No slices: nobody interrupts this thread, stop() wakes it, so it polls only when there is
                // a message, its idle time is up, or it is stopped.
                listening = poll.awaitReadable(deadline, forever, WakeablePoll.NO_SLICE)
                        ? handler.readable(Pointer.nativeValue(buffer), view) : handler.idle();
            }
        } catch (DeviceClosedException e) {
            // stop() closed the gate: the normal end.
        } catch (TunTapException | RuntimeException e) {
            LOG.log(Level.WARNING, "tuntap: events of " + name + " stopped: " + e.getMessage(), e);
        } finally {
            synchronized (this) {
                ended = true;
                try {
                    handler.ended();
                } finally {
                    poll.close();
                    buffer.close();
                }
            }
        }
    }

    /**
     * Stops the thread and waits for it to end, unless called on the thread itself (a listener), which then
     * ends as soon as the listener returns. Idempotent.
     */
    public void stop() {
        synchronized (this) {
            if (!ended) {
                // Nothing is registered in the gate: close only marks it closed and wakes the thread.
                gate.close(poll::wake, () -> { });
            }
        }
        if (thread == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the watcher in {@code slot}, if there is one, and empties the slot: a backend's {@code stop()}.
     *
     * @param slot where the backend keeps its running watcher
     */
    public static void stop(AtomicReference<EventWatcher> slot) {
        EventWatcher watcher = slot.getAndSet(null);
        if (watcher != null) {
            watcher.stop();
        }
    }
}
