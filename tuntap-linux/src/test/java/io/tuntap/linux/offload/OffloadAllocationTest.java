// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The data path allocates nothing per packet once the JIT has warmed up. */
class OffloadAllocationTest {

    private static final int OPS = 100_000;

    @Test
    void splitAndCoalesceAllocateNothing() {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(plain instanceof com.sun.management.ThreadMXBean,
                "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) plain;
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "allocation accounting unsupported");
        mx.setThreadAllocatedMemoryEnabled(true);

        Random r = new Random(5);
        // Read side: a direct buffer as the backend uses, holding a 4-segment TCPv4 super-packet.
        TestPackets.Spec s = new TestPackets.Spec();
        byte[] superPacket = TestPackets.superPacket(s, TestPackets.randomBytes(r, 4 * 1400 - 10), 1400, false);
        ByteBuffer src = ByteBuffer.allocateDirect(70000).order(ByteOrder.nativeOrder());
        src.put(0, superPacket);
        ByteBuffer dst = ByteBuffer.allocateDirect(4 * 1500);
        // Write side: 8 TCPv6 segments of one flow, heap buffers.
        TestPackets.Spec f = new TestPackets.Spec().ipv6();
        ByteBuffer[] srcs = new ByteBuffer[8];
        for (int i = 0; i < srcs.length; i++) {
            srcs[i] = ByteBuffer.wrap(TestPackets.build(f, TestPackets.randomBytes(r, 1200)));
            f.seq += 1200;
        }
        ByteBuffer out = ByteBuffer.allocateDirect(GroCoalescer.requiredRoom(srcs, srcs.length));
        int[] offs = new int[8];
        int[] lens = new int[8];
        GsoSplitter splitter = new GsoSplitter();
        GroCoalescer coalescer = new GroCoalescer(8, true, true);

        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += round(splitter, src, superPacket.length, dst, coalescer, srcs, out, offs, lens);
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < OPS; i++) {
            sink += round(splitter, src, superPacket.length, dst, coalescer, srcs, out, offs, lens);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertEquals(300_000L * (4 + 1), sink);
        double perOp = (double) allocated / OPS;
        assertTrue(perOp < 0.01, allocated + " bytes allocated over " + OPS + " split+coalesce calls");

        // Control: the counter does see an allocation of this thread.
        long controlBefore = mx.getThreadAllocatedBytes(tid);
        byte[] control = new byte[1 << 20];
        assertTrue(mx.getThreadAllocatedBytes(tid) - controlBefore >= control.length);
    }

    private static int round(GsoSplitter splitter, ByteBuffer src, int len, ByteBuffer dst,
            GroCoalescer coalescer, ByteBuffer[] srcs, ByteBuffer out, int[] offs, int[] lens) {
        int n = splitter.start(src, 0, len);
        dst.clear();
        while (splitter.next(dst) >= 0) {
            // drain
        }
        out.clear();
        return n + coalescer.coalesce(srcs, srcs.length, out, offs, lens);
    }
}
