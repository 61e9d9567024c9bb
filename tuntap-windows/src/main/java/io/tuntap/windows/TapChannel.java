// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceMode;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.Overlapped;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The packet path of a tap-windows6 handle: overlapped {@code ReadFile}/{@code WriteFile} in native memory
 * that this object owns for its whole life, and the device's control codes.
 *
 * <p>Reading: one read is always posted, into one of two buffers; when it completes, the next read is posted
 * into the other buffer before the packet is copied out, so that the driver always has a read to complete a
 * packet into (tap-windows6 keeps packets only in a short queue while no read is pending). A reader on a
 * platform thread waits on the read's event and this channel's close event together, in slices of at most 100 ms
 * so that an interrupt is seen; a reader on a virtual thread parks until the read's event is signalled (its
 * overlapped read completed), see {@link WindowsChannel}. Neither a timeout nor an interrupt cancels the posted
 * read: its packet is kept for the next call.
 *
 * <p>Writing copies the packet into the write buffer, posts {@code WriteFile} and waits for its completion.
 *
 * <p>Closing sets the close event (a blocked reader wakes and throws {@link DeviceClosedException}) and unparks a
 * parked one, cancels every operation of the handle with {@code CancelIoEx}, waits for the reader and writer to
 * leave, takes the read event out of the parking's waits, waits for the posted read to complete (cancelled, or
 * with a packet that is then discarded), and only then closes the handle and frees the memory the driver could
 * still have written to.
 *
 * <p>No allocation per packet: buffers, {@code OVERLAPPED}s, byte counters and wait-handle arrays are all
 * allocated once, here.
 *
 * <p>Longer than 400 lines on purpose: the posted read, the write and close share the overlapped structures,
 * events and buffers, and close is correct only because it knows every one of them (the order above), so the
 * life cycle of that native memory stays in one class.
 */
final class TapChannel extends WindowsChannel {
    /**
     * Room for any frame: tap-windows6's registry MTU may be up to 65536, plus an Ethernet header with a VLAN
     * tag; a read buffer smaller than the frame would make the driver drop it.
     */
    static final int BUFFER_SIZE = 65536 + 64;
    private static final int SLICE_MILLIS = 100;
    private static final String STILL_OPEN = "the device is still open and its read stays posted";

    // Control memory: [read OVERLAPPED][write OVERLAPPED][ioctl OVERLAPPED][read bytes][write bytes]
    // [ioctl bytes][pad][read wait handles: read event, close event][ioctl in/out buffer 64]
    private static final int READ_OVL = 0;
    private static final int WRITE_OVL = Overlapped.SIZE;
    private static final int IOCTL_OVL = 2 * Overlapped.SIZE;
    private static final int READ_BYTES = 3 * Overlapped.SIZE;
    private static final int WRITE_BYTES = READ_BYTES + 4;
    private static final int IOCTL_BYTES = READ_BYTES + 8;
    private static final int READ_WAIT = READ_BYTES + 16;
    private static final int IOCTL_BUFFER = READ_WAIT + 16;
    static final int IOCTL_BUFFER_SIZE = 64;
    private static final int CONTROL_SIZE = IOCTL_BUFFER + IOCTL_BUFFER_SIZE;

    private final Kernel32Io k32;
    private final long handle;
    private final String path;
    private final DeviceMode mode;
    private final long readEvent;
    private final long writeEvent;
    private final long ioctlEvent;
    private final long closeEvent;
    private final Memory control;
    private final long base;
    private final Memory[] readBuffers = new Memory[2];
    private final ByteBuffer[] readViews = new ByteBuffer[2];
    private final Memory writeBuffer;
    private final ByteBuffer writeView;
    /** The read event as virtual-thread readers park on it; null on a JDK without virtual threads. */
    private final EventParking.Watch readWatch;

    private volatile boolean linkUp = true;

    // Reader state, touched by the reading thread (and by close once readers have left).
    private boolean readPosted;
    private int current;

