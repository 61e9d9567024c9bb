// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.TunTapException;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.Timeouts;
import io.tuntap.spi.VirtualThreads;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.locks.LockSupport;

/**
 * A non-blocking device fd that a thread can wait on and be woken from: {@code poll} on [device, wake-up
 * handle], where the wake-up handle is an eventfd (Linux) or the read end of a pipe (the BSDs, macOS and
 * illumos, which have no eventfd). {@link #wake()} makes the handle readable for good (it is never drained), so
 * every poll after it returns at once, and the waiter then finds its {@link CloseGate} closed.
 *
 * <p>Waits are sliced: no single {@code poll} blocks longer than {@value #INTERRUPT_CHECK_MILLIS} ms, and
 * between slices the waiting thread's interrupt status is checked, so that an interrupted thread leaves the
 * wait with {@link DeviceInterruptedException} while the device stays open.
 *
 * <p>Close ordering: the owner closes its {@link CloseGate} with {@link #wake()} as the wake-up step and
 * {@link #close()} (then the device fd) as the release step, so that neither fd is closed under a running
 * {@code poll}. The {@code struct pollfd} pairs live in native memory made once; nothing is allocated per
 * wait. One reader and one writer may wait at once (each has its own pair).
 *
 * <p>A virtual thread (Java 21 and later) does not wait in {@code poll}, which would pin its carrier thread for
 * as long: it arms the device fd with the process's {@link ParkingPoller} (its libc's,
 * {@link PosixLibC#parkingPoller()}) and parks until the poller reports the fd ready, its deadline passes, it is
 * interrupted ({@link Thread#interrupt()} unparks it) or {@link #wake()} unparks it. The outcomes are those of
 * the platform-thread wait, and nothing holds a monitor while it parks.
 */
public final class WakeablePoll {
    /** How long one poll may block before re-checking the thread's interrupt status. */
    public static final int INTERRUPT_CHECK_MILLIS = 100;
    /** A slice as long as poll's timeout can be: for a thread that is stopped through {@link #wake()} only. */
    public static final int NO_SLICE = Integer.MAX_VALUE;

    /** What a wait reports when it fails, in the owner's words. */
    public interface Failures {
        /**
         * The exception for a failed system call on the device.
         *
         * @param call the call, e.g. {@code "poll"}
         * @param errno the error it returned
         * @return the exception, built through the backend's error translator
         */
        TunTapException ioError(String call, int errno);

        /**
         * The exception for a thread interrupted while it waited, or before it began.
         *
         * @return the exception, with error code 0
         */
        DeviceInterruptedException interrupted();
    }

    // struct pollfd { int fd; short events; short revents; } and POLLIN 0x0001, POLLOUT 0x0004, the same in
    // torvalds/linux 2570a3719cd7 include/uapi/asm-generic/poll.h (POLLIN, POLLOUT, struct pollfd),
    // freebsd/freebsd-src 039ea811636f sys/sys/poll.h (the same names) and illumos/illumos-gate 0ceaf3833319
    // usr/src/uts/common/sys/poll.h (the same names).
    private static final int POLLFD_SIZE = 8;
    private static final short POLLIN = 0x1;
    private static final short POLLOUT = 0x4;
    // Native memory: [read pollfds 16][write pollfds 16][wake value 8].
    private static final int READ_POLL = 0;
    private static final int WRITE_POLL = 2 * POLLFD_SIZE;
    private static final int WAKE_VALUE = 4 * POLLFD_SIZE;
    private static final int SIZE = WAKE_VALUE + 8;

    static {
        // Timeouts is loaded and initialized here, on the thread that opens a device: virtual threads that met it
        // new in park() would load and initialize it, or wait for the one that does, pinned to their carriers.
        try {
            MethodHandles.lookup().ensureInitialized(Timeouts.class);
        } catch (IllegalAccessException e) {
            throw new AssertionError("a public class of an exported package", e);
        }
    }

    private final PosixLibC libc;
    private final int wakeRead;
    private final int wakeWrite;
    private final int wakeBytes;
    private final int eintr;
    private final CloseGate gate;
    private final Failures failures;
    private final Memory memory = new Memory(SIZE);
    private final long base = Pointer.nativeValue(memory);
    // The device fd's watch for virtual threads; null on a JDK without them (or a libc without a poller).
    private final Parking parking;

    /**
     * Waits on {@code fd} with the given wake-up handle. Takes ownership of the handle's fds, not of {@code fd}.
     *
     * @param fd the non-blocking device fd
     * @param wakeRead the fd polled for the wake-up: the eventfd, or the pipe's read end
     * @param wakeWrite the fd written to wake: the eventfd again, or the pipe's write end
     * @param wakeBytes what one wake-up writes: 8 (an eventfd's counter) or 1 (a byte into a pipe)
     * @param eintr the host's EINTR, after which a poll is simply made again
     * @param gate the owner's close gate, checked after every wake-up
     * @param failures the owner's exceptions
     */
    public WakeablePoll(PosixLibC libc, int fd, int wakeRead, int wakeWrite, int wakeBytes, int eintr,
            CloseGate gate, Failures failures) {
        this.libc = libc;
        this.wakeRead = wakeRead;
        this.wakeWrite = wakeWrite;
        this.wakeBytes = wakeBytes;
        this.eintr = eintr;
        this.gate = gate;
        this.failures = failures;
        memory.clear();
        memory.setInt(READ_POLL, fd);
        memory.setShort(READ_POLL + 4, POLLIN);
        memory.setInt(READ_POLL + POLLFD_SIZE, wakeRead);
        memory.setShort(READ_POLL + POLLFD_SIZE + 4, POLLIN);
        memory.setInt(WRITE_POLL, fd);
        memory.setShort(WRITE_POLL + 4, POLLOUT);
        memory.setInt(WRITE_POLL + POLLFD_SIZE, wakeRead);
        memory.setShort(WRITE_POLL + POLLFD_SIZE + 4, POLLIN);
        // 1 as a native-order 64-bit counter for an eventfd; its first byte is the byte written into a pipe
        // on little-endian hosts, and any byte wakes a pipe's reader.
        memory.setLong(WAKE_VALUE, 1L);
        ParkingPoller poller = VirtualThreads.exist() ? libc.parkingPoller() : null;
        this.parking = poller == null ? null : poller.watch(fd);
    }

