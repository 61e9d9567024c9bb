// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of what a read from a TUN device with {@code IFF_VNET_HDR} returns: a
 * {@code virtio_net_hdr} and a packet, taken apart by {@link VirtioNetHdr} and {@link GsoSplitter}. The read
 * is a heap buffer of exactly its length, so a read past it throws; the splitter must either reject the input
 * with one of its {@code ERR_*} codes or produce exactly as many packets as it announced, each within the
 * size it announced. Seeds (in {@code GsoSplitterFuzzTestInputs}) are reads captured from a Linux kernel and
 * super-packets built to the layouts of {@code include/uapi/linux/virtio_net.h}; see {@code scripts/fuzz-seeds}.
 */
class GsoSplitterFuzzTest {
    private static final GsoSplitter SPLITTER = new GsoSplitter();
    private static final ByteBuffer DST = ByteBuffer.allocate(GsoSplitter.MAX_READ_SIZE);

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void split(byte[] read) {
        ByteBuffer src = ByteBuffer.wrap(read);
        int n = SPLITTER.start(src, 0, read.length);
        if (n < 0) {
            assertFalse(GsoSplitter.describe(n).isEmpty());
            assertEquals(GsoSplitter.DONE, SPLITTER.next(DST.clear()));
            return;
        }
        assertTrue(n >= 1, "start() announced " + n + " packets");
        for (int i = 0; i < n; i++) {
            int expected = SPLITTER.nextLength();
            int written = SPLITTER.next(DST.clear());
            assertTrue(written > 0 && written == expected, "packet " + i + ": " + written + " of " + expected);
        }
        assertEquals(GsoSplitter.DONE, SPLITTER.next(DST.clear()));
    }
}