    private TapChannel(Kernel32Io k32, long handle, String path, String deviceName, DeviceMode mode, long[] events,
            Memory control, Memory[] reads, Memory write) {
        super(deviceName);
        this.k32 = k32;
        this.handle = handle;
        this.path = path;
        this.mode = mode;
        this.readEvent = events[0];
        this.writeEvent = events[1];
        this.ioctlEvent = events[2];
        this.closeEvent = events[3];
        this.control = control;
        this.base = Pointer.nativeValue(control);
        for (int i = 0; i < 2; i++) {
            readBuffers[i] = reads[i];
            readViews[i] = reads[i].getByteBuffer(0, BUFFER_SIZE).order(ByteOrder.BIG_ENDIAN);
        }
        this.writeBuffer = write;
        this.writeView = write.getByteBuffer(0, BUFFER_SIZE);
        control.setLong(READ_OVL + Overlapped.HEVENT, readEvent);
        control.setLong(WRITE_OVL + Overlapped.HEVENT, writeEvent);
        control.setLong(IOCTL_OVL + Overlapped.HEVENT, ioctlEvent);
        control.setLong(READ_WAIT, readEvent);
        control.setLong(READ_WAIT + 8, closeEvent);
        EventParking parking = EventParking.of(k32);
        this.readWatch = parking == null ? null : parking.watch(readEvent);
    }

    /**
     * Takes ownership of {@code handle} (opened for overlapped I/O) and allocates the events and memory. On
     * failure, closes the handle and frees whatever it allocated.
     */
    static TapChannel open(Kernel32Io k32, long handle, String path, String deviceName, DeviceMode mode)
            throws TunTapException {
        long[] events = new long[4];
        Memory control = null;
        Memory[] reads = new Memory[2];
        Memory write = null;
        try {
            for (int i = 0; i < events.length; i++) {
                events[i] = k32.CreateEvent(true, false);
                if (events[i] == 0) {
                    throw WinErrors.ofCommon("CreateEvent", k32.GetLastError(),
                            "cannot create the events that overlapped I/O on " + path + " needs");
                }
            }
            control = NativeMemory.allocate(CONTROL_SIZE);
            reads[0] = NativeMemory.allocate(BUFFER_SIZE);
            reads[1] = NativeMemory.allocate(BUFFER_SIZE);
            write = NativeMemory.allocate(BUFFER_SIZE);
            return new TapChannel(k32, handle, path, deviceName, mode, events, control, reads, write);
        } catch (TunTapException | RuntimeException | Error e) {
            for (long ev : events) {
                if (ev != 0) {
                    k32.CloseHandle(ev);
                }
            }
            NativeMemory.free(control);
            NativeMemory.free(reads[0]);
            NativeMemory.free(reads[1]);
            NativeMemory.free(write);
            k32.CloseHandle(handle);
            throw e;
        }
    }

    /** The device path this channel has open. */
    String path() {
        return path;
    }

    /** Whether writes are accepted: the media status the backend set, which the driver does not enforce. */
    void setLinkUp(boolean up) {
        this.linkUp = up;
    }

    boolean isLinkUp() {
        return linkUp;
    }

    // ---- control codes ----------------------------------------------------------------------------

    /**
     * Sends a control code with {@code in} (may be null) and returns the bytes the driver wrote to the
     * output, which is then in {@link #ioctlOutput()}. Serialised: one control request at a time. A reply
     * with output must fill all {@code outSize} bytes: the structures read from it have fixed sizes, and bytes
     * the driver did not report were not written.
     */
    synchronized int ioctl(int code, String codeName, byte[] in, int outSize) throws TunTapException {
        gate.enterWrite();
        try {
            long buffer = base + IOCTL_BUFFER;
            int inSize = in == null ? 0 : in.length;
            if (inSize > IOCTL_BUFFER_SIZE || outSize > IOCTL_BUFFER_SIZE) {
                throw new IllegalArgumentException("control payload too large: " + inSize + "/" + outSize);
            }
            // Only the control request's own fields: a read may be posted into the rest.
            control.setMemory(IOCTL_OVL, Overlapped.HEVENT, (byte) 0);
            control.setInt(IOCTL_BYTES, 0);
            control.setMemory(IOCTL_BUFFER, IOCTL_BUFFER_SIZE, (byte) 0);
            if (in != null) {
                control.write(IOCTL_BUFFER, in, 0, in.length);
            }
            String call = "DeviceIoControl(" + codeName + ") on " + path;
            boolean ok = k32.DeviceIoControl(handle, code, in == null ? 0 : buffer, inSize, outSize == 0 ? 0 : buffer,
                    outSize, base + IOCTL_BYTES, base + IOCTL_OVL);
            if (!ok) {
                int error = k32.GetLastError();
                if (error != WinErrors.ERROR_IO_PENDING) {
                    throw ioctlError(call, error);
                }
            }
            // Waited for even when it succeeded at once: the OVERLAPPED holds the byte count either way.
            if (!k32.GetOverlappedResult(handle, base + IOCTL_OVL, base + IOCTL_BYTES, true)) {
                throw ioctlError(call, k32.GetLastError());
            }
            int returned = control.getInt(IOCTL_BYTES);
            if (outSize > 0 && returned != outSize) {
                throw new TunTapException(call, 0, ErrorMessages.failed(call, "it returned " + returned + " bytes "
                        + "where its reply has " + outSize + ": the driver is not tap-windows6-compatible, or broken; "
                        + "use OpenVPN's tap-windows6 or the project's tuntap6"));
            }
            return returned;
        } finally {
            gate.exitWrite();
        }
    }

