// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded random properties: the splitter agrees with {@link RefSplitter} byte for byte, and splitting what
 * the coalescer produced gives back the original packets, in order within each flow.
 */
class OffloadPropertyTest {

    private static final int CASES = 2000;

    static TestPackets.Spec randomSpec(Random r, boolean tcp) {
        TestPackets.Spec s = new TestPackets.Spec();
        if (r.nextBoolean()) {
            s.ipv6();
            s.flowLabel = r.nextInt(1 << 20);
        } else if (r.nextInt(5) == 0) {
            s.ipOptions = TestPackets.randomBytes(r, 4 * (1 + r.nextInt(3)));
        }
        r.nextBytes(s.src);
        r.nextBytes(s.dst);
        s.tcp = tcp;
        s.tos = r.nextInt(256);
        s.ttl = 1 + r.nextInt(255);
        s.id = r.nextInt(65536);
        s.seq = r.nextInt();
        s.ack = r.nextInt();
        s.window = r.nextInt(65536);
        s.dport = r.nextInt(65536);
        if (tcp && r.nextBoolean()) {
            s.tcpOptions = TestPackets.randomBytes(r, 4 * (1 + r.nextInt(10)));
        }
        return s;
    }

    @Test
    void splitterMatchesReference() {
        Random r = new Random(20240601);
        GsoSplitter splitter = new GsoSplitter();
        ByteBuffer heap = ByteBuffer.allocate(70000);
        ByteBuffer direct = ByteBuffer.allocateDirect(70000).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long segments = 0;
        for (int c = 0; c < CASES; c++) {
            TestPackets.Spec s = randomSpec(r, r.nextInt(3) != 0);
            if (s.tcp) {
                s.flags = 0x10 | (r.nextInt(8) == 0 ? 0x01 : 0) | (r.nextBoolean() ? 0x08 : 0)
                        | (r.nextInt(4) == 0 ? 0xc0 : 0);
            }
            int hdrs = TestPackets.headerLength(s);
            int max = (s.v6 ? 65535 + 40 : 65535) - hdrs;
            int payloadLen = r.nextInt(4) == 0 ? r.nextInt(max + 1) : r.nextInt(Math.min(max, 9000) + 1);
            int gso = Math.max(1, payloadLen / 100) + r.nextInt(1500);
            byte[] in = TestPackets.superPacket(s, TestPackets.randomBytes(r, payloadLen), gso,
                    s.tcp && r.nextBoolean());
            if (r.nextInt(10) == 0) {
                in[1] = 0; // GSO_NONE with NEEDS_CSUM
            }
            List<byte[]> expected = RefSplitter.split(in);
            assertNotNull(expected);
            ByteBuffer src = TestPackets.buffer(r, in, r.nextInt(8), r.nextInt(8));
            assertEquals(expected.size(), splitter.start(src, src.position(), in.length));
            ByteBuffer dst = r.nextBoolean() ? heap : direct;
            for (byte[] e : expected) {
                dst.clear().position(r.nextInt(16));
                int at = dst.position();
                assertEquals(e.length, splitter.next(dst));
                assertArrayEquals(e, TestPackets.bytes(dst, at, e.length), "case " + c);
                assertTrue(RefChecksum.valid(e));
                segments++;
            }
            assertEquals(GsoSplitter.DONE, splitter.next(dst));
        }
        assertTrue(segments > CASES);
    }

