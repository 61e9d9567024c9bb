// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.Timeouts;
import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.WintunLibrary;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * The packet path of a Wintun session: packets are copied straight between the caller's buffer and the
 * session's rings ({@code WintunReceivePacket}/{@code WintunReleaseReceivePacket},
 * {@code WintunAllocateSendPacket}/{@code WintunSendPacket}), one copy each way and no allocation.
 *
 * <p>A reader on a platform thread finding the ring empty waits on the session's read event and this channel's
 * own close event together, in slices of at most 100 ms so that an interrupt is seen; one on a virtual thread
 * parks until the read event is signalled (see {@link WindowsChannel}). A write finding the send ring full
 * drops the packet and counts it ({@link #droppedWrites()}), as Wintun's own users do: a ring has no
 * write-readiness event to wait on. {@code ERROR_HANDLE_EOF} means the adapter is being removed.
 *
 * <p>Closing sets the close event (a blocked reader wakes) and unparks a parked one, waits for the reader and the
 * writer to leave, takes the read event out of the parking's waits (Wintun closes it with the session), and only
 * then ends the session (Wintun forbids ending a session under a running call) and closes the
 * adapter handle; an adapter this object created goes away with it. The session's read event belongs to
 * Wintun and is never closed here.
 */
final class WintunChannel extends WindowsChannel {
    /** How long one wait of a platform thread blocks before the interrupt status is looked at again. */
    private static final int SLICE_MILLIS = 100;

    private final WintunLibrary wintun;
    private final Kernel32Io k32;
    private final long adapter;
    private final long session;
    private final long closeEvent;
    private final Runnable onRemoved;
    /** [read packet size: 4][pad 4][wait handles: read event, close event] */
    private final Memory control;
    private final long base;
    private final LongAdder dropped = new LongAdder();
    /** Pointers moved to each packet's ring address (never allocated per packet). */
    private final Pointer readCursor = new Pointer(0);
    private final Pointer writeCursor = new Pointer(0);
    /** For read-only heap buffers, which have no array. */
    private final Memory scratch = new Memory(WintunLibrary.MAX_IP_PACKET_SIZE);
    private final ByteBuffer scratchView = scratch.getByteBuffer(0, WintunLibrary.MAX_IP_PACKET_SIZE);
    private ByteBuffer lastRead;
    private long lastReadAddress;
    private ByteBuffer lastWrite;
    private long lastWriteAddress;
    /** The session's read event as virtual-thread readers park on it; null on a JDK without virtual threads. */
    private final EventParking.Watch readWatch;

    private WintunChannel(WintunLibrary wintun, Kernel32Io k32, long adapter, long session, long closeEvent,
            Memory control, String deviceName, Runnable onRemoved) {
        super(deviceName);
        this.wintun = wintun;
        this.k32 = k32;
        this.adapter = adapter;
        this.session = session;
        this.closeEvent = closeEvent;
        this.control = control;
        this.base = Pointer.nativeValue(control);
        this.onRemoved = onRemoved;
        long readEvent = wintun.WintunGetReadWaitEvent(session);
        control.setLong(8, readEvent);
        control.setLong(16, closeEvent);
        EventParking parking = EventParking.of(k32);
        this.readWatch = parking == null ? null : parking.watch(readEvent);
    }

    /**
     * Starts a session of {@code capacity} bytes per ring on {@code adapter} and takes ownership of both. On
     * failure, closes the adapter handle and frees whatever it made.
     */
    static WintunChannel open(WintunLibrary wintun, Kernel32Io k32, long adapter, int capacity, String deviceName,
            Runnable onRemoved) throws TunTapException {
        long session = 0;
        long closeEvent = 0;
        Memory control = null;
        try {
            session = wintun.WintunStartSession(adapter, capacity);
            if (session == 0) {
                int error = wintun.GetLastError();
                throw WinErrors.of("WintunStartSession(" + deviceName + ", " + capacity + ")", error,
                        error == WinErrors.ERROR_ALREADY_EXISTS || error == WinErrors.ERROR_BUSY
                                ? "another program has a session on this adapter (Wintun allows one)"
                                : "cannot start a session on " + deviceName);
            }
            closeEvent = k32.CreateEvent(true, false);
            if (closeEvent == 0) {
                throw WinErrors.ofCommon("CreateEvent", k32.GetLastError(), "cannot create the event that lets "
                        + "close() wake a reader");
            }
            control = NativeMemory.allocate(32);
            return new WintunChannel(wintun, k32, adapter, session, closeEvent, control, deviceName, onRemoved);
        } catch (TunTapException | RuntimeException | Error e) {
            if (closeEvent != 0) {
                k32.CloseHandle(closeEvent);
            }
            NativeMemory.free(control);
            if (session != 0) {
                wintun.WintunEndSession(session);
            }
            wintun.WintunCloseAdapter(adapter);
            throw e;
        }
    }

    /** Packets a write dropped because the send ring was full. */
    long droppedWrites() {
        return dropped.sum();
    }

    @Override
    int receive(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        long deadline = 0;
        while (true) {
            throwIfClosed();
            long packet = wintun.WintunReceivePacket(session, base);
            if (packet != 0) {
                return deliver(dst, packet, control.getInt(0));
            }
            int error = wintun.GetLastError();
            if (error != WinErrors.ERROR_NO_MORE_ITEMS) {
                throw ringError("WintunReceivePacket", error);
            }
            if (timeoutNanos == 0) {
                return 0;
            }
            if (deadline == 0 && timeoutNanos > 0) {
                deadline = System.nanoTime() + timeoutNanos;
            }
            int wait = Timeouts.pollSlice(deadline, timeoutNanos < 0, SLICE_MILLIS);
            if (wait < 0) {
                return 0;
            }
            if (parks(readWatch)) {
                parkForData(readWatch, k32, base + 8, deadline, timeoutNanos < 0, "the device is still open");
            } else {
                waitedForData(k32.WaitForMultipleObjects(2, base + 8, false, wait), k32, "the device is still open");
            }
        }
    }

    private int deliver(ByteBuffer dst, long packet, int size) throws PacketTooLargeException {
        try {
            int position = dst.position();
            int room = dst.limit() - position;
            if (size > room) {
                throw ErrorMessages.readTooLarge(deviceName, size, room, 0, 65535);
            }
            if (dst.isDirect()) {
                k32.RtlMoveMemory(address(dst, true) + position, packet, size);
            } else if (dst.hasArray()) {
                Pointer.nativeValue(readCursor, packet);
                readCursor.read(0, dst.array(), dst.arrayOffset() + position, size);
            } else {
                k32.RtlMoveMemory(Pointer.nativeValue(scratch), packet, size);
                dst.put(position, scratchView, 0, size);
            }
            dst.position(position + size);
            return size;
        } finally {
            wintun.WintunReleaseReceivePacket(session, packet);
        }
    }

    /** The native address of a direct buffer, cached per side: a buffer reused costs nothing. */
    private long address(ByteBuffer b, boolean read) {
        if (read) {
            if (b != lastRead) {
                lastReadAddress = Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(b));
                lastRead = b;
            }
            return lastReadAddress;
        }
        if (b != lastWrite) {
            lastWriteAddress = Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(b));
            lastWrite = b;
        }
        return lastWriteAddress;
    }

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        gate.enterWrite();
        try {
            int position = src.position();
            int length = WriteChecks.check(src, deviceName, true, WintunLibrary.MAX_IP_PACKET_SIZE, "a Wintun ring");
            long packet = wintun.WintunAllocateSendPacket(session, length);
            if (packet == 0) {
                int error = wintun.GetLastError();
                if (error == WinErrors.ERROR_BUFFER_OVERFLOW) {
                    dropped.increment(); // ring full: dropped and counted, as a congested link drops
                    src.position(position + length);
                    return length;
                }
                throw ringError("WintunAllocateSendPacket", error);
            }
            if (src.isDirect()) {
                k32.RtlMoveMemory(packet, address(src, false) + position, length);
            } else if (src.hasArray()) {
                Pointer.nativeValue(writeCursor, packet);
                writeCursor.write(0, src.array(), src.arrayOffset() + position, length);
            } else {
                synchronized (scratch) {
                    scratchView.put(0, src, position, length);
                    k32.RtlMoveMemory(packet, Pointer.nativeValue(scratch), length);
                }
            }
            wintun.WintunSendPacket(session, packet);
            src.position(position + length);
            return length;
        } finally {
            gate.exitWrite();
        }
    }

    private TunTapException ringError(String call, int error) {
        if (!gate.isOpen()) {
            return gate.closedException(call);
        }
        if (error == WinErrors.ERROR_HANDLE_EOF) {
            onRemoved.run();
            return WinErrors.of(call + " on " + deviceName, error, "the adapter is being removed (disabled, "
                    + "uninstalled, or its driver stopped); close this device and open a new one");
        }
        return WinErrors.of(call + "(" + deviceName + ")", error, error == WinErrors.ERROR_INVALID_DATA
                ? "the session's ring is corrupt; close the device and open it again" : "unexpected failure of the session");
    }

    @Override
    public void close() {
        gate.close(() -> {
            wakeReaders(k32, closeEvent, readWatch);
        }, () -> {
            if (readWatch != null) {
                readWatch.remove(); // WintunEndSession closes the read event: no parking wait on it from here on
            }
            wintun.WintunEndSession(session);
            wintun.WintunCloseAdapter(adapter);
            k32.CloseHandle(closeEvent);
            NativeMemory.free(control);
            scratch.close();
        });
    }
}