    private TunTapException ioctlError(String call, int error) {
        return WinErrors.of(call, error, switch (error) {
            case WinErrors.ERROR_INVALID_FUNCTION -> "the driver does not know this request; it is not a "
                    + "tap-windows6-compatible driver, or too old";
            case WinErrors.ERROR_INVALID_PARAMETER -> "the driver refused the request's values";
            case WinErrors.ERROR_GEN_FAILURE, WinErrors.ERROR_DEVICE_NOT_CONNECTED ->
                    "the adapter is disabled or being removed; enable it in Network Connections";
            default -> "unexpected failure of the driver";
        });
    }

    /** The control buffer, for {@link #ioctl}'s output. */
    Pointer ioctlOutput() {
        return control.share(IOCTL_BUFFER, IOCTL_BUFFER_SIZE);
    }

    // ---- reading ----------------------------------------------------------------------------------

    @Override
    int receive(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        long deadline = 0;
        while (true) {
            throwIfClosed();
            if (!readPosted) {
                post();
            }
            int wait;
            if (timeoutNanos == 0) {
                wait = 0;
            } else if (timeoutNanos < 0) {
                wait = SLICE_MILLIS;
            } else {
                if (deadline == 0) {
                    deadline = System.nanoTime() + timeoutNanos;
                }
                long left = deadline - System.nanoTime();
                wait = left <= 0 ? 0 : (int) Math.min(SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            }
            boolean data;
            if (wait > 0 && parks(readWatch)) {
                data = parkForData(readWatch, k32, base + READ_WAIT, deadline, timeoutNanos < 0, STILL_OPEN);
            } else {
                data = waitedForData(k32.WaitForMultipleObjects(2, base + READ_WAIT, false, wait), k32, STILL_OPEN);
            }
            if (data) {
                int n = complete();
                if (n > 0) {
                    return deliver(dst, n);
                }
            } else if (timeoutNanos == 0 || (timeoutNanos > 0 && System.nanoTime() - deadline >= 0)) {
                return 0;
            }
        }
    }

    /** Posts a read into the current buffer. */
    private void post() throws TunTapException {
        control.setLong(READ_OVL + Overlapped.INTERNAL, 0);
        control.setLong(READ_OVL + Overlapped.INTERNAL_HIGH, 0);
        control.setInt(READ_BYTES, 0);
        boolean ok = k32.ReadFile(handle, Pointer.nativeValue(readBuffers[current]), BUFFER_SIZE, base + READ_BYTES,
                base + READ_OVL);
        if (!ok) {
            int error = k32.GetLastError();
            if (error != WinErrors.ERROR_IO_PENDING) {
                // Completed at once with an error: nothing is posted.
                if (!gate.isOpen()) {
                    throw gate.closedException("read");
                }
                throw readFailure(error);
            }
        }
        // Completed at once or pending: the event is signalled on completion in both cases.
        readPosted = true;
    }

    /**
     * Collects the completed read: returns its length and posts the next read into the other buffer (so the
     * packet stays readable in {@link #current}'s previous buffer), or 0 if it carried nothing.
     */
    private int complete() throws TunTapException {
        boolean ok = k32.GetOverlappedResult(handle, base + READ_OVL, base + READ_BYTES, false);
        if (!ok) {
            int error = k32.GetLastError();
            if (error == WinErrors.ERROR_IO_INCOMPLETE) {
                return 0; // a spurious wake: still pending
            }
            readPosted = false;
            if (!gate.isOpen()) {
                throw gate.closedException("read");
            }
            if (error == WinErrors.ERROR_OPERATION_ABORTED) {
                return 0; // cancelled by someone else: post again
            }
            throw readFailure(error);
        }
        readPosted = false;
        int n = control.getInt(READ_BYTES);
        if (n <= 0) {
            return 0;
        }
        return n;
    }

    private int deliver(ByteBuffer dst, int n) throws TunTapException {
        int filled = current;
        current ^= 1;
        post(); // keep a read posted while this packet is copied out
        int position = dst.position();
        int room = dst.limit() - position;
        if (n > room) {
            throw ErrorMessages.readTooLarge(deviceName, n, room, 18, BUFFER_SIZE - 64);
        }
        dst.put(position, readViews[filled], 0, n);
        dst.position(position + n);
        return n;
    }

    private TunTapException readFailure(int error) {
        if (error == WinErrors.ERROR_MORE_DATA) {
            // The driver frees a frame larger than the read buffer and completes the read with 0 bytes.
            // A PacketTooLargeException has no error code of its own, so the message names the one ReadFile gave.
            return new PacketTooLargeException("ReadFile", BUFFER_SIZE + 1, BUFFER_SIZE, ErrorMessages.failed(
                    "ReadFile(" + path + ")", "ERROR_MORE_DATA: the driver had a frame larger than " + BUFFER_SIZE
                    + " bytes and dropped it; lower the adapter's MTU in its advanced properties"));
        }
        return readError(error);
    }

    private TunTapException readError(int error) {
        return WinErrors.of("ReadFile(" + path + ")", error, switch (error) {
            case WinErrors.ERROR_GEN_FAILURE, WinErrors.ERROR_DEVICE_NOT_CONNECTED, WinErrors.ERROR_DEVICE_REMOVED,
                    WinErrors.ERROR_HANDLE_EOF -> deviceName + " was disabled or removed while open";
            default -> "unexpected failure reading from " + deviceName;
        });
    }

    // ---- writing ----------------------------------------------------------------------------------

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        gate.enterWrite();
        try {
            int position = src.position();
            int length = WriteChecks.check(src, deviceName, mode == DeviceMode.TUN, BUFFER_SIZE, "the driver");
            if (!linkUp) {
                // tap-windows6 accepts and silently drops writes while disconnected; say so instead.
                throw new io.tuntap.LinkDownException("write", 0, ErrorMessages.failed("write to " + deviceName,
                        "its link (media status) is down; bring it up with setUp(true)"));
            }
            writeView.put(0, src, position, length);
            control.setLong(WRITE_OVL + Overlapped.INTERNAL, 0);
            control.setLong(WRITE_OVL + Overlapped.INTERNAL_HIGH, 0);
            boolean ok = k32.WriteFile(handle, Pointer.nativeValue(writeBuffer), length, base + WRITE_BYTES,
                    base + WRITE_OVL);
            if (!ok) {
                int error = k32.GetLastError();
                if (error != WinErrors.ERROR_IO_PENDING) {
                    throw writeError(error);
                }
            }
            if (!k32.GetOverlappedResult(handle, base + WRITE_OVL, base + WRITE_BYTES, true)) {
                throw writeError(k32.GetLastError());
            }
            src.position(position + length);
            return length;
        } finally {
            gate.exitWrite();
        }
    }

