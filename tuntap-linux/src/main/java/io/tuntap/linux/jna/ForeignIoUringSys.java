// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import static java.lang.invoke.MethodType.methodType;

import io.tuntap.posix.ForeignPosixLibC;
import io.tuntap.posix.PosixCalls;
import java.lang.invoke.MethodHandle;

/**
 * {@link IoUringSys} through the foreign function API (Java 22 and later): the three io_uring system calls
 * through {@code syscall(2)}, declared variadic after the number as C declares it, every argument a
 * {@code long}; mmap and munmap bound directly. errno is captured where {@link PosixCalls#capturedErrno()}
 * reads it, with the POSIX calls'. {@code io_uring_enter} may wait for completions, so no call is critical.
 * Loaded only when {@link PosixCalls#foreign()} is true.
 */
final class ForeignIoUringSys implements IoUringSys {
    // long syscall(long number, ...): syscall(2)
    private static final MethodHandle SYSCALL = PosixCalls.bindVariadic("syscall", methodType(long.class,
            long.class, long.class, long.class, long.class, long.class, long.class, long.class), 1);
    // void *mmap(void *, size_t, int, int, int, off_t): mmap(2); off_t is 64 bits on LP64
    private static final MethodHandle MMAP = PosixCalls.bind("mmap", methodType(long.class, long.class,
            long.class, int.class, int.class, int.class, long.class));
    // int munmap(void *, size_t): munmap(2)
    private static final MethodHandle MUNMAP = PosixCalls.bind("munmap", methodType(int.class, long.class,
            long.class));

    static final ForeignIoUringSys INSTANCE = new ForeignIoUringSys();

    private ForeignIoUringSys() {
    }

    private static int syscall(long number, long a1, long a2, long a3, long a4) {
        try {
            return (int) (long) SYSCALL.invokeExact(number, a1, a2, a3, a4, 0L, 0L);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int io_uring_setup(int entries, long params) {
        return syscall(IoUringAbi.SYS_IO_URING_SETUP, entries, params, 0, 0);
    }

    @Override
    public int io_uring_enter(int ringFd, int toSubmit, int minComplete, int flags) {
        return syscall(IoUringAbi.SYS_IO_URING_ENTER, ringFd, toSubmit, minComplete, flags);
    }

    @Override
    public int io_uring_register(int ringFd, int opcode, long arg, int nrArgs) {
        return syscall(IoUringAbi.SYS_IO_URING_REGISTER, ringFd, opcode, arg, nrArgs);
    }

    @Override
    public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        try {
            return (long) MMAP.invokeExact(addr, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int munmap(long addr, long length) {
        try {
            return (int) MUNMAP.invokeExact(addr, length);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int errno() {
        return PosixCalls.capturedErrno();
    }
}
