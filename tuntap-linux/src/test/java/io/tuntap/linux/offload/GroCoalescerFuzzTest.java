// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link GroCoalescer}, which reads the IP, TCP and UDP headers of a batch of
 * packets to merge them into super-packets behind a {@code virtio_net_hdr}. The input is a batch: each packet
 * is a big-endian u16 length and that many bytes (the last one takes what is left), up to
 * {@value #BATCH} packets, each in a heap buffer of exactly its length, so that a read past a packet throws.
 * Every unit written must fit the room asked for, and every merged unit must be a super-packet that
 * {@link GsoSplitter} accepts. Seeds are in {@code GroCoalescerFuzzTestInputs}; see {@code scripts/fuzz-seeds}.
 */
class GroCoalescerFuzzTest {
    private static final int BATCH = 16;
    private static final GroCoalescer COALESCER = new GroCoalescer(BATCH, true, true);
    private static final GsoSplitter SPLITTER = new GsoSplitter();
    private static final int[] OFFSETS = new int[BATCH];
    private static final int[] LENGTHS = new int[BATCH];

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void coalesce(byte[] batch) {
        ByteBuffer[] packets = new ByteBuffer[BATCH];
        int count = 0;
        int at = 0;
        while (count < BATCH && at + 2 <= batch.length) {
            int length = Math.min(((batch[at] & 0xff) << 8) | (batch[at + 1] & 0xff), batch.length - at - 2);
            packets[count++] = ByteBuffer.wrap(Arrays.copyOfRange(batch, at + 2, at + 2 + length));
            at += 2 + length;
        }
        int room = GroCoalescer.requiredRoom(packets, count);
        ByteBuffer out = ByteBuffer.allocate(room);
        int units = COALESCER.coalesce(packets, count, out, OFFSETS, LENGTHS);
        assertTrue(units >= (count == 0 ? 0 : 1) && units <= count, units + " units of " + count + " packets");
        int end = 0;
        for (int u = 0; u < units; u++) {
            assertEquals(end, OFFSETS[u]);
            end += LENGTHS[u];
            if (VirtioNetHdr.gsoType(out, OFFSETS[u]) != VirtioNetHdr.GSO_NONE) {
                int segments = SPLITTER.start(out, OFFSETS[u], LENGTHS[u]);
                assertTrue(segments >= 2, "a merged unit the splitter takes apart: " + GsoSplitter.describe(segments));
            }
        }
        assertEquals(end, out.position());
    }
}
