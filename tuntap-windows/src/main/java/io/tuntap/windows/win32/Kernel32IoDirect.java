// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.WString;
import java.util.Map;

/**
 * {@link Kernel32Io} on the real {@code kernel32.dll}, by JNA direct mapping: primitive arguments only, no
 * allocation per call, and the last error saved by JNA right after each call ({@link Native#getLastError()}).
 * Load it only on Windows.
 */
public final class Kernel32IoDirect implements Kernel32Io {
    /** The one instance; loading this class binds kernel32. */
    public static final Kernel32IoDirect INSTANCE;

    static {
        // The natives end in "0" where their plain name is taken by the interface method with Java types.
        Native.register(Kernel32IoDirect.class, NativeLibrary.getInstance("kernel32",
                Map.of(Library.OPTION_FUNCTION_MAPPER, NativeNames.STRIP_ZERO)));
        INSTANCE = new Kernel32IoDirect();
    }

    private Kernel32IoDirect() {
    }

    private static native long CreateFileW(WString path, int access, int share, long securityAttributes,
            int disposition, int flagsAndAttributes, long template);

    private static native int CloseHandle0(long handle);

    private static native long CreateEventW(long securityAttributes, int manualReset, int initialState, long name);

    private static native int SetEvent0(long event);

    private static native int ResetEvent0(long event);

    private static native int DeviceIoControl0(long device, int code, long in, int inSize, long out, int outSize,
            long bytesReturned, long overlapped);

    private static native int ReadFile0(long file, long buffer, int size, long bytesRead, long overlapped);

    private static native int WriteFile0(long file, long buffer, int size, long bytesWritten, long overlapped);

    private static native int GetOverlappedResult0(long file, long overlapped, long bytes, int wait);

    private static native int CancelIoEx0(long file, long overlapped);

    private static native int WaitForSingleObject0(long handle, int millis);

    private static native int WaitForMultipleObjects0(int count, long handles, int waitAll, int millis);

    @Override
    public long CreateFile(String path, int access, int share, int disposition, int flagsAndAttributes) {
        return CreateFileW(new WString(path), access, share, 0, disposition, flagsAndAttributes, 0);
    }

    @Override
    public boolean CloseHandle(long handle) {
        return CloseHandle0(handle) != 0;
    }

    @Override
    public long CreateEvent(boolean manualReset, boolean initialState) {
        return CreateEventW(0, manualReset ? 1 : 0, initialState ? 1 : 0, 0);
    }

    @Override
    public boolean SetEvent(long event) {
        return SetEvent0(event) != 0;
    }

    @Override
    public boolean ResetEvent(long event) {
        return ResetEvent0(event) != 0;
    }

    @Override
    public boolean DeviceIoControl(long device, int code, long in, int inSize, long out, int outSize,
            long bytesReturned, long overlapped) {
        return DeviceIoControl0(device, code, in, inSize, out, outSize, bytesReturned, overlapped) != 0;
    }

    @Override
    public boolean ReadFile(long file, long buffer, int size, long bytesRead, long overlapped) {
        return ReadFile0(file, buffer, size, bytesRead, overlapped) != 0;
    }

    @Override
    public boolean WriteFile(long file, long buffer, int size, long bytesWritten, long overlapped) {
        return WriteFile0(file, buffer, size, bytesWritten, overlapped) != 0;
    }

    @Override
    public boolean GetOverlappedResult(long file, long overlapped, long bytesTransferred, boolean wait) {
        return GetOverlappedResult0(file, overlapped, bytesTransferred, wait ? 1 : 0) != 0;
    }

    @Override
    public boolean CancelIoEx(long file, long overlapped) {
        return CancelIoEx0(file, overlapped) != 0;
    }

    @Override
    public int WaitForSingleObject(long handle, int millis) {
        return WaitForSingleObject0(handle, millis);
    }

    @Override
    public int WaitForMultipleObjects(int count, long handles, boolean waitAll, int millis) {
        return WaitForMultipleObjects0(count, handles, waitAll ? 1 : 0, millis);
    }

    private static native void RtlMoveMemory0(long destination, long source, long length);

    @Override
    public void RtlMoveMemory(long destination, long source, long length) {
        RtlMoveMemory0(destination, source, length);
    }

    @Override
    public int GetLastError() {
        return Native.getLastError();
    }
}
