// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

    @Test
    void rfc1071Example() {
        // RFC 1071 §3 numerical example: the sum of 00 01 f2 03 f4 f5 f6 f7 is 0xddf2.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0xddf2, Checksums.sum(ByteBuffer.wrap(b), 0, 8));
        assertEquals(0xddf2, RefChecksum.sum(b, 0, 8));
    }

    @Test
    void ipv4HeaderKnownValue() {
        // A widely published example header (192.168.0.1 -> 192.168.0.199, UDP) whose checksum is 0xb861.
        int[] h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00,
            0x01, 0xc0, 0xa8, 0x00, 0xc7};
        ByteBuffer b = ByteBuffer.allocate(20);
        for (int i = 0; i < 20; i++) {
            b.put(i, (byte) h[i]);
        }
        assertEquals(0xb861, Checksums.ipv4HeaderChecksum(b, 0, 20));
        Checksums.putIpv4HeaderChecksum(b, 0, 20);
        assertEquals(0xb8, b.get(10) & 0xff);
        assertEquals(0x61, b.get(11) & 0xff);
    }

    @Test
    void sumMatchesReferenceForAnyRangeBufferKindAndOrder() {
        Random r = new Random(1071);
        for (int iter = 0; iter < 3000; iter++) {
            byte[] data = TestPackets.randomBytes(r, r.nextInt(300));
            int off = data.length == 0 ? 0 : r.nextInt(data.length + 1);
            int len = r.nextInt(data.length - off + 1);
            ByteBuffer b = TestPackets.buffer(r, data, r.nextInt(9), r.nextInt(9));
            int base = b.position();
            assertEquals(RefChecksum.sum(data, off, len), Checksums.sum(b, base + off, len),
                    "off " + off + " len " + len + " " + b);
        }
    }

    @Test
    void sumOfAllOnesAndLargeBuffers() {
        byte[] ff = new byte[65535];
        java.util.Arrays.fill(ff, (byte) 0xff);
        assertEquals(0xffff, Checksums.sum(ByteBuffer.wrap(ff), 0, ff.length - 1));
        // Odd length: the last 0xff is padded to 0xff00 (RFC 1071 §1), and 0xffff + 0xff00 folds to 0xff00.
        assertEquals(0xff00, Checksums.sum(ByteBuffer.wrap(ff), 0, ff.length));
        assertEquals(RefChecksum.sum(ff, 0, ff.length), Checksums.sum(ByteBuffer.allocateDirect(65535)
                .put(ff).clear(), 0, 65535));
        assertEquals(0, Checksums.sum(ByteBuffer.allocate(16), 0, 16));
    }

    @Test
    void pseudoHeadersMatchReference() {
        Random r = new Random(793);
        for (int iter = 0; iter < 500; iter++) {
            TestPackets.Spec s = new TestPackets.Spec();
            if (r.nextBoolean()) {
                s.ipv6();
            }
            r.nextBytes(s.src);
            r.nextBytes(s.dst);
            s.tcp = r.nextBoolean();
            byte[] p = TestPackets.build(s, TestPackets.randomBytes(r, r.nextInt(2000)));
            assertTrue(RefChecksum.valid(p));
            int hl = RefChecksum.ipHeaderLength(p);
            int proto = s.tcp ? 6 : 17;
            ByteBuffer b = TestPackets.buffer(r, p, 3, 0);
            int base = b.position();
            int got = s.v6 ? Checksums.pseudoHeaderSumV6(b, base, proto, p.length - hl)
                    : Checksums.pseudoHeaderSumV4(b, base, proto, p.length - hl);
            assertEquals(RefChecksum.pseudo(p, proto, p.length - hl), got);
            // A valid packet's pseudo-header plus L4 sums to 0xffff (RFC 1071 §1 verification).
            assertEquals(0xffff, Checksums.add(got, Checksums.sum(b, base + hl, p.length - hl)));
        }
    }

    @Test
    void completePartialProducesAValidChecksum() {
        Random r = new Random(7);
        for (int iter = 0; iter < 300; iter++) {
            TestPackets.Spec s = new TestPackets.Spec();
            if (r.nextBoolean()) {
                s.ipv6();
            }
            s.tcp = r.nextBoolean();
            byte[] full = TestPackets.build(s, TestPackets.randomBytes(r, r.nextInt(1500)));
            byte[] partial = TestPackets.superPacket(s, java.util.Arrays.copyOfRange(full,
                    TestPackets.headerLength(s), full.length), 1400, false);
            ByteBuffer b = TestPackets.buffer(r, partial, 0, 0);
            int hl = RefChecksum.ipHeaderLength(full);
            Checksums.completePartial(b, 10, full.length, hl, s.tcp ? 16 : 6);
            assertTrue(RefChecksum.valid(TestPackets.bytes(b, 10, full.length)));
        }
    }

    @Test
    void finishNeverReturnsZero() {
        assertEquals(0xffff, Checksums.finish(0xffff));
        assertEquals(0xffff, Checksums.finish(0));
        assertEquals(0x1234, Checksums.finish(~0x1234 & 0xffff));
        assertEquals(0xffff, Checksums.fold(0xffffL));
        assertEquals(1, Checksums.fold(0x10000L));
        assertEquals(0xffff, Checksums.add(0xfffe, 1));
    }
}
