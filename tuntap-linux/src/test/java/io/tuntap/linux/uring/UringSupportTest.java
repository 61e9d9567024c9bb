// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IoUringAbi;
import io.tuntap.linux.jna.IoUringSys;
import io.tuntap.linux.jna.LinuxLibC;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe's answers where io_uring cannot be used, with a kernel that refuses io_uring_setup. */
class UringSupportTest {

    /** A kernel whose io_uring_setup fails with the given errno values, one per call. */
    private static final class RefusingKernel implements IoUringSys {
        final List<Integer> setupFlags = new ArrayList<>();
        private final int[] errnos;
        private int calls;
        private int errno;

        RefusingKernel(int... errnos) {
            this.errnos = errnos;
        }

        @Override
        public int io_uring_setup(int entries, long params) {
            setupFlags.add(new com.sun.jna.Pointer(params).getInt(IoUringAbi.PARAMS_FLAGS));
            errno = errnos[Math.min(calls++, errnos.length - 1)];
            return -1;
        }

        @Override
        public int io_uring_enter(int ringFd, int toSubmit, int minComplete, int flags) {
            throw new AssertionError("no ring, no enter");
        }

        @Override
        public int io_uring_register(int ringFd, int opcode, long arg, int nrArgs) {
            throw new AssertionError("no ring, no register");
        }

        @Override
        public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
            throw new AssertionError("no ring, no mmap");
        }

        @Override
        public int munmap(long addr, long length) {
            throw new AssertionError("no ring, no munmap");
        }

        @Override
        public int errno() {
            return errno;
        }
    }

    @Test
    void forbiddenIoUringFallsBackAndSaysWhy() {
        UringSupport s = UringSupport.probe(new RefusingKernel(Errno.EPERM), mock(LinuxLibC.class), 3);
        assertFalse(s.enabled());
        assertTrue(s.description().startsWith("plain read/write per packet"), s.description());
        assertTrue(s.description().contains("kernel.io_uring_disabled"), s.description());
        assertTrue(s.description().contains("seccomp"), s.description());
    }

    @Test
    void aKernelWithoutIoUringFallsBack() {
        UringSupport s = UringSupport.probe(new RefusingKernel(Errno.ENOSYS), mock(LinuxLibC.class), 3);
        assertFalse(s.enabled());
        assertTrue(s.description().contains("not implemented"), s.description());
    }

    @Test
    void anOlderKernelIsAskedAgainWithoutCooperativeTaskRunning() {
        RefusingKernel kernel = new RefusingKernel(Errno.EINVAL, Errno.EINVAL);
        UringSupport s = UringSupport.probe(kernel, mock(LinuxLibC.class), 3);
        assertFalse(s.enabled());
        assertEquals(List.of(IoUringAbi.IORING_SETUP_CLAMP | IoUringAbi.IORING_SETUP_COOP_TASKRUN,
                IoUringAbi.IORING_SETUP_CLAMP), kernel.setupFlags);
        assertTrue(s.description().contains("EINVAL"), s.description());
    }
}
