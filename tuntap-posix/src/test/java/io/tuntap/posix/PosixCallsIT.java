// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.testkit.ThreadAllocations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The POSIX calls as this JVM binds them from the multi-release jar: JNA direct mapping on Java 17 to 21, the
 * foreign function API on Java 22 and later (the build runs this class on both). Every call is made for real
 * on this Linux host, on pipes, a socket and /dev/null, including failures, to show that each binding passes
 * its arguments where C looks for them and that errno comes back per thread. Needs no privileges; an
 * integration test because the multi-release jar exists only after packaging.
 *
 * <p>The expected values are Linux's, from the kernel's uapi headers (torvalds/linux): include/uapi/asm-generic/
 * fcntl.h (F_GETFL 3, F_SETFL 4, O_NONBLOCK 00004000), errno-base.h (ENOENT 2, EBADF 9, EAGAIN 11), ioctls.h
 * (FIONREAD 0x541B), poll.h (POLLIN 0x0001); include/linux/socket.h (AF_INET 2, MSG_DONTWAIT 0x40) and
 * include/linux/net.h (SOCK_DGRAM 2).
 */
@EnabledOnOs(OS.LINUX)
class PosixCallsIT {
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 04000;
    private static final int ENOENT = 2;
    private static final int EBADF = 9;
    private static final int EAGAIN = 11;
    private static final long FIONREAD = 0x541B;
    private static final short POLLIN = 0x0001;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;

    private final PosixLibC libc = PosixCalls.libc();

    @Test
    void theBindingMatchesTheJavaVersion() {
        boolean versioned = PosixCalls.class.getClassLoader()
                .getResource("META-INF/versions/22/io/tuntap/posix/PosixCalls.class") != null;
        boolean off = "false".equalsIgnoreCase(System.getProperty(PosixCalls.PROPERTY));
        boolean foreign = Runtime.version().feature() >= 22 && versioned && !off;
        assertEquals(foreign, PosixCalls.foreign(), PosixCalls.binding());
        assertEquals(foreign, PosixCalls.binding().startsWith("foreign function API"), PosixCalls.binding());
        assertEquals(foreign, libc instanceof ForeignPosixLibC, libc.getClass().getName());
        if (Runtime.version().feature() >= 22 && !off) {
            assertTrue(versioned, "on Java 22+ the tests run against the multi-release jar with its Java 22 classes");
        }
    }

    @Test
    void pipeFcntlPollIoctlReadWriteAndTheirErrno() {
        try (Memory fds = new Memory(8); Memory data = new Memory(64); Memory iov = new Memory(32);
                Memory pollfd = new Memory(8); Memory count = new Memory(4)) {
            assertEquals(0, libc.pipe(Pointer.nativeValue(fds)));
            int in = fds.getInt(0);
            int out = fds.getInt(4);
            try {
                assertEquals(0, libc.fcntl(in, F_GETFL, 0) & O_NONBLOCK, "a new pipe blocks");
                int flags = libc.fcntl(in, F_GETFL, 0);
                assertEquals(0, libc.fcntl(in, F_SETFL, flags | O_NONBLOCK));
                assertEquals(O_NONBLOCK, libc.fcntl(in, F_GETFL, 0) & O_NONBLOCK, "the flag set is read back");

                long d = Pointer.nativeValue(data);
                assertEquals(-1, libc.read(in, d, 64), "nothing to read yet");
                assertEquals(EAGAIN, libc.errno(), "errno of the failed read");

                pollfd.setInt(0, in);
                pollfd.setShort(4, POLLIN);
                pollfd.setShort(6, (short) 0);
                long p = Pointer.nativeValue(pollfd);
                assertEquals(0, libc.poll(p, 1, 0), "not readable");
                assertEquals(0, pollfd.getShort(6));

                data.setInt(0, 0x01020304);
                data.setInt(32, 0x05060708);
                iov.setLong(0, d);
                iov.setLong(8, 4);
                iov.setLong(16, d + 32);
                iov.setLong(24, 4);
                assertEquals(8, libc.writev(out, Pointer.nativeValue(iov), 2));
                assertEquals(1, libc.poll(p, 1, 10_000));
                assertEquals(POLLIN, pollfd.getShort(6) & POLLIN, "revents");
                count.setInt(0, -1);
                assertEquals(0, libc.ioctl(in, FIONREAD, Pointer.nativeValue(count)));
                assertEquals(8, count.getInt(0), "FIONREAD: the bytes in the pipe");

                data.clear();
                assertEquals(8, libc.readv(in, Pointer.nativeValue(iov), 2));
                assertEquals(0x01020304, data.getInt(0));
                assertEquals(0x05060708, data.getInt(32));

                data.setLong(0, 0x1122334455667788L);
                assertEquals(8, libc.write(out, d, 8));
                data.clear();
                assertEquals(8, libc.read(in, d + 8, 64));
                assertEquals(0x1122334455667788L, data.getLong(8));
            } finally {
                assertEquals(0, libc.close(in));
                assertEquals(0, libc.close(out));
            }
            assertEquals(-1, libc.close(in), "already closed");
            assertEquals(EBADF, libc.errno());
            assertEquals(-1, libc.write(out, Pointer.nativeValue(data), 1));
            assertEquals(EBADF, libc.errno());
        }
    }

