// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.Overlapped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Kernel32Io} bound to the driver simulation: {@code CreateFile} is {@code tts_open},
 * {@code DeviceIoControl} {@code tts_ioctl}, {@code ReadFile}/{@code WriteFile} {@code tts_read}/
 * {@code tts_write} (one {@code tts_io} per {@code OVERLAPPED}), {@code GetOverlappedResult}
 * {@code tts_io_wait}, {@code CancelIoEx} {@code tts_io_cancel}, {@code CloseHandle} {@code tts_close}.
 * NTSTATUS values become Win32 error codes as {@code RtlNtStatusToDosError} maps them. Events live here:
 * an operation's event is signalled once its request is seen complete, which a wait finds by polling the
 * request ({@code tts_io_wait} with a short timeout) while it also watches plain events.
 *
 * <p>As strict as Windows is allowed to be: a read or write whose dispatch routine returned STATUS_PENDING
 * is reported as {@code ERROR_IO_PENDING} even if it has completed since ({@code tts_io_pended}); and every
 * {@link #pendEveryNthIoctl}-th control request is reported pending and completed a moment later from another
 * thread, its output copied to the caller's buffer and its {@code OVERLAPPED} filled in only then, as for a
 * driver that pends control requests (learn.microsoft.com, "DeviceIoControl function": with an
 * {@code OVERLAPPED}, an operation that "cannot be completed immediately" returns FALSE with
 * {@code ERROR_IO_PENDING}). A caller that reads the output or the byte count before the completion sees
 * what was there before.
 *
 * <p>Like the fake, it records misuse: a handle closed with a request pending, an {@code OVERLAPPED} reused
 * while pending.
 */
final class SimKernel32Io implements Kernel32Io {
    private static final int POLL_MILLIS = 2;

    private final TuntapSim.Machine machine;
    private final Object lock = new Object();
    private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);
    private final Map<Long, Object> handles = new HashMap<>();
    private final Map<Long, Op> ops = new HashMap<>();
    private final Map<Long, Op> opByEvent = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    /** Told of each control code once it completed (the IP Helper fake learns of media changes so). */
    volatile java.util.function.IntConsumer afterIoctl = code -> { };
    private long next = 0x2000;
    /** Every n-th control request completes later (0: none); the first never does. */
    volatile int pendEveryNthIoctl = 2;
    private int ioctls;
    /** While set, control requests reported pending stay pending until {@link #releaseCompletions}. */
    private boolean holdCompletions;
    private final List<Runnable> heldCompletions = new ArrayList<>();
    /** Control requests reported pending so far. */
    final java.util.concurrent.atomic.AtomicInteger pendedIoctls = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.ScheduledExecutorService COMPLETIONS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sim-io-completion");
                t.setDaemon(true);
                return t;
            });

    private static final class Event {
        boolean signalled;
    }

    private static final class SimFile {
        final long file;

        SimFile(long file) {
            this.file = file;
        }
    }

    private static final class Op {
        final long handle;
        final long overlapped;
        final long event;
        long io; // 0 once freed
        boolean deferred; // a control request the I/O manager completes later
        boolean done;
        int status;
        int information;

        Op(long handle, long overlapped, long event) {
            this.handle = handle;
            this.overlapped = overlapped;
            this.event = event;
        }
    }

    SimKernel32Io(TuntapSim.Machine machine) {
        this.machine = machine;
    }

    /**
     * {@code RtlNtStatusToDosError} for the statuses the driver returns, as wine's ntdll maps them
     * (wine-mirror/wine {@code dlls/ntdll/error.c}, tables {@code table_80000001} and {@code table_c0000001}; the
     * whole list with its sources is {@link SimKernel32IoStatusMapTest#RTL_NT_STATUS_TO_DOS_ERROR}).
     */
    static int win32(int status) {
        return switch (status) {
            case 0 -> 0;
            case 0x80000005 -> WinErrors.ERROR_MORE_DATA;            // STATUS_BUFFER_OVERFLOW
            case 0x80000011 -> WinErrors.ERROR_BUSY;                 // STATUS_DEVICE_BUSY
            case 0xC0000001 -> WinErrors.ERROR_GEN_FAILURE;          // STATUS_UNSUCCESSFUL
            case 0xC0000002 -> WinErrors.ERROR_INVALID_FUNCTION;     // STATUS_NOT_IMPLEMENTED
            case 0xC000000D -> WinErrors.ERROR_INVALID_PARAMETER;    // STATUS_INVALID_PARAMETER
            case 0xC0000010 -> WinErrors.ERROR_INVALID_FUNCTION;     // STATUS_INVALID_DEVICE_REQUEST
            case 0xC0000022 -> WinErrors.ERROR_ACCESS_DENIED;        // STATUS_ACCESS_DENIED
            case 0xC0000023 -> WinErrors.ERROR_INSUFFICIENT_BUFFER;  // STATUS_BUFFER_TOO_SMALL
            case 0xC0000034 -> WinErrors.ERROR_FILE_NOT_FOUND;       // STATUS_OBJECT_NAME_NOT_FOUND
            case 0xC0000043 -> WinErrors.ERROR_SHARING_VIOLATION;    // STATUS_SHARING_VIOLATION
            case 0xC000009A -> 1450;                                 // STATUS_INSUFFICIENT_RESOURCES
            case 0xC000009D -> WinErrors.ERROR_DEVICE_NOT_CONNECTED; // STATUS_DEVICE_NOT_CONNECTED
            case 0xC00000A3 -> WinErrors.ERROR_NOT_READY;            // STATUS_DEVICE_NOT_READY
            case 0xC00000BB -> WinErrors.ERROR_NOT_SUPPORTED;        // STATUS_NOT_SUPPORTED
            case 0xC0000120 -> WinErrors.ERROR_OPERATION_ABORTED;    // STATUS_CANCELLED
            case 0xC0000128 -> WinErrors.ERROR_INVALID_HANDLE;       // STATUS_FILE_CLOSED
            case 0xC0000184 -> WinErrors.ERROR_BAD_COMMAND;          // STATUS_INVALID_DEVICE_STATE
            case 0xC00002B6 -> WinErrors.ERROR_DEVICE_REMOVED;       // STATUS_DEVICE_REMOVED
            default -> 317;                                          // ERROR_MR_MID_NOT_FOUND: unmapped
        };
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

    List<String> violations() {
        synchronized (lock) {
            return List.copyOf(violations);
        }
    }

    int openHandles() {
        synchronized (lock) {
            return handles.size();
        }
    }

    @Override
    public long CreateFile(String path, int access, int share, int disposition, int flags) {
        try (Memory out = new Memory(8)) {
            out.setLong(0, 0);
            int status = TuntapSim.tts_open(machine.handle, path, Pointer.nativeValue(out));
            if (status != 0) {
                fail(win32(status));
                return INVALID_HANDLE_VALUE;
            }
            synchronized (lock) {
                long h = next++;
                handles.put(h, new SimFile(out.getLong(0)));
                return h;
            }
        }
    }

    @Override
    public boolean CloseHandle(long handle) {
        SimFile f;
        synchronized (lock) {
            Object o = handles.remove(handle);
            if (o == null) {
                violations.add("CloseHandle of an unknown handle");
                return fail(WinErrors.ERROR_INVALID_HANDLE);
            }
            if (!(o instanceof SimFile sf)) {
                opByEvent.remove(handle);
                lock.notifyAll();
                return true;
            }
            f = sf;
            for (Op op : new ArrayList<>(ops.values())) {
                if (op.handle == handle) {
                    if (!op.done && (op.io != 0 || op.deferred)) {
                        violations.add("CloseHandle with a request pending on OVERLAPPED " + op.overlapped);
                    }
                    freeIo(op);
                    ops.remove(op.overlapped);
                }
            }
        }
        TuntapSim.tts_close(f.file);
        return true;
    }

    private void freeIo(Op op) {
        if (op.io != 0) {
            TuntapSim.tts_io_free(op.io);
            op.io = 0;
        }
    }

    @Override
    public long CreateEvent(boolean manualReset, boolean initialState) {
        synchronized (lock) {
            Event e = new Event();
            e.signalled = initialState;
            long h = next++;
            handles.put(h, e);
            return h;
        }
    }

    @Override
    public boolean SetEvent(long event) {
        synchronized (lock) {
            if (!(handles.get(event) instanceof Event e)) {
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
            if (!(handles.get(event) instanceof Event e)) {
                return fail(WinErrors.ERROR_INVALID_HANDLE);
            }
            e.signalled = false;
            return true;
        }
    }

    private long file(long handle) {
        synchronized (lock) {
            return handles.get(handle) instanceof SimFile f ? f.file : 0;
        }
    }

    /** Records a new operation on {@code overlapped} and resets its event, as the I/O manager does. */
    private Op start(long handle, long overlapped) {
        Pointer ovl = new Pointer(overlapped);
        long event = ovl.getLong(Overlapped.HEVENT);
        synchronized (lock) {
            Op old = ops.get(overlapped);
            if (old != null && !old.done) {
                violations.add("OVERLAPPED reused while its request is pending");
            }
            if (old != null) {
                freeIo(old);
            }
            Op op = new Op(handle, overlapped, event);
            ops.put(overlapped, op);
            opByEvent.put(event, op);
            if (handles.get(event) instanceof Event e) {
                e.signalled = false;
            }
            ovl.setLong(Overlapped.INTERNAL, TuntapSim.STATUS_PENDING);
            ovl.setLong(Overlapped.INTERNAL_HIGH, 0);
            return op;
        }
    }

    /** Marks {@code op} complete with the request's outcome; frees the request. Holds the lock. */
    private void complete(Op op, int status, int information) {
        op.done = true;
        op.status = status;
        op.information = information;
        freeIo(op);
        Pointer ovl = new Pointer(op.overlapped);
        ovl.setLong(Overlapped.INTERNAL, status & 0xffffffffL);
        ovl.setLong(Overlapped.INTERNAL_HIGH, information);
        if (handles.get(op.event) instanceof Event e) {
            e.signalled = true;
        }
        lock.notifyAll();
    }

    /** Polls a pending request; true if it is now complete. */
    private boolean poll(Op op, int timeoutMillis) {
        long io;
        synchronized (lock) {
            if (op.done) {
                return true;
            }
            if (op.deferred) {
                long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
                while (!op.done) {
                    long left = timeoutMillis == TuntapSim.FOREVER ? 0 : deadline - System.nanoTime();
                    if (timeoutMillis != TuntapSim.FOREVER && left <= 0) {
                        return false;
                    }
                    try {
                        lock.wait(timeoutMillis == TuntapSim.FOREVER ? 0 : Math.max(1, left / 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return true;
            }
            io = op.io;
        }
        try (Memory info = new Memory(4)) {
            info.setInt(0, 0);
            int status = TuntapSim.tts_io_wait(io, timeoutMillis, Pointer.nativeValue(info));
            if (status == TuntapSim.STATUS_PENDING) {
                return false;
            }
            synchronized (lock) {
                if (!op.done) {
                    complete(op, status, info.getInt(0));
                }
            }
            return true;
        }
    }

    private boolean returned(Op op, long bytesOut) {
        synchronized (lock) {
            if (!op.done) {
                return fail(WinErrors.ERROR_IO_PENDING);
            }
            if (op.status != 0 && (op.status >>> 30) == 3) {
                return fail(win32(op.status));
            }
            if (op.status == 0x80000005) {
                return fail(WinErrors.ERROR_MORE_DATA);
            }
            if (bytesOut != 0) {
                new Pointer(bytesOut).setInt(0, op.information);
            }
            return true;
        }
    }

    @Override
    public boolean DeviceIoControl(long device, int code, long in, int inSize, long out, int outSize, long bytesReturned,
            long overlapped) {
        long f = file(device);
        if (f == 0) {
            return fail(WinErrors.ERROR_INVALID_HANDLE);
        }
        Op op = start(device, overlapped);
        boolean later;
        synchronized (lock) {
            ioctls++;
            later = pendEveryNthIoctl > 0 && ioctls % pendEveryNthIoctl == 0;
        }
        // A request completed later gets its output in a buffer of the I/O manager's, copied out at completion.
        Memory bounce = later && outSize > 0 ? new Memory(outSize) : null;
        int status;
        int information;
        try (Memory returned = new Memory(4)) {
            returned.setInt(0, 0);
            status = TuntapSim.tts_ioctl(f, code, in, inSize, bounce != null ? Pointer.nativeValue(bounce) : out,
                    outSize, Pointer.nativeValue(returned));
            information = returned.getInt(0);
        }
        afterIoctl.accept(code);
        if (!later) {
            synchronized (lock) {
                complete(op, status, information);
            }
            return returned(op, bytesReturned);
        }
        synchronized (lock) {
            op.deferred = true;
        }
        pendedIoctls.incrementAndGet();
        Runnable completion = () -> {
            synchronized (lock) {
                // Only while the caller still has the request: a closed handle's requests are gone.
                if (ops.get(op.overlapped) == op && !op.done) {
                    if (bounce != null && information > 0 && (status == 0 || status == 0x80000005)) {
                        new Pointer(out).write(0, bounce.getByteArray(0, information), 0, information);
                    }
                    complete(op, status, information);
                }
            }
            if (bounce != null) {
                bounce.close();
            }
        };
        synchronized (lock) {
            if (holdCompletions) {
                heldCompletions.add(completion);
            } else {
                COMPLETIONS.schedule(completion, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        return fail(WinErrors.ERROR_IO_PENDING);
    }

    /** Keeps the control requests reported pending from now on pending, until {@link #releaseCompletions}. */
    void holdCompletions() {
        synchronized (lock) {
            holdCompletions = true;
        }
    }

    /** Completes the held control requests, on the completion thread, and stops holding. */
    void releaseCompletions() {
        List<Runnable> held;
        synchronized (lock) {
            holdCompletions = false;
            held = new ArrayList<>(heldCompletions);
            heldCompletions.clear();
        }
        held.forEach(COMPLETIONS::execute);
    }

    private boolean transfer(long handle, long buffer, int size, long bytesOut, long overlapped, boolean read) {
        long f = file(handle);
        if (f == 0) {
            return fail(WinErrors.ERROR_INVALID_HANDLE);
        }
        Op op = start(handle, overlapped);
        long io = read ? TuntapSim.tts_read(f, buffer, size) : TuntapSim.tts_write(f, buffer, size);
        synchronized (lock) {
            op.io = io;
        }
        if (TuntapSim.tts_io_pended(io) != 0) {
            return fail(WinErrors.ERROR_IO_PENDING); // collected with GetOverlappedResult, as on Windows
        }
        poll(op, 0); // completed in the dispatch routine
        return returned(op, bytesOut);
    }

    @Override
    public boolean ReadFile(long file, long buffer, int size, long bytesRead, long overlapped) {
        return transfer(file, buffer, size, bytesRead, overlapped, true);
    }

    @Override
    public boolean WriteFile(long file, long buffer, int size, long bytesWritten, long overlapped) {
        return transfer(file, buffer, size, bytesWritten, overlapped, false);
    }

    @Override
    public boolean GetOverlappedResult(long file, long overlapped, long bytesTransferred, boolean wait) {
        Op op;
        synchronized (lock) {
            op = ops.get(overlapped);
        }
        if (op == null || op.handle != file) {
            violations.add("GetOverlappedResult for an unknown OVERLAPPED");
            return fail(WinErrors.ERROR_INVALID_PARAMETER);
        }
        if (!poll(op, wait ? TuntapSim.FOREVER : 0)) {
            return fail(WinErrors.ERROR_IO_INCOMPLETE);
        }
        return returned(op, bytesTransferred);
    }

    @Override
    public boolean CancelIoEx(long file, long overlapped) {
        int cancelled = 0;
        // Under the lock: a request is freed only under it, so none is freed while being cancelled.
        synchronized (lock) {
            for (Op op : ops.values()) {
                if (op.handle == file && !op.done && op.io != 0 && (overlapped == 0 || op.overlapped == overlapped)) {
                    cancelled += TuntapSim.tts_io_cancel(op.io);
                }
            }
        }
        return cancelled > 0 || fail(WinErrors.ERROR_NOT_FOUND);
    }

    @Override
    public int WaitForSingleObject(long handle, int millis) {
        try (Memory m = new Memory(8)) {
            m.setLong(0, handle);
            return WaitForMultipleObjects(1, Pointer.nativeValue(m), false, millis);
        }
    }

    @Override
    public int WaitForMultipleObjects(int count, long handlesAddress, boolean waitAll, int millis) {
        long[] hs = new Pointer(handlesAddress).getLongArray(0, count);
        long deadline = System.nanoTime() + (millis == INFINITE ? Long.MAX_VALUE / 4 : millis * 1_000_000L);
        while (true) {
            Op pending = null;
            for (int i = 0; i < count; i++) {
                Op op;
                synchronized (lock) {
                    if (!(handles.get(hs[i]) instanceof Event e)) {
                        lastError.get()[0] = WinErrors.ERROR_INVALID_HANDLE;
                        return WAIT_FAILED;
                    }
                    if (e.signalled) {
                        return WAIT_OBJECT_0 + i;
                    }
                    op = opByEvent.get(hs[i]);
                }
                if (op != null && !op.done && op.io != 0) {
                    if (poll(op, 0)) {
                        return WAIT_OBJECT_0 + i;
                    }
                    pending = op;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return WAIT_TIMEOUT;
            }
            int slice = (int) Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000L));
            if (pending != null) {
                poll(pending, slice); // returns early when the request completes
            } else {
                synchronized (lock) {
                    try {
                        lock.wait(slice);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return WAIT_TIMEOUT;
                    }
                }
            }
        }
    }
}