    @Test
    void splitOfCoalesceGivesBackTheSegments() {
        Random r = new Random(8200);
        GroCoalescer coalescer = new GroCoalescer(128, true, true);
        GsoSplitter splitter = new GsoSplitter();
        ByteBuffer out = ByteBuffer.allocateDirect(128 * (10 + 1500 + 120));
        ByteBuffer dst = ByteBuffer.allocate(70000);
        int[] offs = new int[128];
        int[] lens = new int[128];
        long packets = 0;
        long units = 0;
        long corruptedSeen = 0;
        for (int c = 0; c < CASES; c++) {
            int flows = 1 + r.nextInt(5);
            Set<byte[]> corrupted = Collections.newSetFromMap(new IdentityHashMap<>());
            List<ArrayDeque<byte[]>> perFlow = new ArrayList<>();
            Map<Integer, ArrayDeque<byte[]>> bySport = new HashMap<>();
            for (int f = 0; f < flows; f++) {
                TestPackets.Spec s = randomSpec(r, r.nextInt(3) != 0);
                s.sport = 1000 * c % 60000 + f; // unique per flow within a batch
                s.df = r.nextInt(20) != 0;
                ArrayDeque<byte[]> q = new ArrayDeque<>();
                int gso = 1 + r.nextInt(1400);
                int n = 1 + r.nextInt(128 / flows);
                for (int i = 0; i < n; i++) {
                    int len = gso;
                    int ev = r.nextInt(100);
                    if (ev < 8) {
                        len = r.nextInt(gso);
                    }
                    if (s.tcp) {
                        s.flags = 0x10;
                        if (ev >= 8 && ev < 13) {
                            s.flags |= 0x08;
                        } else if (ev == 13) {
                            s.flags |= 0x01;
                        } else if (ev == 14) {
                            s.seq += 1 + r.nextInt(1000);
                        } else if (ev == 15) {
                            s.ack += 1;
                        } else if (ev == 16) {
                            s.flags = 0x10 | 0x80;
                        }
                    } else if (ev == 14) {
                        s.ttl = 1 + r.nextInt(255);
                    }
                    byte[] p = TestPackets.build(s, TestPackets.randomBytes(r, len));
                    if (ev == 17 && len > 0) {
                        // Damaged on the way: one payload bit flipped, the checksum no longer matches.
                        p[p.length - 1 - r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
                        corrupted.add(p);
                    } else if (ev == 18 && !s.v6) {
                        p[4] ^= (byte) (1 << r.nextInt(8)); // the IPv4 identification, not compared
                        corrupted.add(p);
                    }
                    q.add(p);
                    s.seq += len;
                    s.id++;
                }
                perFlow.add(q);
                bySport.put(s.sport, new ArrayDeque<>(q));
            }
            List<byte[]> batch = new ArrayList<>();
            while (batch.size() < 128) {
                int f = r.nextInt(flows);
                ArrayDeque<byte[]> q = perFlow.get(f);
                if (q.isEmpty()) {
                    boolean any = false;
                    for (ArrayDeque<byte[]> x : perFlow) {
                        any |= !x.isEmpty();
                    }
                    if (!any) {
                        break;
                    }
                    continue;
                }
                batch.add(q.poll());
            }
            ByteBuffer[] srcs = new ByteBuffer[batch.size()];
            for (int i = 0; i < srcs.length; i++) {
                srcs[i] = TestPackets.buffer(r, batch.get(i), r.nextInt(3), r.nextInt(3));
            }
            out.clear();
            int nu = coalescer.coalesce(srcs, srcs.length, out, offs, lens);
            assertTrue(nu >= 1 && nu <= srcs.length);
            units += nu;
            packets += srcs.length;
            for (int u = 0; u < nu; u++) {
                boolean merged = VirtioNetHdr.gsoType(out, offs[u]) != VirtioNetHdr.GSO_NONE;
                int segs = splitter.start(out, offs[u], lens[u]);
                assertTrue(segs > 0, GsoSplitter.describe(segs));
                assertTrue(segs <= GroCoalescer.MAX_SEGMENTS);
                int len;
                while ((len = splitter.next(dst.clear())) >= 0) {
                    byte[] got = TestPackets.bytes(dst, 0, len);
                    int sport = RefChecksum.u16(got, RefChecksum.ipHeaderLength(got));
                    ArrayDeque<byte[]> q = bySport.get(sport);
                    assertNotNull(q, "unknown flow");
                    byte[] want = q.poll();
                    assertArrayEquals(want, got, "case " + c + " unit " + u);
                    if (corrupted.contains(want)) {
                        // Passed on alone and as it came, so that the receiver sees the bad checksum.
                        assertFalse(merged, "case " + c + ": a corrupted segment was merged");
                        assertFalse(RefChecksum.valid(got));
                        corruptedSeen++;
                    } else {
                        assertTrue(RefChecksum.valid(got));
                    }
                }
            }
            for (ArrayDeque<byte[]> q : bySport.values()) {
                assertTrue(q.isEmpty(), "case " + c + ": packets lost");
            }
        }
        // The generator makes mostly mergeable flows: coalescing must actually happen.
        assertTrue(units * 3 < packets, units + " units for " + packets + " packets");
        assertTrue(corruptedSeen > 100, "corrupted segments generated: " + corruptedSeen);
    }
}
