// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Pointer;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.PacketChannel;
import io.tuntap.TunTapException;
import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.Overlapped;
import io.tuntap.windows.win32.TapIoctl;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kernel32 and one tap-windows6 adapter, in memory, behaving as tap0901 is documented to: one handle at a
 * time (a second {@code CreateFile} fails with {@code ERROR_GEN_FAILURE}); reads pend until a frame arrives
 * and are completed in order; a frame larger than the read buffer is dropped and the read fails with
 * {@code ERROR_MORE_DATA}; in TUN mode ({@code CONFIG_TUN}) the Ethernet header is stripped from frames to
 * the reader and added to packets written, and only IPv4 and IPv6 pass; writes complete at once and are
 * dropped while the media is disconnected ("lying send"); {@code GET_INFO} and unknown codes fail with
 * {@code ERROR_INVALID_FUNCTION}; {@code CONFIG_TUN} with network bits outside the mask fails with
 * {@code ERROR_INVALID_PARAMETER}; a cancelled read fails with {@code ERROR_OPERATION_ABORTED}.
 *
 * <p>The host's side is {@link #host()}: what it writes, the driver indicates to the reader; what it reads
 * are the frames the device wrote. The fake also checks its callers: an {@code OVERLAPPED} reused while its
 * operation is pending, a handle closed with an operation pending (the driver could still write into freed
 * memory), or an unknown handle, is recorded in {@link #violations()}.
 */
final class FakeTapDriver implements Kernel32Io {
    static final int STATUS_SUCCESS = 0;
    static final int STATUS_PENDING = 0x103;

    final String guidText;
    final MacAddress mac;
    final MacAddress peerMac;
    volatile int mtu = 1500;
    volatile int versionMajor = 9;
    volatile int versionMinor = 27;
    /** Error for the next CreateFile of the adapter's path, 0 for none. */
    volatile int failOpenWith;
    /** Control codes that fail with this error (code → error). */
    final Map<Integer, Integer> failIoctl = new HashMap<>();
    /** Control codes whose reply reports fewer bytes than the structure has, as a broken driver might. */
    final Map<Integer, Integer> shortIoctl = new HashMap<>();
    /** Fail CreateEvent after this many successes (-1: never). */
    volatile int createEventsLeft = -1;
    final List<String> violations = new ArrayList<>();
    /** Told when the media status changes, as NDIS tells the IP stack. */
    volatile Runnable mediaListener;
    final List<Integer> ioctls = new ArrayList<>();

    private final Object lock = new Object();
    private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);
    private long nextHandle = 0x1000;
    private final Map<Long, Object> handles = new HashMap<>();
    private final ArrayDeque<byte[]> toReader = new ArrayDeque<>();
    private final ArrayDeque<byte[]> toHost = new ArrayDeque<>();
    private final ArrayDeque<Op> pendingReads = new ArrayDeque<>();
    private final Map<Long, Op> ops = new HashMap<>();
    private boolean mediaConnected;
    private boolean tunMode;
    private int droppedToReader;
    private int hostClosedCount;

    private static final class Event {
        boolean signalled;
        /** An auto-reset event: a wait it satisfies makes it unsignalled again. */
        boolean autoReset;
    }

    /** How many waits are pending on each handle: closing one of them is a misuse (see WaitForMultipleObjects). */
    private final Map<Long, Integer> waitedOn = new HashMap<>();

    private static final class File {
        boolean closed;
    }

    private static final class Op {
        final long overlapped;
        final long file;
        final long buffer;
        final int size;
        boolean done;
        int error;
        int bytes;

        Op(long file, long overlapped, long buffer, int size) {
            this.file = file;
            this.overlapped = overlapped;
            this.buffer = buffer;
            this.size = size;
        }
    }

    FakeTapDriver(String guidText, MacAddress mac) {
        this.guidText = guidText;
        this.mac = mac;
        byte[] b = mac.toByteArray();
        b[5] = (byte) (b[5] + 1);
        this.peerMac = MacAddress.of(b);
    }

    String path() {
        return TapIoctl.devicePath(guidText);
    }

    List<String> violations() {
        synchronized (lock) {
            return List.copyOf(violations);
        }
    }

    /** Handles still open: files and events. */
    int openHandles() {
        synchronized (lock) {
            return handles.size();
        }
    }

    boolean mediaConnected() {
        synchronized (lock) {
            return mediaConnected;
        }
    }

    int droppedToReader() {
        synchronized (lock) {
            return droppedToReader;
        }
    }

    private boolean fail(int error) {
        lastError.get()[0] = error;
        return false;
    }

    @Override
    public void RtlMoveMemory(long destination, long source, long length) {
        new Pointer(destination).write(0, new Pointer(source).getByteArray(0, (int) length), 0, (int) length);
    }

    @Override
    public int GetLastError() {
        return lastError.get()[0];
    }

    @Override
    public long CreateFile(String path, int access, int share, int disposition, int flags) {
        synchronized (lock) {
            if (!path.equals(path())) {
                fail(WinErrors.ERROR_FILE_NOT_FOUND);
                return INVALID_HANDLE_VALUE;
            }
            if (failOpenWith != 0) {
                fail(failOpenWith);
                return INVALID_HANDLE_VALUE;
            }
            if ((flags & FILE_FLAG_OVERLAPPED) == 0) {
                violations.add("CreateFile without FILE_FLAG_OVERLAPPED");
            }
            for (Object h : handles.values()) {
                if (h instanceof File f && !f.closed) {
                    fail(WinErrors.ERROR_GEN_FAILURE); // STATUS_UNSUCCESSFUL: tap-windows6 allows one open
                    return INVALID_HANDLE_VALUE;
                }
            }
            long h = nextHandle++;
            handles.put(h, new File());
            return h;
        }
    }

    @Override
    public boolean CloseHandle(long handle) {
        synchronized (lock) {
            Object o = handles.remove(handle);
            if (o == null) {
                violations.add("CloseHandle of unknown handle " + handle);
                return fail(WinErrors.ERROR_INVALID_HANDLE);
            }
            if (waitedOn.containsKey(handle)) {
                // "If one of these handles is closed while the wait is still pending, the function's behavior is
                // undefined" (learn.microsoft.com, "WaitForMultipleObjects function (synchapi.h)").
                violations.add("CloseHandle of a handle a wait is pending on");
            }
            if (o instanceof File f) {
                f.closed = true;
                for (Op op : ops.values()) {
                    if (op.file == handle && !op.done) {
                        violations.add("CloseHandle with an operation still pending on OVERLAPPED " + op.overlapped);
                    }
                }
                ops.values().removeIf(op -> op.file == handle);
                pendingReads.removeIf(op -> op.file == handle);
                boolean was = mediaConnected;
                mediaConnected = false; // the driver reports the cable unplugged when its handle closes
                if (was && mediaListener != null) {
                    mediaListener.run();
                }
                tunMode = false;
                toReader.clear();
            }
            lock.notifyAll();
            return true;
        }
    }

    @Override
    public long CreateEvent(boolean manualReset, boolean initialState) {
        synchronized (lock) {
            if (createEventsLeft == 0) {
                fail(WinErrors.ERROR_NOT_ENOUGH_MEMORY);
                return 0;
            }
            if (createEventsLeft > 0) {
                createEventsLeft--;
            }
            if (!manualReset) {
                violations.add("an auto-reset event for overlapped I/O");
            }
            return newEvent(!manualReset, initialState);
        }
    }

    private long newEvent(boolean autoReset, boolean initialState) {
        Event e = new Event();
        e.autoReset = autoReset;
        e.signalled = initialState;
        long h = nextHandle++;
        handles.put(h, e);
        return h;
    }

    /**
     * {@code CreateEventW(NULL, FALSE, FALSE, NULL)} for a component other than the library, which may use an
     * auto-reset event (Wintun's read event is one: WireGuard/wintun 005af4a9 {@code api/session.c},
     * {@code WintunStartSession}); the library's own overlapped I/O must not.
     */
    long createAutoResetEvent() {
        synchronized (lock) {
            return newEvent(true, false);
        }
    }

    private Event event(long h) {
        Object o = handles.get(h);
        if (o instanceof Event e) {
            return e;
        }
        violations.add("not an event: " + h);
        return null;
    }

    @Override
    public boolean SetEvent(long event) {
        synchronized (lock) {
            Event e = event(event);
            if (e == null) {
                return fail(WinErrors.ERROR_INVALID_HANDLE);
            }
            e.signalled = true;
            lock.notifyAll();
            return true;
        }
    }

    @Override
    public boolean ResetEvent(long event) {
        synchronized (lock) {
            Event e = event(event);
            if (e == null) {
                return fail(WinErrors.ERROR_INVALID_HANDLE);
            }
            e.signalled = false;
            return true;
        }
    }

    private File file(long h) {
        Object o = handles.get(h);
        return o instanceof File f ? f : null;
    }

    /** Starts an operation on {@code overlapped}: resets its event, as the I/O manager does. */
    private Op start(long file, long overlapped, long buffer, int size) {
        Op old = ops.get(overlapped);
        if (old != null && !old.done) {
            violations.add("OVERLAPPED " + overlapped + " reused while its operation is pending");
        }
        Op op = new Op(file, overlapped, buffer, size);
        ops.put(overlapped, op);
        Pointer ovl = new Pointer(overlapped);
        ovl.setLong(Overlapped.INTERNAL, STATUS_PENDING);
        ovl.setLong(Overlapped.INTERNAL_HIGH, 0);
        Event e = event(ovl.getLong(Overlapped.HEVENT));
        if (e != null) {
            e.signalled = false;
        }
        return op;
    }

    private void finish(Op op, int error, int bytes) {
        op.done = true;
        op.error = error;
        op.bytes = bytes;
        Pointer ovl = new Pointer(op.overlapped);
        ovl.setLong(Overlapped.INTERNAL, error == 0 ? STATUS_SUCCESS : 0xC0000001L);
        ovl.setLong(Overlapped.INTERNAL_HIGH, bytes);
        Event e = event(ovl.getLong(Overlapped.HEVENT));
        if (e != null) {
            e.signalled = true;
        }
        lock.notifyAll();
    }

    /** The synchronous-completion return of an overlapped call. */
    private boolean returned(Op op, long bytesOut) {
        if (!op.done) {
            return fail(WinErrors.ERROR_IO_PENDING);
        }
        if (op.error != 0) {
            return fail(op.error);
        }
        if (bytesOut != 0) {
            new Pointer(bytesOut).setInt(0, op.bytes);
        }
        return true;
    }

    @Override
    public boolean DeviceIoControl(long device, int code, long in, int inSize, long out, int outSize, long bytesReturned,
            long overlapped) {
        synchronized (lock) {
            if (file(device) == null) {
                return fail(WinErrors.ERROR_INVALID_HANDLE);
            }
            if (overlapped == 0) {
                violations.add("DeviceIoControl without OVERLAPPED on an overlapped handle");
            }
            ioctls.add(code);
            Op op = start(device, overlapped, out, outSize);
            Integer failure = failIoctl.get(code);
            if (failure != null) {
                finish(op, failure, 0);
                return returned(op, bytesReturned);
            }
            Pointer o = out == 0 ? null : new Pointer(out);
            Pointer i = in == 0 ? null : new Pointer(in);
            Integer reported = shortIoctl.get(code);
            if (reported != null) {
                o.write(0, new byte[reported], 0, reported);
                finish(op, 0, reported);
            } else if (code == TapIoctl.GET_MAC && outSize >= 6) {
                o.write(0, mac.toByteArray(), 0, 6);
                finish(op, 0, 6);
            } else if (code == TapIoctl.GET_VERSION && outSize >= 12) {
                o.setInt(0, versionMajor);
                o.setInt(4, versionMinor);
                o.setInt(8, 0);
                finish(op, 0, 12);
            } else if (code == TapIoctl.GET_MTU && outSize >= 4) {
                o.setInt(0, mtu);
                finish(op, 0, 4);
            } else if (code == TapIoctl.SET_MEDIA_STATUS && inSize >= 4) {
                boolean was = mediaConnected;
                mediaConnected = i.getInt(0) != 0;
                if (was != mediaConnected && mediaListener != null) {
                    mediaListener.run();
                }
                finish(op, 0, 1);
            } else if (code == TapIoctl.CONFIG_TUN && inSize >= 12) {
                byte[] p = i.getByteArray(0, 12);
                boolean ok = true;
                for (int k = 0; k < 4; k++) {
                    ok &= (p[4 + k] & p[8 + k]) == p[4 + k];
                }
                if (ok) {
                    tunMode = true;
                    finish(op, 0, 1);
                } else {
                    finish(op, WinErrors.ERROR_INVALID_PARAMETER, 0);
                }
            } else if (code == TapIoctl.CONFIG_POINT_TO_POINT && inSize >= 8) {
                tunMode = true;
                finish(op, 0, 1);
            } else if (code == TapIoctl.GET_MAC || code == TapIoctl.GET_VERSION || code == TapIoctl.GET_MTU) {
                finish(op, WinErrors.ERROR_INSUFFICIENT_BUFFER, 0);
            } else {
                finish(op, WinErrors.ERROR_INVALID_FUNCTION, 0); // GET_INFO included, as tap-windows6 does
            }
            return returned(op, bytesReturned);
        }
    }

    @Override
    public boolean ReadFile(long file, long buffer, int size, long bytesRead, long overlapped) {
        synchronized (lock) {
            if (file(file) == null) {
                return fail(WinErrors.ERROR_INVALID_HANDLE);
            }
            Op op = start(file, overlapped, buffer, size);
            if (!toReader.isEmpty()) {
                complete(op, toReader.pollFirst());
            } else {
                pendingReads.addLast(op);
            }
            return returned(op, bytesRead);
        }
    }

    private void complete(Op op, byte[] frame) {
        if (frame.length > op.size) {
            finish(op, WinErrors.ERROR_MORE_DATA, 0); // STATUS_BUFFER_OVERFLOW: the frame is dropped
            droppedToReader++;
            return;
        }
        new Pointer(op.buffer).write(0, frame, 0, frame.length);
        finish(op, 0, frame.length);
    }

    @Override
    public boolean WriteFile(long file, long buffer, int size, long bytesWritten, long overlapped) {
        synchronized (lock) {
            if (file(file) == null) {
                return fail(WinErrors.ERROR_INVALID_HANDLE);
            }
            Op op = start(file, overlapped, buffer, size);
            byte[] data = new Pointer(buffer).getByteArray(0, size);
            byte[] frame = data;
            if (tunMode) {
                int version = (data[0] & 0xff) >>> 4;
                if (version != 4 && version != 6) {
                    finish(op, 0, size); // dropped, reported as sent, as the driver does
                    return returned(op, bytesWritten);
                }
                frame = new byte[14 + size];
                System.arraycopy(mac.toByteArray(), 0, frame, 0, 6);
                System.arraycopy(peerMac.toByteArray(), 0, frame, 6, 6);
                frame[12] = (byte) (version == 4 ? 0x08 : 0x86);
                frame[13] = (byte) (version == 4 ? 0x00 : 0xDD);
                System.arraycopy(data, 0, frame, 14, size);
            }
            if (mediaConnected && toHost.size() < 1024) {
                toHost.addLast(frame);
            }
            finish(op, 0, size);
            return returned(op, bytesWritten);
        }
    }

    @Override
    public boolean GetOverlappedResult(long file, long overlapped, long bytesTransferred, boolean wait) {
        synchronized (lock) {
            Op op = ops.get(overlapped);
            if (op == null || op.file != file) {
                violations.add("GetOverlappedResult for an unknown OVERLAPPED");
                return fail(WinErrors.ERROR_INVALID_PARAMETER);
            }
            while (!op.done && wait) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    violations.add("GetOverlappedResult(wait) interrupted");
                    return fail(WinErrors.ERROR_OPERATION_ABORTED);
                }
            }
            if (!op.done) {
                return fail(WinErrors.ERROR_IO_INCOMPLETE);
            }
            new Pointer(bytesTransferred).setInt(0, op.bytes);
            return op.error == 0 || fail(op.error);
        }
    }

    /**
     * With a positive value, a cancelled read completes this many milliseconds after {@code CancelIoEx}, on
     * another thread, as a driver's cancel routine may: a caller that closes the handle or frees the memory
     * before the completion is then caught.
     */
    volatile int asyncCancelMillis;

    @Override
    public boolean CancelIoEx(long file, long overlapped) {
        synchronized (lock) {
            List<Op> cancelled = new ArrayList<>();
            for (Iterator<Op> it = pendingReads.iterator(); it.hasNext();) {
                Op op = it.next();
                if (op.file == file && (overlapped == 0 || op.overlapped == overlapped)) {
                    it.remove();
                    cancelled.add(op);
                }
            }
            int delay = asyncCancelMillis;
            if (delay <= 0) {
                cancelled.forEach(op -> finish(op, WinErrors.ERROR_OPERATION_ABORTED, 0));
            } else if (!cancelled.isEmpty()) {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    synchronized (lock) {
                        for (Op op : cancelled) {
                            if (!ops.containsValue(op)) {
                                violations.add("a cancelled read completed after its handle was closed");
                            } else {
                                finish(op, WinErrors.ERROR_OPERATION_ABORTED, 0);
                            }
                        }
                    }
                }, "fake-tap-cancel");
                t.setDaemon(true);
                t.start();
            }
            return !cancelled.isEmpty() || fail(WinErrors.ERROR_NOT_FOUND);
        }
    }

    @Override
    public int WaitForSingleObject(long handle, int millis) {
        synchronized (lock) {
            return waitFor(new long[] {handle}, millis);
        }
    }

    /**
     * As learn.microsoft.com, "WaitForMultipleObjects function (synchapi.h)", describes it, with
     * {@code bWaitAll} FALSE (the library never waits for all): 1 to {@code MAXIMUM_WAIT_OBJECTS} (64) handles, no
     * handle twice, else {@code WAIT_FAILED} with {@code ERROR_INVALID_PARAMETER} (wine-mirror/wine 79834c06
     * {@code dlls/kernelbase/sync.c}, {@code WaitForMultipleObjectsEx}, checks the count so); the lowest index of
     * the signalled handles wins, and only that object's state changes (an auto-reset event becomes unsignalled).
     * Like the real call it blocks its thread; a virtual thread waits in {@code Object.wait}, a native frame.
     */
    @Override
    public int WaitForMultipleObjects(int count, long handles, boolean waitAll, int millis) {
        if (waitAll) {
            throw new UnsupportedOperationException("waitAll");
        }
        if (count < 1 || count > 64) {
            synchronized (lock) {
                violations.add("WaitForMultipleObjects on " + count + " handles");
            }
            lastError.get()[0] = WinErrors.ERROR_INVALID_PARAMETER;
            return WAIT_FAILED;
        }
        long[] hs = new Pointer(handles).getLongArray(0, count);
        synchronized (lock) {
            return waitFor(hs, millis);
        }
    }

    private int waitFor(long[] hs, int millis) {
        for (int i = 0; i < hs.length; i++) {
            for (int j = 0; j < i; j++) {
                if (hs[i] == hs[j]) {
                    violations.add("WaitForMultipleObjects with the same handle twice");
                    lastError.get()[0] = WinErrors.ERROR_INVALID_PARAMETER;
                    return WAIT_FAILED;
                }
            }
        }
        for (long h : hs) {
            waitedOn.merge(h, 1, Integer::sum);
        }
        try {
            return waitSignalled(hs, millis);
        } finally {
            for (long h : hs) {
                waitedOn.computeIfPresent(h, (k, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    private int waitSignalled(long[] hs, int millis) {
        long deadline = System.nanoTime() + (millis == INFINITE ? Long.MAX_VALUE / 4 : millis * 1_000_000L);
        while (true) {
            for (int i = 0; i < hs.length; i++) {
                Event e = event(hs[i]);
                if (e == null) {
                    lastError.get()[0] = WinErrors.ERROR_INVALID_HANDLE;
                    return WAIT_FAILED;
                }
                if (e.signalled) {
                    if (e.autoReset) {
                        e.signalled = false;
                    }
                    return WAIT_OBJECT_0 + i;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return WAIT_TIMEOUT;
            }
            try {
                lock.wait(Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                // A Win32 wait is not interruptible; keep the status for the caller.
                Thread.currentThread().interrupt();
                return WAIT_TIMEOUT;
            }
        }
    }

    // ---- the host's side ----------------------------------------------------------------------------

    /** The host stack sends one Ethernet frame to the adapter (NDIS send). */
    void hostSend(byte[] frame) {
        synchronized (lock) {
            byte[] toUser = frame;
            if (tunMode) {
                int type = frame.length >= 14 ? ((frame[12] & 0xff) << 8) | (frame[13] & 0xff) : 0;
                if (type != 0x0800 && type != 0x86DD) {
                    return; // ARP is answered inside the driver in TUN mode; other types are dropped
                }
                toUser = java.util.Arrays.copyOfRange(frame, 14, frame.length);
            }
            Op op = pendingReads.pollFirst();
            if (op != null) {
                complete(op, toUser);
            } else if (toReader.size() < 64) { // PACKET_QUEUE_SIZE
                toReader.addLast(toUser);
            } else {
                droppedToReader++;
            }
        }
    }

    /** The next frame the device wrote, waiting at most {@code millis}; null if none. */
    byte[] hostReceive(long millis) {
        synchronized (lock) {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (toHost.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return toHost.pollFirst();
        }
    }

    /** The host side as a channel of Ethernet frames, for {@link io.tuntap.testkit.ChannelPeer}. */
    PacketChannel host() {
        return new PacketChannel() {
            @Override
            public int read(ByteBuffer dst) {
                return read(dst, Duration.ofDays(1));
            }

            @Override
            public int read(ByteBuffer dst, Duration timeout) {
                byte[] f = hostReceive(Math.max(0, timeout.toMillis()));
                if (f == null) {
                    return 0;
                }
                dst.put(f);
                return f.length;
            }

            @Override
            public int write(ByteBuffer src) throws TunTapException {
                byte[] f = new byte[src.remaining()];
                src.get(f);
                hostSend(f);
                return f.length;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
                synchronized (lock) {
                    hostClosedCount++;
                }
            }
        };
    }

    /** The mode the driver is in: TUN after CONFIG_TUN, else TAP. */
    DeviceMode driverMode() {
        synchronized (lock) {
            return tunMode ? DeviceMode.TUN : DeviceMode.TAP;
        }
    }

    /** Handles of any kind, for leak checks: files still open. */
    Set<Long> openFiles() {
        synchronized (lock) {
            Set<Long> s = new HashSet<>();
            handles.forEach((h, o) -> {
                if (o instanceof File) {
                    s.add(h);
                }
            });
            return s;
        }
    }
}
