// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated inputs: no exception escapes, the splitter rejects exactly what the reference rejects
 * and otherwise agrees with it, and nothing is written outside the destination's position..limit.
 */
class OffloadFuzzTest {

    private static final int INPUTS = 20_000;
    private static final byte CANARY = (byte) 0xa5;

    /**
     * This thread's CPU time: the bound is on the work done, which a machine busy with other processes
     * does not stretch as it stretches wall-clock time.
     */
    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static byte[] seed(Random r) {
        TestPackets.Spec s = OffloadPropertyTest.randomSpec(r, r.nextBoolean());
        s.flags = r.nextInt(256);
        byte[] payload = TestPackets.randomBytes(r, r.nextInt(3000));
        return TestPackets.superPacket(s, payload, 1 + r.nextInt(1500), r.nextBoolean());
    }

    private static byte[] mutate(Random r, byte[] in) {
        byte[] b = in;
        switch (r.nextInt(6)) {
            case 0:
                return TestPackets.randomBytes(r, r.nextInt(200));
            case 1:
                return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 2:
                b = b.clone();
                for (int k = r.nextInt(10); k >= 0; k--) {
                    b[r.nextInt(Math.min(b.length, 80))] = (byte) r.nextInt(256);
                }
                return b;
            case 3:
                b = b.clone();
                for (int k = 0; k < 10; k++) {
                    b[k] = (byte) r.nextInt(256);
                }
                return b;
            case 4:
                b = b.clone();
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                return b;
            default:
                return b;
        }
    }

    /** A destination inside a larger canary-filled array: writable region [lead, lead + room). */
    private static ByteBuffer fenced(Random r, int room) {
        int lead = 1 + r.nextInt(16);
        byte[] backing = new byte[lead + room + 16];
        java.util.Arrays.fill(backing, CANARY);
        ByteBuffer b = r.nextBoolean() ? ByteBuffer.wrap(backing) : ByteBuffer.allocateDirect(backing.length)
                .put(backing).clear();
        b.position(lead).limit(lead + room);
        return b;
    }

    private static void assertFence(ByteBuffer dst, int lead, int room) {
        ByteBuffer b = dst.duplicate().clear();
        for (int i = 0; i < b.capacity(); i++) {
            if (i < lead || i >= lead + room) {
                assertEquals(CANARY, b.get(i), "write outside the destination at " + i);
            }
        }
    }

    @Test
    void splitterSurvivesFuzzAndAgreesWithReference() {
        Random r = new Random(0xF022);
        GsoSplitter splitter = new GsoSplitter();
        long start = cpuNanos();
        int accepted = 0;
        for (int c = 0; c < INPUTS; c++) {
            byte[] in = mutate(r, seed(r));
            List<byte[]> ref = RefSplitter.split(in);
            ByteBuffer src = TestPackets.buffer(r, in, r.nextInt(4), r.nextInt(4));
            int n = splitter.start(src, src.position(), in.length);
            if (ref == null) {
                assertTrue(n < 0, "case " + c + " accepted, the reference rejects");
                assertTrue(GsoSplitter.describe(n).length() > 0);
                continue;
            }
            assertEquals(ref.size(), n, "case " + c);
            accepted++;
            for (byte[] e : ref) {
                int room = r.nextInt(4) == 0 ? r.nextInt(e.length + 1) : e.length + r.nextInt(64);
                ByteBuffer dst = fenced(r, room);
                int lead = dst.position();
                int len = splitter.next(dst);
                if (room < e.length) {
                    assertEquals(GsoSplitter.NO_ROOM, len);
                    assertEquals(lead, dst.position());
                    dst = fenced(r, e.length);
                    lead = dst.position();
                    room = e.length;
                    len = splitter.next(dst);
                }
                assertEquals(e.length, len);
                assertArrayEquals(e, TestPackets.bytes(dst, lead, len), "case " + c);
                assertFence(dst, lead, room);
            }
            assertEquals(GsoSplitter.DONE, splitter.next(ByteBuffer.allocate(0)));
        }
        assertTrue(accepted > INPUTS / 4, "fuzz inputs should not all be rejected: " + accepted);
        long seconds = Duration.ofNanos(cpuNanos() - start).toSeconds();
        assertTrue(seconds < 5, seconds + " s of CPU time");
    }

