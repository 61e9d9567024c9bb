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
        // openbsd/src sys/net/route.h 1.218: msglen, version, type, hdrlen @4, index @6, tableid @8, priority @10,
        // mpls @11, addrs @12, flags @16, fmask @20, pid @24, seq @28, errno @32, inits @36, then struct
        // rt_metrics @40: u_int64_t pksent, int64_t expire and 10 u_int (locks .. pad) = 56, so 96 in all.
        assertEquals(new RtMsghdr.Layout(96, 5, 6, 16, 12, 24, 28, 32, 4, 8), RtMsghdr.layout(BsdAbi.OPENBSD));
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
        assertEquals(96 + 3 * 32, n, "sockaddr_in6 padded to 32");
        assertEquals(96, b.getShort(4), "rtm_hdrlen: sizeof(struct rt_msghdr), route.h 1.218");
        assertEquals(RtMsghdr.RTF_UP | RtMsghdr.RTF_STATIC, b.getInt(16), "rtm_flags @16");
        assertEquals(7, b.getInt(12), "rtm_addrs @12");
        assertEquals(2, b.get(3), "RTM_DELETE");
        assertEquals("1c18", hex(b, 96, 98), "sin6_len 28, AF_INET6 24");
        assertEquals("1c18", hex(b, 128, 130), "the gateway 32 bytes on");
    }

    @Test
    void netbsdVersion4AndAHostRouteFlag() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(300).order(ByteOrder.LITTLE_ENDIAN);
        RtMsghdr.putRoute(b, BsdAbi.NETBSD, RtMsghdr.RTM_ADD, 1, InetAddress.getByName("10.1.1.1"), 32,
                InetAddress.getByName("10.1.1.2"), true);
        assertEquals(4, b.get(2));
        assertEquals(RtMsghdr.RTF_UP | RtMsghdr.RTF_STATIC | RtMsghdr.RTF_GATEWAY | RtMsghdr.RTF_HOST, b.getInt(8));
    }

    private static final String VIA_10_0_0_2 = "1002" + "0000" + "0a620800" + "00".repeat(8)
            + "1002" + "0000" + "0a000002" + "00".repeat(8)
            + "1002" + "0000" + "ffffff00" + "00".repeat(8);
    /** sockaddr_dl: sdl_len 20, AF_LINK 18, sdl_index 7, type, nlen, alen, slen 0, 12 bytes of data. */
    private static final String LINK_7 = "1412" + "0700" + "00".repeat(16);

    @Test
    void freebsdUserRouteTo10_98_8_0Slash24Via10_0_0_2() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(300).order(ByteOrder.LITTLE_ENDIAN);
        int n = RtMsghdr.putUserRoute(b, BsdAbi.FREEBSD, RtMsghdr.RTM_ADD, 1, InetAddress.getByName("10.98.8.0"), 24,
                InetAddress.getByName("10.0.0.2"), 7, 0);
        assertEquals(152 + 3 * 16 + 24, n, "the sockaddr_dl padded to 24");
        // msglen 224, version 5, RTM_ADD, rtm_index 0, spare; flags UP|GATEWAY|STATIC; addrs DST|GATEWAY|NETMASK|
        // IFP; pid 0; seq 1; errno, fmask, inits 0.
        assertEquals("e000" + "05" + "01" + "0000" + "0000" + "03080000" + "17000000" + "00000000" + "01000000"
                + "00".repeat(16), hex(b, 0, 40));
        assertEquals("00".repeat(112), hex(b, 40, 152), "14 u_long metrics zero");
        assertEquals(VIA_10_0_0_2 + LINK_7 + "00000000", hex(b, 152, 224));
    }

    @Test
    void macosUserRouteTo10_98_8_0Slash24Via10_0_0_2() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(300).order(ByteOrder.LITTLE_ENDIAN);
        int n = RtMsghdr.putUserRoute(b, BsdAbi.DARWIN, RtMsghdr.RTM_ADD, 1, InetAddress.getByName("10.98.8.0"), 24,
                InetAddress.getByName("10.0.0.2"), 7, 0);
        assertEquals(92 + 3 * 16 + 20, n, "ROUNDUP32 keeps the 20-byte sockaddr_dl");
        assertEquals("a000" + "05" + "01" + "0000" + "0000" + "03080000" + "17000000" + "00000000" + "01000000"
                + "00".repeat(12), hex(b, 0, 36));
        assertEquals("00".repeat(56), hex(b, 36, 92));
        assertEquals(VIA_10_0_0_2 + LINK_7, hex(b, 92, 160));
    }

    /**
     * OpenBSD's sockaddr_dl as an on-link gateway: openbsd/src sys/net/rtsock.c 1.388 rtm_xaddrs refuses an
     * AF_LINK RTA_GATEWAY shorter than sizeof(struct sockaddr_dl) with EINVAL, and sys/net/if_dl.h makes that
     * 32 (len, family, u16 index, type, nlen, alen, slen, sdl_data[24]).
     */
    private static final String OPENBSD_LINK_7 = "2012" + "0700" + "00".repeat(28);

    @Test
    void onLinkRouteHasTheInterfaceAsGatewayAndOpenBsdAPriority() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(300).order(ByteOrder.LITTLE_ENDIAN);
        int n = RtMsghdr.putUserRoute(b, BsdAbi.OPENBSD, RtMsghdr.RTM_ADD, 1, InetAddress.getByName("10.98.7.0"), 24,
                null, 7, 5);
        assertEquals(96 + 16 + 32 + 16, n);
        assertEquals(96, b.getShort(4), "rtm_hdrlen");
        assertEquals(5, b.get(10), "rtm_priority @10");
        assertEquals(RtMsghdr.RTF_UP | RtMsghdr.RTF_STATIC, b.getInt(16), "no RTF_GATEWAY");
        assertEquals(7, b.getInt(12), "DST|GATEWAY|NETMASK, no IFP");
        assertEquals(OPENBSD_LINK_7, hex(b, 112, 144), "the gateway is the interface's full sockaddr_dl");
        assertEquals("1002" + "0000" + "ffffff00", hex(b, 144, 152), "the netmask right after it");
    }

    @Test
    void dumpIsReadMessageByMessage() throws Exception {
        // Two FreeBSD RTM_GET messages of a NET_RT_DUMP: 10.98.8.0/24 via 10.0.0.2 on index 7 (flags
        // UP|GATEWAY|STATIC), and 10.98.7.0/24 on-link on index 9 (gateway a sockaddr_dl), netmask shortened to
        // sa_len 7.
        ByteBuffer b = ByteBuffer.allocate(1000).order(ByteOrder.LITTLE_ENDIAN);
        String first = "c000" + "05" + "04" + "0700" + "0000" + "03080000" + "07000000" + "00".repeat(136)
                + "1002" + "0000" + "0a620800" + "00".repeat(8)
                + "1002" + "0000" + "0a000002" + "00".repeat(8)
                + "0700" + "0000" + "ffffff" + "00";
        String second = "c800" + "05" + "04" + "0900" + "0000" + "01080000" + "07000000" + "00".repeat(136)
                + "1002" + "0000" + "0a620700" + "00".repeat(8)
                + "1412" + "0900" + "00".repeat(16) + "00000000"
                + "0700" + "0000" + "ffffff" + "00";
        byte[] raw = HexFormat.of().parseHex(first + second);
        b.put(0, raw);
        java.util.List<RtMsghdr.Dumped> routes = RtMsghdr.readDump(b, raw.length, BsdAbi.FREEBSD);
        assertEquals(java.util.List.of(
                new RtMsghdr.Dumped(7, 0x803, InetAddress.getByName("10.98.8.0"), 24,
                        InetAddress.getByName("10.0.0.2"), 0),
                new RtMsghdr.Dumped(9, 0x801, InetAddress.getByName("10.98.7.0"), 24, null, 0)), routes);
    }
}
