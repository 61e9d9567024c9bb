// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@link IoUringSys} through JNA direct mapping. {@code syscall(2)} is variadic in C; it is bound here with a
 * fixed list of six {@code long} arguments, which the x86-64 and arm64 Linux calling conventions pass
 * exactly as they pass variadic integer arguments (in registers), and glibc's {@code syscall} moves them
 * into the system call's registers unchanged. Unused arguments are 0.
 *
 * <p>Loading this class loads JNA's native library: reach it only after the OS check.
 */
public final class IoUringSysDirect implements IoUringSys {
    /** The one instance. */
    public static final IoUringSysDirect INSTANCE = new IoUringSysDirect();

    static {
        Native.register(IoUringSysDirect.class, Platform.C_LIBRARY_NAME);
    }

    private IoUringSysDirect() {
    }

    /** {@code long syscall(long number, ...)}: returns the call's result, or -1 with errno set. */
    private static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    @Override
    public native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    @Override
    public native int munmap(long addr, long length);

    @Override
    public int io_uring_setup(int entries, long params) {
        return (int) syscall(IoUringAbi.SYS_IO_URING_SETUP, entries, params, 0, 0, 0, 0);
    }

    @Override
    public int io_uring_enter(int ringFd, int toSubmit, int minComplete, int flags) {
        return (int) syscall(IoUringAbi.SYS_IO_URING_ENTER, ringFd, toSubmit, minComplete, flags, 0, 0);
    }

    @Override
    public int io_uring_register(int ringFd, int opcode, long arg, int nrArgs) {
        return (int) syscall(IoUringAbi.SYS_IO_URING_REGISTER, ringFd, opcode, arg, nrArgs, 0, 0);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }
}
