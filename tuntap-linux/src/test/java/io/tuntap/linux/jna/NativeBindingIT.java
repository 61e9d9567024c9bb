// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.linux.uring.IoUring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The backend's bindings as this JVM picks them from tuntap-posix's multi-release jar: JNA on Java 17 to 21,
 * the foreign function API on Java 22 and later (the build runs this class on both). Each call is made for real on
 * an eventfd and a pipe, including its failure, to show that errno comes back from the right binding. Needs no
 * privileges; an integration test because the multi-release jar only exists after packaging.
 */
@EnabledOnOs(OS.LINUX)
class NativeBindingIT {

    @Test
    void theBindingMatchesTheJavaVersion() {
        boolean versioned = NativeCalls.class.getClassLoader()
                .getResource("META-INF/versions/22/io/tuntap/posix/PosixCalls.class") != null;
        boolean off = "false".equalsIgnoreCase(System.getProperty("tuntap.ffm"));
        boolean foreign = Runtime.version().feature() >= 22 && versioned && !off;
        assertEquals(foreign, NativeCalls.binding().startsWith("foreign function API"), NativeCalls.binding());
        assertEquals(foreign, NativeCalls.libc() instanceof ForeignLinuxLibC, NativeCalls.libc().getClass().getName());
        assertEquals(foreign, NativeCalls.ioUring() instanceof ForeignIoUringSys,
                NativeCalls.ioUring().getClass().getName());
        if (Runtime.version().feature() >= 22 && !off) {
            assertTrue(versioned, "on Java 22+ the tests run against the multi-release jar with its Java 22 classes");
        }
    }

    @Test
    void readWritePollAndErrnoWork() {
        LinuxLibC libc = NativeCalls.libc();
        int efd = libc.eventfd(0, Sys.EFD_NONBLOCK | Sys.EFD_CLOEXEC);
        assertTrue(efd >= 0);
        try (Memory value = new Memory(8); Memory pollfd = new Memory(Sys.POLLFD_SIZE)) {
            long v = Pointer.nativeValue(value);
            assertEquals(-1, libc.read(efd, v, 8), "nothing to read yet");
            assertEquals(Errno.EAGAIN, libc.errno(), "errno of the failed read");
            pollfd.setInt(0, efd);
            pollfd.setShort(4, Sys.POLLIN);
            pollfd.setShort(6, (short) 0);
            assertEquals(0, libc.poll(Pointer.nativeValue(pollfd), 1, 0));
            value.setLong(0, 5);
            assertEquals(8, libc.write(efd, v, 8));
            assertEquals(1, libc.poll(Pointer.nativeValue(pollfd), 1, 1000));
            value.setLong(0, 0);
            assertEquals(8, libc.read(efd, v, 8));
            assertEquals(5, value.getLong(0));
            assertEquals(-1, libc.write(-1, v, 8));
            assertEquals(Errno.EBADF, libc.errno());
        } finally {
            libc.close(efd);
        }
    }

    @Test
    void ioUringEnterWorks() throws Exception {
        LinuxLibC libc = NativeCalls.libc();
        IoUringSys sys = NativeCalls.ioUring();
        try (Memory fds = new Memory(8); Memory data = new Memory(64)) {
            assertEquals(0, libc.pipe(Pointer.nativeValue(fds)));
            int in = fds.getInt(0);
            int out = fds.getInt(4);
            try {
                long d = Pointer.nativeValue(data);
                try (IoUring ring = IoUring.open(sys, libc, 4, out)) {
                    data.setLong(0, 0x1122334455667788L);
                    ring.prepare(IoUringAbi.IORING_OP_WRITE, (byte) 0, d, 8, 0, 42);
                    assertEquals(0, ring.submitAndWait());
                    assertEquals(1, ring.ready());
                    assertEquals(42, ring.userData(0));
                    assertEquals(8, ring.result(0));
                    ring.consume(1);
                }
                data.clear();
                assertEquals(8, libc.read(in, d, 8));
                assertEquals(0x1122334455667788L, data.getLong(0));
                assertEquals(-1, sys.io_uring_enter(-1, 0, 0, 0));
                assertEquals(Errno.EBADF, sys.errno(), "errno of the failed io_uring_enter");
            } finally {
                libc.close(in);
                libc.close(out);
            }
        }
    }

    /**
     * Each Linux call's failure, after a POSIX call failed otherwise: errno() gives the last call's, whichever
     * interface made it (one capture per thread). The failures need no privileges and change nothing: eventfd
     * with a flag outside EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE (fs/eventfd.c: EINVAL), calls on fd -1
     * (EBADF; mmap(2): "fd is not a valid file descriptor (and MAP_ANONYMOUS was not set)").
     */
    @Test
    void theLinuxCallsShareErrnoWithThePosixCalls() {
        LinuxLibC libc = NativeCalls.libc();
        IoUringSys sys = NativeCalls.ioUring();
        try (Memory m = new Memory(256)) {
            long p = Pointer.nativeValue(m);
            assertEquals(-1, libc.read(-1, p, 8));
            assertEquals(-1, libc.eventfd(0, 2));
            assertEquals(Errno.EINVAL, libc.errno(), "eventfd with an unknown flag");
            assertEquals(-1, libc.setns(-1, 0));
            assertEquals(Errno.EBADF, libc.errno(), "setns on fd -1");
            assertEquals(-1, libc.fcntl(-2, 3, 0));
            assertEquals(-1, libc.setsockopt(-1, 1, 2, p, 4));
            assertEquals(Errno.EBADF, libc.errno(), "setsockopt on fd -1");
            assertEquals(-1, libc.eventfd(0, 2));
            assertEquals(-1, libc.bind(-1, p, 16));
            assertEquals(Errno.EBADF, libc.errno(), "bind on fd -1");
            assertEquals(-1, libc.eventfd(0, 2));
            assertEquals(-1, sys.mmap(0, 4096, 1, 2, -1, 0));
            assertEquals(Errno.EBADF, sys.errno(), "mmap(PROT_READ, MAP_PRIVATE) of fd -1");
            assertEquals(-1, libc.eventfd(0, 2));
            assertEquals(-1, sys.io_uring_enter(-1, 0, 0, 0));
            assertEquals(Errno.EBADF, sys.errno(), "io_uring_enter on fd -1");
        }
    }
}
