// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import com.sun.jna.Native;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@link IoUringSys} with {@code io_uring_enter}, the call made once per batch, bound through the foreign
 * function API ({@code syscall(2)}, declared variadic after the number as C declares it, every argument a
 * {@code long}); errno captured. It may wait for completions, so it is not a critical call. Ring set-up and
 * mapping, made once per ring, stay on JNA.
 */
final class FfmIoUringSys implements IoUringSys {
    /** Static final, so that the JIT inlines the call (see {@link FfmLinuxLibC}). */
    private static final MethodHandle SYSCALL;

    static {
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfLong l = ValueLayout.JAVA_LONG;
        SYSCALL = FfmLinuxLibC.bind(linker, linker.defaultLookup(), "syscall",
                FunctionDescriptor.of(l, l, l, l, l, l, l, l), Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
    }

    private final IoUringSys jna;

    FfmIoUringSys(IoUringSys jna) {
        this.jna = jna;
    }

    @Override
    public int io_uring_enter(int ringFd, int toSubmit, int minComplete, int flags) {
        CallState s = CallState.current();
        s.foreign = true;
        try {
            return (int) (long) SYSCALL.invokeExact(s.segment, IoUringAbi.SYS_IO_URING_ENTER, (long) ringFd,
                    (long) toSubmit, (long) minComplete, (long) flags, 0L, 0L);
        } catch (Throwable t) {
            throw FfmLinuxLibC.rethrow(t);
        }
    }

    @Override
    public int errno() {
        CallState s = CallState.current();
        return s.foreign ? s.errno() : Native.getLastError();
    }

    private IoUringSys jna() {
        CallState.current().foreign = false;
        return jna;
    }

    @Override
    public int io_uring_setup(int entries, long params) {
        return jna().io_uring_setup(entries, params);
    }

    @Override
    public int io_uring_register(int ringFd, int opcode, long arg, int nrArgs) {
        return jna().io_uring_register(ringFd, opcode, arg, nrArgs);
    }

    @Override
    public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        return jna().mmap(addr, length, prot, flags, fd, offset);
    }

    @Override
    public int munmap(long addr, long length) {
        return jna().munmap(addr, length);
    }
}