    private TunTapException writeError(int error) {
        if (!gate.isOpen()) {
            return gate.closedException("write");
        }
        return WinErrors.of("WriteFile(" + path + ")", error, switch (error) {
            case WinErrors.ERROR_GEN_FAILURE, WinErrors.ERROR_DEVICE_NOT_CONNECTED, WinErrors.ERROR_DEVICE_REMOVED ->
                    deviceName + " was disabled or removed while open";
            case WinErrors.ERROR_INVALID_PARAMETER, WinErrors.ERROR_INVALID_DATA -> "the driver refused the packet: "
                    + (mode == DeviceMode.TUN ? "a TUN device takes whole IPv4 or IPv6 packets"
                            : "a TAP device takes whole Ethernet frames");
            default -> "unexpected failure writing to " + deviceName;
        });
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    @Override
    public void close() {
        gate.close(() -> {
            wakeReaders(k32, closeEvent, readWatch);
            k32.CancelIoEx(handle, 0); // wakes a writer or control request waiting for completion
        }, () -> {
            if (readWatch != null) {
                readWatch.remove(); // no parking wait on the read event from here on, before it is closed
            }
            if (readPosted) {
                // The driver may still write into the read buffer until the cancelled read completes.
                k32.CancelIoEx(handle, base + READ_OVL);
                k32.GetOverlappedResult(handle, base + READ_OVL, base + READ_BYTES, true);
                readPosted = false;
            }
            k32.CloseHandle(handle);
            k32.CloseHandle(readEvent);
            k32.CloseHandle(writeEvent);
            k32.CloseHandle(ioctlEvent);
            k32.CloseHandle(closeEvent);
            NativeMemory.free(readBuffers[0]);
            NativeMemory.free(readBuffers[1]);
            NativeMemory.free(writeBuffer);
            NativeMemory.free(control);
        });
    }
}