    @Test
    void coalescerSurvivesFuzzAndEmitsSplittableUnits() {
        Random r = new Random(0xC0A1);
        GroCoalescer coalescer = new GroCoalescer(16, true, true);
        GsoSplitter splitter = new GsoSplitter();
        ByteBuffer dst = ByteBuffer.allocate(70000);
        int[] offs = new int[16];
        int[] lens = new int[16];
        long start = cpuNanos();
        int merged = 0;
        int corruptedChecked = 0;
        for (int c = 0; c < INPUTS; c++) {
            int count = 1 + r.nextInt(16);
            ByteBuffer[] srcs = new ByteBuffer[count];
            List<byte[]> corrupted = new ArrayList<>();
            TestPackets.Spec s = OffloadPropertyTest.randomSpec(r, r.nextBoolean());
            s.flags = 0x10;
            int gso = 1 + r.nextInt(300);
            for (int i = 0; i < count; i++) {
                byte[] p = TestPackets.build(s, TestPackets.randomBytes(r, gso));
                s.seq += gso;
                s.id++;
                if (r.nextInt(3) == 0) {
                    p = mutate(r, p);
                } else if (r.nextInt(4) == 0) {
                    // One bit flipped anywhere but the version/IHL byte: the packet still parses.
                    p[1 + r.nextInt(p.length - 1)] ^= (byte) (1 << r.nextInt(8));
                    if (!RefChecksum.valid(p)) {
                        corrupted.add(p);
                    }
                }
                srcs[i] = TestPackets.buffer(r, p, r.nextInt(4), r.nextInt(4));
            }
            int need = GroCoalescer.requiredRoom(srcs, count);
            int room = r.nextInt(10) == 0 ? r.nextInt(need + 1) : need + r.nextInt(32);
            ByteBuffer out = fenced(r, room);
            int lead = out.position();
            int n = coalescer.coalesce(srcs, count, out, offs, lens);
            assertFence(out, lead, room);
            if (room < need) {
                assertEquals(GroCoalescer.NO_ROOM, n);
                assertEquals(lead, out.position());
                continue;
            }
            assertTrue(n >= 1 && n <= count);
            int expectedOff = lead;
            for (int u = 0; u < n; u++) {
                assertEquals(expectedOff, offs[u]);
                expectedOff += lens[u];
                if (VirtioNetHdr.gsoType(out, offs[u]) != VirtioNetHdr.GSO_NONE) {
                    merged++;
                    int segs = splitter.start(out, offs[u], lens[u]);
                    assertTrue(segs >= 2, GsoSplitter.describe(segs));
                    while (splitter.next(dst.clear()) >= 0) {
                        assertTrue(RefChecksum.valid(TestPackets.bytes(dst, 0, dst.position())));
                    }
                }
            }
            assertEquals(expectedOff, out.position());
            assertTrue(expectedOff <= lead + room);
            // Every segment whose checksum fails comes out alone, unchanged, behind a plain header.
            for (byte[] bad : corrupted) {
                boolean found = false;
                for (int u = 0; u < n && !found; u++) {
                    found = VirtioNetHdr.gsoType(out, offs[u]) == VirtioNetHdr.GSO_NONE
                            && lens[u] - VirtioNetHdr.SIZE == bad.length
                            && java.util.Arrays.equals(TestPackets.bytes(out, offs[u] + VirtioNetHdr.SIZE, bad.length), bad);
                }
                assertTrue(found, "case " + c + ": a corrupted segment was not passed on unmerged");
                corruptedChecked++;
            }
        }
        assertTrue(merged > INPUTS / 10, "merged units: " + merged);
        assertTrue(corruptedChecked > INPUTS / 10, "corrupted segments checked: " + corruptedChecked);
        long seconds = Duration.ofNanos(cpuNanos() - start).toSeconds();
        assertTrue(seconds < 5, seconds + " s of CPU time");
    }
}
