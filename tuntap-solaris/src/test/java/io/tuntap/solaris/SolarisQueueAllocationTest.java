// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import io.tuntap.DeviceMode;
import io.tuntap.posix.PosixLibC;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.SolarisLibC;
import io.tuntap.solaris.jna.Stropts;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The packet path of {@link SolarisQueue} allocates nothing per packet: writes and reads, direct and heap
 * buffers, with and without a timeout, against a kernel that itself allocates nothing (a one-message loopback:
 * putmsg stores the message, getmsg returns it).
 */
class SolarisQueueAllocationTest {
    private static final int OPS = 100_000;

    /** A pointer whose address can be moved, so that reading the caller's memory allocates no Pointer. */
    static final class MovablePointer extends Pointer {
        MovablePointer() {
            super(0);
        }

        MovablePointer at(long address) {
            peer = address;
            return this;
        }
    }

    /** putmsg keeps one message; getmsg hands it back or says EAGAIN. Nothing is allocated per call. */
    static final class LoopbackKernel implements PosixLibC, SolarisLibC {
        private final MovablePointer strbuf = new MovablePointer();
        private final MovablePointer data = new MovablePointer();
        private final byte[] message = new byte[4096];
        private int length = -1;
        private int errno;

        @Override
        public int putmsg(int fd, long ctlptr, long dataptr, int flags) {
            int n = strbuf.at(dataptr).getInt(Stropts.Strbuf.LEN);
            data.at(strbuf.getLong(Stropts.Strbuf.BUF)).read(0, message, 0, n);
            length = n;
            return 0;
        }

        @Override
        public int getmsg(int fd, long ctlptr, long dataptr, long flagsp) {
            if (length < 0) {
                errno = Errno.EAGAIN;
                return -1;
            }
            strbuf.at(dataptr);
            int n = Math.min(length, strbuf.getInt(Stropts.Strbuf.MAXLEN));
            data.at(strbuf.getLong(Stropts.Strbuf.BUF)).write(0, message, 0, n);
            strbuf.setInt(Stropts.Strbuf.LEN, n);
            length = -1;
            return 0;
        }

        @Override
        public int errno() {
            return errno;
        }

        @Override
        public int poll(long fds, long nfds, int timeoutMillis) {
            return 1;
        }

        @Override
        public long write(int fd, long buf, long count) {
            return count;
        }

        @Override
        public int close(int fd) {
            return 0;
        }

        @Override
        public int open(String path, int flags) {
            return -1;
        }

        @Override
        public long read(int fd, long buf, long count) {
            return -1;
        }

        @Override
        public long readv(int fd, long iov, int iovcnt) {
            return -1;
        }

        @Override
        public long writev(int fd, long iov, int iovcnt) {
            return -1;
        }

        @Override
        public int ioctl(int fd, long request, long arg) {
            return -1;
        }

        @Override
        public int fcntl(int fd, int cmd, long arg) {
            return -1;
        }

        @Override
        public int pipe(long fds) {
            return -1;
        }

        @Override
        public int socket(int domain, int type, int protocol) {
            return -1;
        }

        @Override
        public long send(int fd, long buf, long len, int flags) {
            return -1;
        }

        @Override
        public long recv(int fd, long buf, long len, int flags) {
            return -1;
        }

        @Override
        public int if_nametoindex(String name) {
            return 0;
        }

        @Override
        public int geteuid() {
            return 0;
        }
    }

    @Test
    void writeAndReadAllocateNothingPerPacket() throws Exception {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(plain instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) plain;
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "allocation accounting unsupported");
        mx.setThreadAllocatedMemoryEnabled(true);

        LoopbackKernel kernel = new LoopbackKernel();
        SolarisQueue queue = new SolarisQueue(new SunOs(kernel, kernel), 3, new int[] {4, 5}, "tun0", DeviceMode.TUN,
                () -> { });
        ByteBuffer packet = ByteBuffer.allocateDirect(1400);
        packet.put(0, (byte) 0x45);
        ByteBuffer heapPacket = ByteBuffer.allocate(1400);
        heapPacket.put(0, (byte) 0x60);
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        ByteBuffer heapIn = ByteBuffer.allocate(2048);
        Duration timeout = Duration.ofMillis(10);

        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += round(queue, packet, heapPacket, in, heapIn, timeout);
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < OPS; i++) {
            sink += round(queue, packet, heapPacket, in, heapIn, timeout);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertEquals(300_000L * 4 * 1400, sink);
        assertTrue((double) allocated / OPS < 0.01, allocated + " bytes allocated over " + OPS + " rounds of 4 packets");
        assertEquals(0, queue.read(in.clear(), Duration.ZERO), "nothing left: every write was read once");

        long controlBefore = mx.getThreadAllocatedBytes(tid);
        byte[] control = new byte[1 << 20];
        assertTrue(mx.getThreadAllocatedBytes(tid) - controlBefore >= control.length);
        queue.close();
    }

    private static long round(SolarisQueue q, ByteBuffer packet, ByteBuffer heapPacket, ByteBuffer in,
            ByteBuffer heapIn, Duration timeout) throws Exception {
        long n = q.write(packet.clear());
        n += q.read(in.clear());
        n += q.write(heapPacket.clear());
        n += q.read(heapIn.clear(), timeout);
        return n;
    }
}
