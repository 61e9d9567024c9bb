// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class VirtioNetHdrTest {

    @Test
    void layoutIsLittleEndianWhateverTheBufferOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer b = ByteBuffer.allocate(16).order(order);
            VirtioNetHdr.put(b, 3, VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4 | VirtioNetHdr.GSO_ECN,
                    0x0134, 0x05a8, 0x0014, 0x0010);
            byte[] expected = {1, (byte) 0x81, 0x34, 0x01, (byte) 0xa8, 0x05, 0x14, 0x00, 0x10, 0x00};
            for (int i = 0; i < 10; i++) {
                assertEquals(expected[i], b.get(3 + i), "byte " + i);
            }
            assertEquals(1, VirtioNetHdr.flags(b, 3));
            assertEquals(0x81, VirtioNetHdr.gsoType(b, 3));
            assertEquals(0x0134, VirtioNetHdr.hdrLen(b, 3));
            assertEquals(0x05a8, VirtioNetHdr.gsoSize(b, 3));
            assertEquals(0x14, VirtioNetHdr.csumStart(b, 3));
            assertEquals(0x10, VirtioNetHdr.csumOffset(b, 3));
            assertEquals(0, b.position());
            VirtioNetHdr.putPlain(b, 3);
            for (int i = 0; i < 10; i++) {
                assertEquals(0, b.get(3 + i));
            }
        }
    }

    @Test
    void constantsMatchTheUapiHeader() {
        assertEquals(10, VirtioNetHdr.SIZE);
        assertEquals(1, VirtioNetHdr.GSO_TCPV4);
        assertEquals(3, VirtioNetHdr.GSO_UDP);
        assertEquals(4, VirtioNetHdr.GSO_TCPV6);
        assertEquals(5, VirtioNetHdr.GSO_UDP_L4);
        assertEquals(0x80, VirtioNetHdr.GSO_ECN);
        assertEquals(1, VirtioNetHdr.F_NEEDS_CSUM);
        assertEquals(2, VirtioNetHdr.F_DATA_VALID);
    }
}
