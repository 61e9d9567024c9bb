// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

/**
 * The kernel32 calls of the device path: open a driver's control device, talk to it with control codes, and
 * move packets with overlapped reads and writes. Names, parameter order and return conventions are those of
 * the Win32 functions (W variants); handles and pointers are {@code long} (64-bit Windows only), and every
 * buffer, {@code OVERLAPPED} and out-parameter is native memory owned by the caller, which must keep it
 * alive until the operation has completed, including after {@link #CancelIoEx}.
 *
 * <p>After a call fails, {@link #GetLastError()} gives its error code, on the calling thread. Implementations:
 * {@link Kernel32IoDirect} (the real DLL), behavioural fakes in tests, and the binding of the driver
 * simulation.
 */
public interface Kernel32Io {
    /** {@code INVALID_HANDLE_VALUE}. */
    long INVALID_HANDLE_VALUE = -1L;

    /** {@code GENERIC_READ}. */
    int GENERIC_READ = 0x80000000;
    /** {@code GENERIC_WRITE}. */
    int GENERIC_WRITE = 0x40000000;
    /** {@code OPEN_EXISTING}. */
    int OPEN_EXISTING = 3;
    /** {@code FILE_ATTRIBUTE_SYSTEM}. */
    int FILE_ATTRIBUTE_SYSTEM = 0x4;
    /** {@code FILE_FLAG_OVERLAPPED}. */
    int FILE_FLAG_OVERLAPPED = 0x40000000;
    // The wait constants, as mingw-w64's headers define them (winbase.h WAIT_OBJECT_0 = STATUS_WAIT_0 = 0,
    // WAIT_FAILED, INFINITE; winerror.h WAIT_TIMEOUT 258; winnt.h MAXIMUM_WAIT_OBJECTS 64), and as
    // learn.microsoft.com "WaitForMultipleObjects function (synchapi.h)" describes them; the values are checked
    // against the headers by Win32LayoutGoldenTest (the mingw-w64 probe's output).
    /** {@code WAIT_OBJECT_0}: the first handle of a wait was signalled. */
    int WAIT_OBJECT_0 = 0;
    /** {@code WAIT_TIMEOUT}. */
    int WAIT_TIMEOUT = 258;
    /** {@code WAIT_FAILED}. */
    int WAIT_FAILED = 0xFFFFFFFF;
    /** {@code INFINITE}. */
    int INFINITE = 0xFFFFFFFF;
    /** {@code MAXIMUM_WAIT_OBJECTS}: the most handles one {@code WaitForMultipleObjects} takes. */
    int MAXIMUM_WAIT_OBJECTS = 64;

    /**
     * {@code CreateFileW(path, access, share, NULL, disposition, flagsAndAttributes, NULL)}.
     *
     * @return the handle, or {@link #INVALID_HANDLE_VALUE} on failure; close it with {@link #CloseHandle}
     */
    long CreateFile(String path, int access, int share, int disposition, int flagsAndAttributes);

    /** {@code CloseHandle}: false on failure. */
    boolean CloseHandle(long handle);

    /**
     * {@code CreateEventW(NULL, manualReset, initialState, NULL)}.
     *
     * @return the event handle, or 0 on failure; close it with {@link #CloseHandle}
     */
    long CreateEvent(boolean manualReset, boolean initialState);

    /** {@code SetEvent}: false on failure. */
    boolean SetEvent(long event);

    /** {@code ResetEvent}: false on failure. */
    boolean ResetEvent(long event);

    /**
     * {@code DeviceIoControl}. With an overlapped handle, {@code overlapped} must be a valid {@code OVERLAPPED}
     * with an event; false with {@code ERROR_IO_PENDING} means the request is under way.
     */
    boolean DeviceIoControl(long device, int code, long in, int inSize, long out, int outSize, long bytesReturned,
            long overlapped);

    /** {@code ReadFile}; false with {@code ERROR_IO_PENDING} means the read is posted. */
    boolean ReadFile(long file, long buffer, int size, long bytesRead, long overlapped);

    /** {@code WriteFile}; false with {@code ERROR_IO_PENDING} means the write is under way. */
    boolean WriteFile(long file, long buffer, int size, long bytesWritten, long overlapped);

    /**
     * {@code GetOverlappedResult}: the outcome of an overlapped operation; with {@code wait}, waits for it.
     * Without {@code wait}, false with {@code ERROR_IO_INCOMPLETE} means it is still under way.
     */
    boolean GetOverlappedResult(long file, long overlapped, long bytesTransferred, boolean wait);

    /**
     * {@code CancelIoEx}: asks the driver to cancel {@code overlapped}'s operation (0: all of this process's
     * on the handle). False with {@code ERROR_NOT_FOUND} if nothing was pending. The operation still completes
     * (typically with {@code ERROR_OPERATION_ABORTED}); its memory stays in use until it has.
     */
    boolean CancelIoEx(long file, long overlapped);

    /** {@code WaitForSingleObject}: {@link #WAIT_OBJECT_0}, {@link #WAIT_TIMEOUT} or {@link #WAIT_FAILED}. */
    int WaitForSingleObject(long handle, int millis);

    /**
     * {@code WaitForMultipleObjects} over {@code count} handles stored as 64-bit values at {@code handles}.
     *
     * @return {@link #WAIT_OBJECT_0} + the index of the signalled handle, {@link #WAIT_TIMEOUT} or
     *     {@link #WAIT_FAILED}
     */
    int WaitForMultipleObjects(int count, long handles, boolean waitAll, int millis);

    /** {@code RtlMoveMemory(destination, source, length)}: copies native memory (no return value, no error). */
    void RtlMoveMemory(long destination, long source, long length);

    /** The error code of the last failed call of this interface on this thread. */
    int GetLastError();
}
