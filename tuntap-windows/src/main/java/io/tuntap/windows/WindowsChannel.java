// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceInterruptedException;
import io.tuntap.PacketChannel;
import io.tuntap.TunTapException;
import io.tuntap.spi.BatchReads;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.Timeouts;
import io.tuntap.spi.VirtualThreads;
import io.tuntap.windows.win32.Kernel32Io;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;

/**
 * What the two Windows channels (tap-windows6's overlapped file, Wintun's rings) share: the read methods of
 * {@link PacketChannel} over one {@link #receive} each channel implements, the close gate, and the meaning of a
 * wait on [data event, close event]. A read on an interrupted thread fails at once, as on every backend.
 *
 * <p>A platform thread waits in {@code WaitForMultipleObjects} on [data event, close event], in slices. A virtual
 * thread (Java 21 and later) would pin its carrier there for as long, so it looks without blocking (a wait of 0
 * ms on the same two events) and, finding nothing, arms its channel's watch with the process's
 * {@link EventParking} and parks until the data event is signalled, its deadline passes, it is interrupted, or
 * close unparks it ({@link #parkForData}). The outcomes are those of the platform thread's wait.
 */
abstract class WindowsChannel implements PacketChannel {
    static {
        // Timeouts is loaded and initialized here, on the thread that opens a device: virtual threads that met it
        // new in parkForData would load and initialize it, or wait for the one that does, pinned to their carriers.
        try {
            MethodHandles.lookup().ensureInitialized(Timeouts.class);
        } catch (IllegalAccessException e) {
            throw new AssertionError("a public class of an exported package", e);
        }
    }

    /** The device, for messages. */
    final String deviceName;
    /** Keeps close from freeing what a running read or write uses. */
    final CloseGate gate;
    /** readPackets over the single read; used on the read side only. */
    private final BatchReads batches = new BatchReads(this::read);

    WindowsChannel(String deviceName) {
        this.deviceName = deviceName;
        this.gate = new CloseGate(deviceName);
    }

    @Override
    public final int read(ByteBuffer dst) throws TunTapException {
        batches.throwDeferred();
        return read(dst, -1L);
    }

    @Override
    public final int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        batches.throwDeferred();
        return read(dst, Timeouts.waitNanos(timeout));
    }

    /** The packets waiting, with a failure after the first kept for the next read (the interface's contract). */
    @Override
    public final int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        return batches.readPackets(dsts, count);
    }

    @Override
    public final boolean isOpen() {
        return gate.isOpen();
    }

    private int read(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        gate.enterRead();
        try {
            if (Thread.currentThread().isInterrupted()) {
                throw new DeviceInterruptedException("read", 0, ErrorMessages.failed("read on " + deviceName,
                        "the thread was interrupted before the read; the device is still open"));
            }
            return receive(dst, timeoutNanos);
        } finally {
            gate.exitRead();
        }
    }

    /**
     * One read, inside the close gate: waits for a packet and copies it into {@code dst}.
     *
     * @param timeoutNanos how long to wait: 0 not at all, negative for ever
     * @return the packet's length, or 0 if none came in time
     * @throws TunTapException as {@link PacketChannel#read(ByteBuffer, Duration)} says
     */
    abstract int receive(ByteBuffer dst, long timeoutNanos) throws TunTapException;

    /** Throws if the channel was closed: a reader checks between waits. */
    final void throwIfClosed() throws TunTapException {
        if (!gate.isOpen()) {
            throw gate.closedException("read");
        }
    }

    /** True if the calling thread is to park on {@code watch} rather than wait natively (a virtual thread). */
    static boolean parks(EventParking.Watch watch) {
        return watch != null && VirtualThreads.isVirtual(Thread.currentThread());
    }

    /**
     * The close gate's first wake-up step on both backends: the close event ends a platform thread's wait, and
     * the watch (null where virtual threads do not park) unparks a virtual thread's.
     */
    static void wakeReaders(Kernel32Io k32, long closeEvent, EventParking.Watch watch) {
        k32.SetEvent(closeEvent);
        if (watch != null) {
            watch.wakeWaiter();
        }
    }

    /**
     * The virtual thread's wait for the data event: a look that never blocks, then, if neither event is
     * signalled, arms {@code watch} and parks, as often as it is unparked without the event's signal (a spurious
     * return), until the deadline. Nothing is allocated.
     *
     * @param watch the channel's data event, watched
     * @param k32 for the look and for the error of a failed one
     * @param events the address of [data event, close event] (HANDLE[2])
     * @param deadline the {@link System#nanoTime()} to give up at; ignored with {@code forever}
     * @param forever true to wait with no deadline
     * @param stillOpen what stays as it was after an interrupt, as for {@link #waitedForData}
     * @return true if the data event was signalled, false if the deadline passed
     * @throws TunTapException if the channel was closed, the thread interrupted, or a wait failed
     */
    final boolean parkForData(EventParking.Watch watch, Kernel32Io k32, long events, long deadline, boolean forever,
            String stillOpen) throws TunTapException {
        watch.waiter(Thread.currentThread());
        try {
            while (true) {
                // Data already there, or the close event set, needs no parking (and reports a failed wait).
                int r = k32.WaitForMultipleObjects(2, events, false, 0);
                if (r != Kernel32Io.WAIT_TIMEOUT) {
                    return waitedForData(r, k32, stillOpen);
                }
                int error = watch.arm();
                if (error != 0) {
                    throw WinErrors.of(watch.failedCall() + " for a parked read on " + deviceName, error,
                            "cannot make the wait that lets a virtual thread park");
                }
                // Armed: a signal from now on unparks this thread, and so does close (the close gate's wake step).
                if (!Timeouts.park(this, deadline, forever)) {
                    return false;
                }
                throwIfClosed();
                if (watch.takeFired()) {
                    return true;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw interrupted(stillOpen);
                }
                if (!forever && deadline - System.nanoTime() <= 0) {
                    return false;
                }
            }
        } finally {
            watch.disarm();
        }
    }

    private DeviceInterruptedException interrupted(String stillOpen) {
        return new DeviceInterruptedException("WaitForMultipleObjects", 0, ErrorMessages.failed("read on "
                + deviceName, "the waiting thread was interrupted; " + stillOpen));
    }

    /**
     * What {@code WaitForMultipleObjects} on [data event, close event] returned, for a reader.
     *
     * @param r its return value
     * @param k32 for the error of a failed wait
     * @param stillOpen what stays as it was after an interrupt, e.g. {@code "the device is still open"}
     * @return true if the data event is set, false if the wait timed out
     * @throws TunTapException if the channel was closed, the thread interrupted, or the wait failed
     */
    final boolean waitedForData(int r, Kernel32Io k32, String stillOpen) throws TunTapException {
        if (r == Kernel32Io.WAIT_OBJECT_0) {
            return true;
        }
        if (r == Kernel32Io.WAIT_OBJECT_0 + 1) {
            throw gate.closedException("read");
        }
        if (r == Kernel32Io.WAIT_TIMEOUT) {
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(stillOpen);
            }
            return false;
        }
        throw WinErrors.of("WaitForMultipleObjects(" + deviceName + ")", k32.GetLastError(),
                "waiting for a packet failed");
    }
}