    @Test
    void openSocketRecvIfNametoindexAndGeteuid() throws Exception {
        int fd = libc.open("/dev/null", 0);
        assertTrue(fd >= 0, "open(/dev/null): errno " + libc.errno());
        try (Memory b = new Memory(16)) {
            assertEquals(0, libc.read(fd, Pointer.nativeValue(b), 16), "end of file");
        } finally {
            libc.close(fd);
        }
        assertEquals(-1, libc.open("/nonexistent/tuntap-test", 0));
        assertEquals(ENOENT, libc.errno());

        int s = libc.socket(AF_INET, SOCK_DGRAM, 0);
        assertTrue(s >= 0, "socket: errno " + libc.errno());
        try (Memory b = new Memory(16)) {
            assertEquals(-1, libc.recv(s, Pointer.nativeValue(b), 16, MSG_DONTWAIT), "nothing received");
            assertEquals(EAGAIN, libc.errno());
        } finally {
            libc.close(s);
        }

        // Witnesses from outside the binding: sysfs for the loopback's index, procfs for the effective uid.
        int lo = Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/ifindex"), StandardCharsets.US_ASCII)
                .trim());
        assertEquals(lo, libc.if_nametoindex("lo"));
        assertEquals(0, libc.if_nametoindex("tuntap-none0"), "no such interface");
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .findFirst().orElseThrow();
        assertEquals(Integer.parseInt(uid.split("\\s+")[2]), libc.geteuid(), uid + " (real, effective, ...)");
    }

    @Test
    void errnoIsPerThread() throws Exception {
        try (Memory b = new Memory(8)) {
            assertEquals(-1, libc.read(-1, Pointer.nativeValue(b), 8));
            AtomicInteger other = new AtomicInteger();
            Thread t = new Thread(() -> {
                libc.open("/nonexistent/tuntap-test", 0);
                other.set(libc.errno());
            });
            t.start();
            t.join();
            assertEquals(ENOENT, other.get(), "the other thread's failure");
            assertEquals(EBADF, libc.errno(), "this thread's failure, untouched by the other's");
        }
    }

    /**
     * The per-call work of the binding allocates nothing once warm: on Java 22+ this covers the downcall
     * handles, the lookup of the thread's errno segment and the errno read; on 17 JNA's direct calls.
     */
    @Test
    void packetCallsAllocateNothing() {
        ThreadAllocations allocations = ThreadAllocations.orSkip();
        try (Memory fds = new Memory(8); Memory data = new Memory(2048); Memory iov = new Memory(32);
                Memory pollfd = new Memory(8); Memory count = new Memory(4)) {
            assertEquals(0, libc.pipe(Pointer.nativeValue(fds)));
            int in = fds.getInt(0);
            int out = fds.getInt(4);
            try {
                assertEquals(0, libc.fcntl(in, F_SETFL, libc.fcntl(in, F_GETFL, 0) | O_NONBLOCK));
                long d = Pointer.nativeValue(data);
                iov.setLong(0, d);
                iov.setLong(8, 40);
                iov.setLong(16, d + 1024);
                iov.setLong(24, 1000);
                pollfd.setInt(0, in);
                pollfd.setShort(4, POLLIN);
                long sink = 0;
                int rounds = 100_000;
                for (int round = 0; round < 2; round++) { // the first round warms up (thread state, JIT)
                    long before = allocations.bytes();
                    for (int i = 0; i < rounds; i++) {
                        sink += cycle(in, out, d, Pointer.nativeValue(iov), Pointer.nativeValue(pollfd), count);
                    }
                    long allocated = allocations.bytes() - before;
                    if (round == 1) {
                        assertTrue(allocated / (double) (rounds * 8) < 0.01, allocated + " bytes allocated over "
                                + rounds * 8 + " calls (" + PosixCalls.binding() + ")");
                    }
                }
                // Each cycle: 1400 written, one fd ready, FIONREAD 1400, 1400 read, 40 + 1000 written and read
                // by iovec, EAGAIN, O_NONBLOCK.
                assertEquals(2L * rounds * (1400 + 1 + 1400 + 1400 + 1040 + 1040 + EAGAIN + O_NONBLOCK), sink);
                long control = allocations.bytes();
                byte[] megabyte = new byte[1 << 20];
                assertTrue(allocations.bytes() - control >= megabyte.length, "the counter sees an allocation");
            } finally {
                libc.close(in);
                libc.close(out);
            }
        }
    }

    /** Eight calls and an errno read on one pipe; returns the sum of their results. */
    private long cycle(int in, int out, long d, long iov, long pollfd, Memory count) {
        long n = libc.write(out, d, 1400);
        n += libc.poll(pollfd, 1, 10_000);
        n += libc.ioctl(in, FIONREAD, Pointer.nativeValue(count)) == 0 ? count.getInt(0) : -1;
        n += libc.read(in, d, 2048);
        n += libc.writev(out, iov, 2);
        n += libc.readv(in, iov, 2);
        n += libc.read(in, d, 2048) == -1 ? libc.errno() : 0;
        return n + (libc.fcntl(in, F_GETFL, 0) & O_NONBLOCK);
    }
}
