// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Routing-socket messages per OS: header sizes, field offsets, alignment, and byte-exact LP64 images. */
class RtMsghdrTest {

    private static String hex(ByteBuffer b, int from, int to) {
        byte[] bytes = new byte[to - from];
        b.get(from, bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void layoutsFromTheHeaders() {
        assertEquals(new RtMsghdr.Layout(152, 5, 4, 8, 12, 16, 20, 24, -1, 8), RtMsghdr.layout(BsdAbi.FREEBSD));
        assertEquals(new RtMsghdr.Layout(104, 5, 6, 16, 12, 24, 28, 32, 4, 8), RtMsghdr.layout(BsdAbi.OPENBSD));
        assertEquals(new RtMsghdr.Layout(120, 4, 4, 8, 12, 16, 20, 24, -1, 8), RtMsghdr.layout(BsdAbi.NETBSD));
        assertEquals(new RtMsghdr.Layout(92, 5, 4, 8, 12, 16, 20, 24, -1, 4), RtMsghdr.layout(BsdAbi.DARWIN));
        assertEquals(32, RtMsghdr.roundUp(28, RtMsghdr.layout(BsdAbi.NETBSD)), "sockaddr_in6 padded to 8");
        assertEquals(28, RtMsghdr.roundUp(28, RtMsghdr.layout(BsdAbi.DARWIN)), "ROUNDUP32 keeps 28");
        assertEquals(8, RtMsghdr.roundUp(0, RtMsghdr.layout(BsdAbi.FREEBSD)), "an empty sockaddr takes a slot");
    }

    @Test
    void macosInterfaceRouteFor10_99_0_0Slash24() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        int n = RtMsghdr.putRoute(b, BsdAbi.DARWIN, RtMsghdr.RTM_ADD, 7, InetAddress.getByName("10.99.0.0"), 24,
                InetAddress.getByName("10.99.0.1"), false);
        assertEquals(92 + 3 * 16, n);
        // msglen 140, version 5, RTM_ADD, index 0, pad; flags RTF_UP|RTF_STATIC; addrs DST|GATEWAY|NETMASK;
        // pid 0; seq 7; errno, use, inits 0.
        assertEquals("8c00" + "05" + "01" + "0000" + "0000" + "01080000" + "07000000" + "00000000" + "07000000"
                + "00".repeat(12), hex(b, 0, 36));
        assertEquals("00".repeat(56), hex(b, 36, 92), "metrics zero");
        assertEquals("1002" + "0000" + "0a630000" + "00".repeat(8)
                + "1002" + "0000" + "0a630001" + "00".repeat(8)
                + "1002" + "0000" + "ffffff00" + "00".repeat(8), hex(b, 92, 140));
    }

    @Test
    void openbsdCarriesItsHeaderLengthAndFlagsAt16() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(300).order(ByteOrder.LITTLE_ENDIAN);
        int n = RtMsghdr.putRoute(b, BsdAbi.OPENBSD, RtMsghdr.RTM_DELETE, 1, InetAddress.getByName("fd99::"), 64,
                InetAddress.getByName("fd99::1"), false);
        assertEquals(104 + 3 * 32, n, "sockaddr_in6 padded to 32");
        assertEquals(104, b.getShort(4), "rtm_hdrlen");
        assertEquals(RtMsghdr.RTF_UP | RtMsghdr.RTF_STATIC, b.getInt(16), "rtm_flags @16");
        assertEquals(7, b.getInt(12), "rtm_addrs @12");
        assertEquals(2, b.get(3), "RTM_DELETE");
        assertEquals("1c18", hex(b, 104, 106), "sin6_len 28, AF_INET6 24");
        assertEquals("1c18", hex(b, 136, 138), "the gateway 32 bytes on");
    }

    @Test
    void netbsdVersion4AndAHostRouteFlag() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(300).order(ByteOrder.LITTLE_ENDIAN);
        RtMsghdr.putRoute(b, BsdAbi.NETBSD, RtMsghdr.RTM_ADD, 1, InetAddress.getByName("10.1.1.1"), 32,
                InetAddress.getByName("10.1.1.2"), true);
        assertEquals(4, b.get(2));
        assertEquals(RtMsghdr.RTF_UP | RtMsghdr.RTF_STATIC | RtMsghdr.RTF_GATEWAY | RtMsghdr.RTF_HOST, b.getInt(8));
    }
}
