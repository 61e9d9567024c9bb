// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GsoSplitterTest {

    private final GsoSplitter splitter = new GsoSplitter();
    private final Random random = new Random(42);

    private List<byte[]> split(byte[] in) {
        ByteBuffer src = TestPackets.buffer(random, in, 5, 7);
        int n = splitter.start(src, src.position(), in.length);
        assertTrue(n > 0, () -> GsoSplitter.describe(n));
        ByteBuffer dst = ByteBuffer.allocate(70000);
        List<byte[]> out = new ArrayList<>();
        int len;
        while ((len = splitter.next(dst)) >= 0) {
            out.add(TestPackets.bytes(dst, dst.position() - len, len));
        }
        assertEquals(GsoSplitter.DONE, len);
        assertEquals(n, out.size());
        assertEquals(GsoSplitter.DONE, splitter.next(dst));
        return out;
    }

    private int reject(byte[] in) {
        ByteBuffer src = ByteBuffer.wrap(in);
        int n = splitter.start(src, 0, in.length);
        assertTrue(n < 0, "expected a rejection");
        assertEquals(GsoSplitter.DONE, splitter.next(ByteBuffer.allocate(70000)));
        return n;
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    private static void assertSegment(byte[] seg, int expectedPayload) {
        assertTrue(RefChecksum.valid(seg), "checksums");
        int hl = RefChecksum.ipHeaderLength(seg);
        if ((seg[0] & 0xf0) == 0x40) {
            assertEquals(seg.length, RefChecksum.u16(seg, 2));
        } else {
            assertEquals(seg.length - 40, RefChecksum.u16(seg, 4));
        }
        if (RefChecksum.proto(seg) == 17) {
            assertEquals(seg.length - hl, RefChecksum.u16(seg, hl + 4));
            assertEquals(expectedPayload, seg.length - hl - 8);
        }
    }

    @Test
    void tcpv4SplitsWithLastShortSegment() {
        TestPackets.Spec s = new TestPackets.Spec();
        s.flags = 0x18 | 0x01; // ACK PSH FIN
        s.seq = 0xfffffc00; // wraps during the split
        s.id = 0xfffe; // wraps too
        s.tcpOptions = new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
        byte[] data = payload(1448 * 2 + 100);
        List<byte[]> segs = split(TestPackets.superPacket(s, data, 1448, false));
        assertEquals(3, segs.size());
        int hl = 20;
        int[] sizes = {1448, 1448, 100};
        for (int k = 0; k < 3; k++) {
            byte[] g = segs.get(k);
            assertSegment(g, sizes[k]);
            assertEquals(20 + 32 + sizes[k], g.length);
            assertEquals((0xfffe + k) & 0xffff, RefChecksum.u16(g, 4));
            assertEquals(0xfffffc00 + 1448 * k, TestPackets.getInt(g, hl + 4));
            assertEquals(k == 2 ? 0x19 : 0x10, g[hl + 13] & 0xff);
            assertArrayEquals(Arrays.copyOfRange(data, 1448 * k, 1448 * k + sizes[k]),
                    Arrays.copyOfRange(g, 52, g.length));
            assertEquals(1, g[40]); // the options (NOP NOP timestamp) are copied to every segment
            assertEquals(10, g[43]);
        }
    }

    @Test
    void tcpv6SplitsEvenly() {
        TestPackets.Spec s = new TestPackets.Spec().ipv6();
        s.flowLabel = 0x12345;
        s.tos = 0xb8;
        byte[] data = payload(1200 * 4);
        List<byte[]> segs = split(TestPackets.superPacket(s, data, 1200, false));
        assertEquals(4, segs.size());
        for (int k = 0; k < 4; k++) {
            byte[] g = segs.get(k);
            assertSegment(g, 1200);
            assertEquals(1220, RefChecksum.u16(g, 4));
            assertEquals(1000 + 1200 * k, TestPackets.getInt(g, 44));
            assertEquals(0x6b, g[0] & 0xff);
            assertEquals(0x81, g[1] & 0xff);
        }
    }

    @Test
    void udpv4AndUdpv6Split() {
        for (boolean v6 : new boolean[] {false, true}) {
            TestPackets.Spec s = new TestPackets.Spec();
            if (v6) {
                s.ipv6();
            }
            s.tcp = false;
            byte[] data = payload(1000 * 5 + 1);
            List<byte[]> segs = split(TestPackets.superPacket(s, data, 1000, false));
            assertEquals(6, segs.size());
            for (int k = 0; k < 6; k++) {
                assertSegment(segs.get(k), k == 5 ? 1 : 1000);
            }
            assertEquals(RefSplitter.split(TestPackets.superPacket(s, data, 1000, false)).size(), 6);
        }
    }

    @Test
    void ecnCwrOnlyOnFirstAndFinPshOnlyOnLast() {
        TestPackets.Spec s = new TestPackets.Spec();
        s.flags = 0x80 | 0x40 | 0x10 | 0x08 | 0x01; // CWR ECE ACK PSH FIN
        s.tos = 0x02; // ECT(0)
        List<byte[]> segs = split(TestPackets.superPacket(s, payload(3000), 1000, true));
        assertEquals(3, segs.size());
        assertEquals(0xd0, segs.get(0)[33] & 0xff); // CWR ECE ACK
        assertEquals(0x50, segs.get(1)[33] & 0xff); // ECE ACK
        assertEquals(0x59, segs.get(2)[33] & 0xff); // ECE ACK PSH FIN
        for (byte[] g : segs) {
            assertEquals(0x02, g[1]);
        }
    }

    @Test
    void superPacketWithinOneSegmentYieldsOnePacket() {
        TestPackets.Spec s = new TestPackets.Spec();
        List<byte[]> segs = split(TestPackets.superPacket(s, payload(500), 1448, false));
        assertEquals(1, segs.size());
        assertArrayEquals(TestPackets.build(s, payload(500)), segs.get(0));
        // No payload at all (e.g. a bare ACK the kernel marked for GSO) also yields one packet.
        assertArrayEquals(TestPackets.build(s, new byte[0]),
                split(TestPackets.superPacket(s, new byte[0], 1448, false)).get(0));
    }

    @Test
    void plainPacketIsCopiedAndNeedsCsumCompleted() {
        TestPackets.Spec s = new TestPackets.Spec().ipv6();
        byte[] full = TestPackets.build(s, payload(700));
        byte[] plain = new byte[10 + full.length];
        System.arraycopy(full, 0, plain, 10, full.length);
        assertArrayEquals(full, split(plain).get(0));

        byte[] partial = TestPackets.superPacket(s, payload(700), 1448, false);
        partial[1] = 0; // GSO_NONE, NEEDS_CSUM still set
        assertArrayEquals(full, split(partial).get(0));
    }

    @Test
    void noRoomDoesNotConsume() {
        byte[] in = TestPackets.superPacket(new TestPackets.Spec(), payload(3000), 1000, false);
        ByteBuffer src = ByteBuffer.wrap(in);
        assertEquals(3, splitter.start(src, 0, in.length));
        assertEquals(1040, splitter.nextLength());
        ByteBuffer small = ByteBuffer.allocate(1039);
        assertEquals(GsoSplitter.NO_ROOM, splitter.next(small));
        assertEquals(0, small.position());
        ByteBuffer dst = ByteBuffer.allocate(1040 * 3);
        assertEquals(1040, splitter.next(dst));
        assertEquals(1040, splitter.next(dst));
        assertEquals(1040, splitter.next(dst));
        assertEquals(GsoSplitter.DONE, splitter.next(dst));
        assertEquals(3120, dst.position());
        assertArrayEquals(in, TestPackets.bytes(src, 0, in.length), "source untouched");
    }

    @Test
    void malformedInputIsRejected() {
        TestPackets.Spec s = new TestPackets.Spec();
        byte[] good = TestPackets.superPacket(s, payload(3000), 1000, false);

        assertEquals(GsoSplitter.ERR_TRUNCATED, reject(new byte[0]));
        assertEquals(GsoSplitter.ERR_TRUNCATED, reject(new byte[10]));
        assertEquals(GsoSplitter.ERR_IP_HEADER, reject(Arrays.copyOf(good, 25)));
        // IPv4 total length beyond what was read.
        assertEquals(GsoSplitter.ERR_IP_HEADER, reject(Arrays.copyOf(good, good.length - 1)));

        byte[] badIhl = good.clone();
        badIhl[10] = 0x44;
        assertEquals(GsoSplitter.ERR_IP_HEADER, reject(badIhl));
        byte[] longIhl = TestPackets.superPacket(s, new byte[0], 1000, false);
        longIhl[10] = 0x4f; // a 60-byte IPv4 header in a 40-byte packet
        assertEquals(GsoSplitter.ERR_IP_HEADER, reject(longIhl));

        byte[] gso0 = good.clone();
        gso0[4] = 0;
        gso0[5] = 0;
        assertEquals(GsoSplitter.ERR_GSO_SIZE, reject(gso0));

        byte[] doff = good.clone();
        doff[10 + 20 + 12] = (byte) 0xf0; // TCP header of 60 bytes in a 3040-byte packet is fine ...
        doff = Arrays.copyOf(doff, 10 + 20 + 40);
        RefChecksum.put16(doff, 12, 60);
        assertEquals(GsoSplitter.ERR_L4_HEADER, reject(doff)); // ... but not in a 60-byte one
        doff[10 + 20 + 12] = 0x40; // data offset 4 < 5
        assertEquals(GsoSplitter.ERR_L4_HEADER, reject(doff));

        byte[] ufo = good.clone();
        ufo[1] = VirtioNetHdr.GSO_UDP;
        assertEquals(GsoSplitter.ERR_GSO_TYPE, reject(ufo));
        ufo[1] = 9;
        assertEquals(GsoSplitter.ERR_GSO_TYPE, reject(ufo));

        byte[] wrongVersion = good.clone();
        wrongVersion[1] = VirtioNetHdr.GSO_TCPV6;
        assertEquals(GsoSplitter.ERR_IP_HEADER, reject(wrongVersion));

        byte[] udpInTcp = good.clone();
        udpInTcp[1] = VirtioNetHdr.GSO_UDP_L4;
        assertEquals(GsoSplitter.ERR_PROTOCOL, reject(udpInTcp));

        byte[] frag = good.clone();
        frag[10 + 6] = 0x20; // MF
        assertEquals(GsoSplitter.ERR_FRAGMENT, reject(frag));

        byte[] v6 = TestPackets.superPacket(new TestPackets.Spec().ipv6(), payload(3000), 1000, false);
        v6[10 + 6] = 0; // next header: hop-by-hop options (RFC 8200 §4.3)
        assertEquals(GsoSplitter.ERR_PROTOCOL, reject(v6));
        v6[10 + 6] = 44; // fragment header
        assertEquals(GsoSplitter.ERR_PROTOCOL, reject(v6));

        byte[] csum = TestPackets.superPacket(s, payload(100), 1000, false);
        csum[1] = 0;
        csum[6] = (byte) 200; // csum_start beyond the 140-byte packet
        assertEquals(GsoSplitter.ERR_CSUM_OFFSETS, reject(csum));
        csum[6] = 20;
        csum[8] = (byte) 119; // field would end one byte past the packet
        assertEquals(GsoSplitter.ERR_CSUM_OFFSETS, reject(csum));

        // Offsets outside the buffer.
        assertEquals(GsoSplitter.ERR_TRUNCATED, splitter.start(ByteBuffer.wrap(good), 1, good.length));
        assertEquals(GsoSplitter.ERR_TRUNCATED, splitter.start(ByteBuffer.wrap(good), -1, 20));
    }

    @Test
    void hdrLenFromTheKernelIsIgnored() {
        byte[] in = TestPackets.superPacket(new TestPackets.Spec(), payload(3000), 1000, false);
        in[2] = (byte) 0xff;
        in[3] = (byte) 0xff;
        assertEquals(3, split(in).size());
    }
}