    /**
     * Waits until the device is readable, the deadline passes, or the gate closes.
     *
     * @param deadline the {@link System#nanoTime()} to give up at; ignored with {@code forever}
     * @return true if the device may be readable, false if the deadline passed
     * @throws TunTapException the gate's closed exception, an interrupt, or a failed poll
     */
    public boolean awaitReadable(long deadline, boolean forever) throws TunTapException {
        return awaitReadable(deadline, forever, INTERRUPT_CHECK_MILLIS);
    }

    /**
     * {@link #awaitReadable(long, boolean)} with polls of at most {@code sliceMillis} each: a thread that nobody
     * interrupts (an event watcher, which {@link #wake()} stops) passes {@link #NO_SLICE} and wakes only when
     * there is something to do.
     */
    public boolean awaitReadable(long deadline, boolean forever, int sliceMillis) throws TunTapException {
        return await(READ_POLL, 2, deadline, forever, sliceMillis, "read");
    }

    /** Waits until the device takes a write, or the gate closes; as {@link #awaitReadable}. */
    public void awaitWritable() throws TunTapException {
        await(WRITE_POLL, 2, 0, true, INTERRUPT_CHECK_MILLIS, "write");
    }

    /**
     * Waits on the wake-up handle alone, at most {@code sliceMillis}: for a device that answers "not ready"
     * while poll calls it readable (NetBSD's tun before it has an address).
     *
     * @return false if the deadline passed
     */
    public boolean pause(long deadline, boolean forever, int sliceMillis) throws TunTapException {
        int wait = Timeouts.pollSlice(deadline, forever, sliceMillis);
        if (wait < 0) {
            return false;
        }
        if (parking != null && VirtualThreads.isVirtual(Thread.currentThread())) {
            // Parks for the slice; wake() unparks it.
            parking.waiter(Parking.READABLE, Thread.currentThread());
            try {
                afterWait("read");
                LockSupport.parkNanos(this, wait * 1_000_000L);
            } finally {
                parking.waiter(Parking.READABLE, null);
            }
        } else {
            libc.poll(base + READ_POLL + POLLFD_SIZE, 1, wait);
        }
        afterWait("read");
        return true;
    }

    private boolean await(int pollFds, int count, long deadline, boolean forever, int sliceMillis, String call)
            throws TunTapException {
        if (parking != null && VirtualThreads.isVirtual(Thread.currentThread())) {
            return park(pollFds == READ_POLL ? Parking.READABLE : Parking.WRITABLE, deadline, forever, call);
        }
        while (true) {
            int wait = Timeouts.pollSlice(deadline, forever, sliceMillis);
            if (wait < 0) {
                return false;
            }
            int ready = libc.poll(base + pollFds, count, wait);
            if (!gate.isOpen()) {
                throw gate.closedException(call);
            }
            if (ready > 0) {
                return true;
            }
            if (ready < 0) {
                int errno = libc.errno();
                if (errno != eintr) {
                    throw failures.ioError("poll", errno);
                }
            }
            checkInterrupted();
        }
    }

    /**
     * The virtual thread's wait: arms the fd for {@code bit} with the poller and parks, as often as it is
     * unparked without that bit ready (the other side's event, a spurious return), until the deadline.
     */
    private boolean park(int bit, long deadline, boolean forever, String call) throws TunTapException {
        parking.waiter(bit, Thread.currentThread());
        try {
            while (true) {
                int errno = parking.arm(bit);
                if (errno != 0) {
                    throw failures.ioError(parking.failedCall(), errno);
                }
                // After arming: a close from now on unparks this thread, one before is seen here.
                afterWait(call);
                if (!Timeouts.park(this, deadline, forever)) {
                    return false;
                }
                if (!gate.isOpen()) {
                    throw gate.closedException(call);
                }
                if (parking.takeFired(bit)) {
                    return true;
                }
                checkInterrupted();
            }
        } finally {
            parking.waiter(bit, null);
        }
    }

    private void afterWait(String call) throws TunTapException {
        if (!gate.isOpen()) {
            throw gate.closedException(call);
        }
        checkInterrupted();
    }

    /** Throws the owner's interrupted exception if the current thread is interrupted (its status stays set). */
    public void checkInterrupted() throws DeviceInterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw failures.interrupted();
        }
    }

    /** Wakes every waiter, now and later: the close gate's wake-up step. */
    public void wake() {
        libc.write(wakeWrite, base + WAKE_VALUE, wakeBytes);
        if (parking != null) {
            // Before the owner closes the device fd: the poller stops watching it, and parked threads wake.
            parking.remove();
        }
    }

    /** Closes the wake-up handle and frees the memory: part of the close gate's release step. */
    public void close() {
        libc.close(wakeRead);
        if (wakeWrite != wakeRead) {
            libc.close(wakeWrite);
        }
        memory.close();
    }
}
