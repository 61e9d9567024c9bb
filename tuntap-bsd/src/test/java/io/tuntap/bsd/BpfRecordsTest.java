// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * BPF read buffers written out by hand from apple-oss-distributions/xnu tag xnu-11417.101.15 (commit e3723e1f):
 * {@code bsd/net/bpf.h} {@code struct bpf_hdr} on LP64 ({@code timeval32} at 0, {@code bh_caplen} at 8,
 * {@code bh_datalen} at 12, {@code bh_hdrlen} at 16), {@code BPF_WORDALIGN} to 4; {@code bsd/net/bpf.c}
 * catchpacket (each record at {@code BPF_WORDALIGN} of the previous end) and bpfattach ({@code bif_hdrlen} 18
 * for Ethernet).
 */
class BpfRecordsTest {

    /** A record: timestamp, caplen, datalen, hdrlen 18, then {@code caplen} bytes of value {@code fill}. */
    private static void record(ByteBuffer b, int at, int caplen, int datalen, int fill) {
        b.putInt(at, 1_700_000_000).putInt(at + 4, 250_000);
        b.putInt(at + 8, caplen).putInt(at + 12, datalen).putShort(at + 16, (short) 18);
        for (int i = 0; i < caplen; i++) {
            b.put(at + 18 + i, (byte) fill);
        }
    }

    @Test
    void recordsFollowEachOtherOnFourByteBoundaries() {
        ByteBuffer b = ByteBuffer.allocateDirect(512).order(ByteOrder.nativeOrder());
        record(b, 0, 61, 61, 1); // ends at 79: the next starts at 80
        record(b, 80, 60, 60, 2); // ends at 158: the next starts at 160
        record(b, 160, 42, 1514, 3); // cut by the kernel: caplen < datalen
        BpfRecords r = new BpfRecords();
        r.load(b, 160 + 18 + 42);
        assertEquals(61, r.next());
        assertEquals(18, r.frameOffset());
        assertFalse(r.truncated());
        assertEquals(1, b.get(r.frameOffset() + 60));
        assertEquals(60, r.next());
        assertEquals(98, r.frameOffset());
        assertEquals(2, b.get(r.frameOffset()));
        assertEquals(42, r.next());
        assertEquals(178, r.frameOffset());
        assertEquals(1514, r.wireLength());
        assertTrue(r.truncated());
        assertFalse(r.hasMore());
        assertEquals(-1, r.next());
        assertEquals(0, r.malformed());
    }

    @Test
    void aRecordBeyondWhatWasReadEndsTheWalk() {
        ByteBuffer b = ByteBuffer.allocateDirect(256).order(ByteOrder.nativeOrder());
        record(b, 0, 60, 60, 1);
        record(b, 80, 100, 100, 2);
        BpfRecords r = new BpfRecords();
        r.load(b, 80 + 18 + 50); // the second record's packet goes past the end
        assertEquals(60, r.next());
        assertEquals(-1, r.next());
        assertEquals(1, r.malformed());
        b.putShort(16, (short) 10); // a header shorter than SIZEOF_BPF_HDR
        r.load(b, 80);
        assertEquals(-1, r.next());
        assertEquals(2, r.malformed());
        r.load(b, 10); // less than a header
        assertEquals(-1, r.next());
        assertEquals(3, r.malformed());
    }
}
