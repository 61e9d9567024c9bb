// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.posix.PosixLibC;
import io.tuntap.testkit.ThreadAllocations;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The packet path allocates nothing in steady state: reads and writes of direct and heap buffers, TUN with
 * the address-family header. The kernel here is a loop that itself allocates nothing (the fake kernels
 * allocate per call, which would hide the queue's own allocations): every read returns the same framed
 * IPv6 packet, scattered into the caller's iovecs; every write is taken whole.
 */
class AllocationTest {
    private static final int OPS = 200_000;

    /** A kernel of one packet: no allocation per call once it has seen the few addresses the queue uses. */
    static final class LoopKernel implements PosixLibC {
        private final byte[] packet = new byte[4 + 60];
        private final long[] addresses = new long[16];
        private final Pointer[] pointers = new Pointer[16];
        private int known;
        long written;

        LoopKernel() {
            packet[3] = 28; // big-endian AF_INET6 (FreeBSD)
            packet[4] = 0x60;
        }

        /** A Pointer per address, made once: JNA's Pointer is an object. */
        private Pointer at(long address) {
            for (int i = 0; i < known; i++) {
                if (addresses[i] == address) {
                    return pointers[i];
                }
            }
            addresses[known] = address;
            pointers[known] = new Pointer(address);
            return pointers[known++];
        }

        @Override
        public long readv(int fd, long iov, int iovcnt) {
            Pointer v = at(iov);
            int off = 0;
            for (int i = 0; i < iovcnt && off < packet.length; i++) {
                int n = (int) Math.min(v.getLong(16L * i + 8), packet.length - off);
                at(v.getLong(16L * i)).write(0, packet, off, n);
                off += n;
            }
            return off;
        }

        @Override
        public long read(int fd, long buf, long count) {
            if (bpf != null) {
                at(buf).write(0, bpf, 0, bpf.length);
                return bpf.length;
            }
            int n = (int) Math.min(count, packet.length - 4);
            at(buf).write(0, packet, 4, n);
            return n;
        }

        /** Makes every read return this BPF buffer (records of bpf_hdr and frame) instead of one packet. */
        byte[] bpf;

        @Override
        public long writev(int fd, long iov, int iovcnt) {
            Pointer v = at(iov);
            long total = 0;
            for (int i = 0; i < iovcnt; i++) {
                total += v.getLong(16L * i + 8);
            }
            written += total;
            return total;
        }

        @Override
        public long write(int fd, long buf, long count) {
            written += count;
            return count;
        }

        @Override
        public int pipe(long fds) {
            new Pointer(fds).setInt(0, 10);
            new Pointer(fds).setInt(4, 11);
            return 0;
        }

        @Override
        public int fcntl(int fd, int cmd, long arg) {
            return 0;
        }

        @Override
        public int poll(long fds, long nfds, int timeoutMillis) {
            return 1;
        }

        @Override
        public int open(String path, int flags) {
            return -1;
        }

        @Override
        public int close(int fd) {
            return 0;
        }

        @Override
        public int ioctl(int fd, long request, long arg) {
            return 0;
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

        @Override
        public int errno() {
            return 0;
        }
    }

    @Test
    void readAndWriteAllocateNothingPerPacket() throws Exception {
        ThreadAllocations allocations = ThreadAllocations.orSkip();

        LoopKernel kernel = new LoopKernel();
        BsdQueue q = BsdQueue.open(kernel, BsdAbi.FREEBSD, 3, "tun0", true, 65535);
        PacketLoop loop = new PacketLoop(100); // smaller than any packet: readv with overflow
        long sink = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up (scratch buffers, JIT)
            long before = allocations.bytes();
            for (int i = 0; i < OPS; i++) {
                sink += loop.pass(q);
            }
            long allocated = allocations.bytes() - before;
            if (round == 1) {
                double perOp = allocated / (double) (OPS * 5);
                assertTrue(perOp < 0.01, allocated + " bytes allocated over " + (OPS * 5) + " packet calls");
            }
        }
        assertEquals(2L * OPS * (60 + 60 + 60 + 60 + 2), sink);
        q.close();
    }

    @Test
    void macOsTapReadsFramesOutOfOneBpfBufferAndWritesAllocatingNothing() throws Exception {
        ThreadAllocations allocations = ThreadAllocations.orSkip();

        LoopKernel kernel = new LoopKernel();
        // Three records as xnu's catchpacket lays them out: bpf_hdr (caplen @8, datalen @12, hdrlen @16 = 18),
        // the frame, the next record at BPF_WORDALIGN (4) of the end: frames of 60, 61 and 64 bytes.
        ByteBuffer b = ByteBuffer.allocate(160 + 18 + 64).order(java.nio.ByteOrder.nativeOrder());
        int[] at = {0, 80, 160}; // 18 + 60 = 78 -> 80; 80 + 18 + 61 = 159 -> 160
        int[] len = {60, 61, 64};
        for (int i = 0; i < 3; i++) {
            b.putInt(at[i] + 8, len[i]).putInt(at[i] + 12, len[i]).putShort(at[i] + 16, (short) 18);
        }
        kernel.bpf = b.array();
        FethQueue q = FethQueue.open(kernel, 3, 4096, "feth0");
        PacketLoop loop = new PacketLoop(2000);
        long sink = 0;
        for (int round = 0; round < 2; round++) {
            long before = allocations.bytes();
            for (int i = 0; i < OPS; i++) {
                sink += loop.pass(q);
            }
            long allocated = allocations.bytes() - before;
            if (round == 1) {
                double perOp = allocated / (double) (OPS * 5);
                assertTrue(perOp < 0.01, allocated + " bytes allocated over " + (OPS * 5) + " packet calls");
            }
        }
        // Each pass: two single reads (the next two frames of 60, 61, 64 repeating), two writes of 60, a batch of 2.
        long expected = 0;
        for (long k = 0; k < 2L * OPS; k++) {
            expected += len[(int) ((4 * k) % 3)] + len[(int) ((4 * k + 1) % 3)] + 60 + 60 + 2;
        }
        assertEquals(expected, sink);
        assertEquals(0, q.droppedPackets(), "every record parsed");
        q.close();
    }
}
