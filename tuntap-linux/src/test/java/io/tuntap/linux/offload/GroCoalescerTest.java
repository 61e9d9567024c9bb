// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroCoalescerTest {

    private final Random random = new Random(99);

    /** Coalesces and returns the units as arrays. */
    static List<byte[]> coalesce(GroCoalescer c, List<byte[]> pkts, Random r) {
        ByteBuffer[] srcs = new ByteBuffer[pkts.size()];
        for (int i = 0; i < srcs.length; i++) {
            srcs[i] = TestPackets.buffer(r, pkts.get(i), r.nextInt(4), r.nextInt(4));
        }
        ByteBuffer out = ByteBuffer.allocate(GroCoalescer.requiredRoom(srcs, srcs.length) + 5);
        out.position(3);
        int[] offs = new int[srcs.length];
        int[] lens = new int[srcs.length];
        int n = c.coalesce(srcs, srcs.length, out, offs, lens);
        assertTrue(n >= 0);
        List<byte[]> units = new ArrayList<>();
        int expectedOff = 3;
        for (int u = 0; u < n; u++) {
            assertEquals(expectedOff, offs[u]);
            units.add(TestPackets.bytes(out, offs[u], lens[u]));
            expectedOff += lens[u];
        }
        assertEquals(expectedOff, out.position());
        return units;
    }

    static List<byte[]> splitAll(List<byte[]> units) {
        GsoSplitter s = new GsoSplitter();
        List<byte[]> out = new ArrayList<>();
        ByteBuffer dst = ByteBuffer.allocate(70000);
        for (byte[] u : units) {
            int n = s.start(ByteBuffer.wrap(u), 0, u.length);
            assertTrue(n > 0, () -> GsoSplitter.describe(n));
            int len;
            while ((len = s.next(dst.clear())) >= 0) {
                out.add(TestPackets.bytes(dst, 0, len));
            }
        }
        return out;
    }

    private static List<byte[]> flow(TestPackets.Spec s, int... payloads) {
        List<byte[]> out = new ArrayList<>();
        for (int p : payloads) {
            byte[] data = new byte[p];
            for (int i = 0; i < p; i++) {
                data[i] = (byte) (s.seq + i);
            }
            out.add(TestPackets.build(s, data));
            s.seq += p;
            s.id++;
        }
        return out;
    }

    private static void assertRoundTrip(List<byte[]> in, List<byte[]> units) {
        List<byte[]> back = splitAll(units);
        assertEquals(in.size(), back.size());
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(in.get(i), back.get(i), "packet " + i);
        }
    }

    @Test
    void tcpv4SegmentsMergeIntoOneSuperPacket() {
        TestPackets.Spec s = new TestPackets.Spec();
        s.tcpOptions = new byte[] {1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8};
        List<byte[]> in = flow(s, 1000, 1000, 1000, 400);
        List<byte[]> units = coalesce(new GroCoalescer(64, true, false), in, random);
        assertEquals(1, units.size());
        byte[] u = units.get(0);
        assertEquals(VirtioNetHdr.F_NEEDS_CSUM, u[0]);
        assertEquals(VirtioNetHdr.GSO_TCPV4, u[1]);
        ByteBuffer b = ByteBuffer.wrap(u);
        assertEquals(52, VirtioNetHdr.hdrLen(b, 0));
        assertEquals(1000, VirtioNetHdr.gsoSize(b, 0));
        assertEquals(20, VirtioNetHdr.csumStart(b, 0));
        assertEquals(16, VirtioNetHdr.csumOffset(b, 0));
        assertEquals(10 + 52 + 3400, u.length);
        byte[] pkt = java.util.Arrays.copyOfRange(u, 10, u.length);
        assertEquals(pkt.length, RefChecksum.u16(pkt, 2));
        assertEquals(0xffff, RefChecksum.sum(pkt, 0, 20), "IPv4 header checksum");
        assertEquals(RefChecksum.pseudo(pkt, 6, pkt.length - 20), RefChecksum.u16(pkt, 36),
                "partial checksum = pseudo-header sum");
        assertRoundTrip(in, units);
    }

    @Test
    void tcpv6WithPshOnLastMerges() {
        TestPackets.Spec s = new TestPackets.Spec().ipv6();
        List<byte[]> in = flow(s, 1200, 1200);
        s.flags = 0x18;
        in.addAll(flow(s, 1200));
        s.flags = 0x10;
        in.addAll(flow(s, 1200)); // after PSH: a new super-packet (here a lone packet)
        List<byte[]> units = coalesce(new GroCoalescer(64, true, false), in, random);
        assertEquals(2, units.size());
        assertEquals(VirtioNetHdr.GSO_TCPV6, units.get(0)[1]);
        assertEquals(0x18, units.get(0)[10 + 40 + 13]);
        assertEquals(0, units.get(1)[1]);
        assertRoundTrip(in, units);
    }

    @Test
    void shortSegmentEndsTheSuperPacket() {
        TestPackets.Spec s = new TestPackets.Spec();
        List<byte[]> in = flow(s, 1000, 500, 1000, 1000);
        List<byte[]> units = coalesce(new GroCoalescer(64, true, false), in, random);
        assertEquals(2, units.size());
        assertEquals(10 + 40 + 1500, units.get(0).length);
        assertEquals(10 + 40 + 2000, units.get(1).length);
        assertRoundTrip(in, units);
    }

    @Test
    void differencesPreventMerging() {
        GroCoalescer c = new GroCoalescer(64, true, false);
        TestPackets.Spec s = new TestPackets.Spec();
        List<byte[]> in = flow(s, 1000);
        s.seq += 1; // gap
        in.addAll(flow(s, 1000));
        s.ack++; // new ack number
        in.addAll(flow(s, 1000));
        s.window++;
        in.addAll(flow(s, 1000));
        s.ttl--;
        in.addAll(flow(s, 1000));
        s.df = false; // not atomic: the IPv4 identification matters
        in.addAll(flow(s, 1000, 1000));
        s.df = true;
        s.flags = 0x11; // FIN
        in.addAll(flow(s, 1000));
        assertEquals(in.size(), coalesce(c, in, random).size());
        assertRoundTrip(in, coalesce(c, in, random));
    }

    @Test
    void interleavedFlowsMergeAndKeepOrderWithinEachFlow() {
        TestPackets.Spec a = new TestPackets.Spec();
        TestPackets.Spec b = new TestPackets.Spec();
        b.sport = 40001;
        List<byte[]> in = new ArrayList<>();
        List<byte[]> fa = new ArrayList<>();
        List<byte[]> fb = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] pa = flow(a, 900).get(0);
            byte[] pb = flow(b, 800).get(0);
            in.add(pa);
            in.add(pb);
            fa.add(pa);
            fb.add(pb);
        }
        List<byte[]> units = coalesce(new GroCoalescer(64, true, false), in, random);
        assertEquals(2, units.size());
        List<byte[]> expected = new ArrayList<>(fa);
        expected.addAll(fb);
        assertRoundTrip(expected, units);
    }

    @Test
    void pureAckOfTheSameFlowClosesTheOpenSuperPacket() {
        TestPackets.Spec s = new TestPackets.Spec();
        List<byte[]> in = flow(s, 1000, 1000);
        in.addAll(flow(s, 0)); // a bare ACK
        in.addAll(flow(s, 1000, 1000));
        List<byte[]> units = coalesce(new GroCoalescer(64, true, false), in, random);
        assertEquals(3, units.size());
        assertRoundTrip(in, units);
    }

    @Test
    void udpMergesOnlyWhenEnabled() {
        TestPackets.Spec s = new TestPackets.Spec();
        s.tcp = false;
        List<byte[]> in = flow(s, 1200, 1200, 1200, 7);
        assertEquals(4, coalesce(new GroCoalescer(64, true, false), in, random).size());
        List<byte[]> units = coalesce(new GroCoalescer(64, true, true), in, random);
        assertEquals(1, units.size());
        assertEquals(VirtioNetHdr.GSO_UDP_L4, units.get(0)[1]);
        assertEquals(6, units.get(0)[8]);
        assertRoundTrip(in, units);

        TestPackets.Spec v6 = new TestPackets.Spec().ipv6();
        v6.tcp = false;
        List<byte[]> in6 = flow(v6, 1000, 1000);
        List<byte[]> units6 = coalesce(new GroCoalescer(64, false, true), in6, random);
        assertEquals(1, units6.size());
        assertRoundTrip(in6, units6);
    }

    @Test
    void offSwitchEmitsEveryPacketWithAZeroHeader() {
        TestPackets.Spec s = new TestPackets.Spec();
        List<byte[]> in = flow(s, 1000, 1000, 1000);
        List<byte[]> units = coalesce(new GroCoalescer(8, false, false), in, random);
        assertEquals(3, units.size());
        for (int i = 0; i < 3; i++) {
            byte[] u = units.get(i);
            for (int k = 0; k < 10; k++) {
                assertEquals(0, u[k]);
            }
            assertArrayEquals(in.get(i), java.util.Arrays.copyOfRange(u, 10, u.length));
        }
    }

    @Test
    void capsAtSixtyFourSegmentsAnd65535Bytes() {
        TestPackets.Spec s = new TestPackets.Spec();
        int[] small = new int[130];
        java.util.Arrays.fill(small, 10);
        List<byte[]> in = flow(s, small);
        List<byte[]> units = coalesce(new GroCoalescer(130, true, false), in, random);
        assertEquals(3, units.size()); // 64 + 64 + 2
        assertRoundTrip(in, units);

        TestPackets.Spec big = new TestPackets.Spec();
        int[] sizes = new int[50];
        java.util.Arrays.fill(sizes, 1460);
        List<byte[]> inBig = flow(big, sizes);
        List<byte[]> unitsBig = coalesce(new GroCoalescer(64, true, false), inBig, random);
        for (byte[] u : unitsBig) {
            assertTrue(u.length - 10 <= 65535);
        }
        // 40 + 44 * 1460 = 64280 fits; one more segment would not.
        assertEquals(10 + 40 + 44 * 1460, unitsBig.get(0).length);
        assertRoundTrip(inBig, unitsBig);
    }

    @Test
    void garbageAndEmptyPacketsPassThrough() {
        List<byte[]> in = new ArrayList<>();
        in.add(new byte[0]);
        in.add(new byte[] {0x45});
        in.add(TestPackets.randomBytes(random, 100));
        List<byte[]> units = coalesce(new GroCoalescer(8, true, true), in, random);
        assertEquals(3, units.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(10 + in.get(i).length, units.get(i).length);
        }
    }

    @Test
    void noRoomAndBadArguments() {
        GroCoalescer c = new GroCoalescer(2, true, true);
        ByteBuffer[] srcs = {ByteBuffer.allocate(100), ByteBuffer.allocate(100)};
        int[] offs = new int[2];
        int[] lens = new int[2];
        assertEquals(GroCoalescer.NO_ROOM, c.coalesce(srcs, 2, ByteBuffer.allocate(219), offs, lens));
        assertEquals(2, c.coalesce(srcs, 2, ByteBuffer.allocate(220), offs, lens));
        assertEquals(0, c.coalesce(srcs, 0, ByteBuffer.allocate(0), offs, lens));
        assertThrows(IllegalArgumentException.class,
                () -> c.coalesce(new ByteBuffer[3], 3, ByteBuffer.allocate(999), new int[3], new int[3]));
        assertThrows(IllegalArgumentException.class, () -> c.coalesce(srcs, 2, ByteBuffer.allocate(999),
                new int[1], lens));
        assertThrows(IllegalArgumentException.class, () -> new GroCoalescer(0, true, true));
    }
}
