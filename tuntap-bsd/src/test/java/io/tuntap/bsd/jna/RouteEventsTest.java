// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Interface messages of the routing socket, parsed from LP64 (little-endian: amd64 and arm64) images written
 * out by hand from each system's {@code net/if.h} and {@code net/route.h}.
 */
class RouteEventsTest {

    private static ByteBuffer bytes(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex.replace(" ", ""));
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static RouteEvents.Message parse(String hex, BsdAbi abi) {
        ByteBuffer b = bytes(hex);
        return RouteEvents.parse(b, b.capacity(), abi);
    }

    private static String zeros(int n) {
        return "00".repeat(n);
    }

    private static final String TUN3 = "74756e33" + zeros(12);

    @Test
    void freebsdDepartureOfTun3() {
        // if_announcemsghdr: msglen 24, version 5, RTM_IFANNOUNCE 0x11, index 7 @4, name @6, what 1 @22.
        String m = "1800 05 11 0700" + TUN3 + "0100";
        assertEquals(new RouteEvents.Departure(7, "tun3"), parse(m, BsdAbi.FREEBSD));
        // IFAN_ARRIVAL is no event.
        assertNull(parse("1800 05 11 0700" + TUN3 + "0000", BsdAbi.FREEBSD));
    }

    @Test
    void openbsdDepartureOfTun3() {
        // msglen 26, version 5, RTM_IFANNOUNCE 0xf, hdrlen 26 @4, index 7 @6, what 1 @8, name @10.
        String m = "1a00 05 0f 1a00 0700 0100" + TUN3;
        assertEquals(new RouteEvents.Departure(7, "tun3"), parse(m, BsdAbi.OPENBSD));
    }

    @Test
    void netbsdDepartureOfTun3() {
        // version 4, RTM_IFANNOUNCE 0x10, index @4, name @6, what @22.
        String m = "1800 04 10 0700" + TUN3 + "0100";
        assertEquals(new RouteEvents.Departure(7, "tun3"), parse(m, BsdAbi.NETBSD));
        assertNull(parse("1800 05 10 0700" + TUN3 + "0100", BsdAbi.NETBSD), "NetBSD's RTM_VERSION is 4");
    }

    @Test
    void macosHasNoAnnouncement() {
        assertNull(parse("1800 05 11 0700" + TUN3 + "0100", BsdAbi.DARWIN));
    }

    @Test
    void freebsdNewAddressWithPeerAndShortenedNetmask() throws Exception {
        // ifa_msghdr (20 bytes): msglen 60, version 5, RTM_NEWADDR 0xc, addrs NETMASK|IFA|BRD (0xa4) @4,
        // flags 0 @8, index 7 @12, spare, metric 0 @16. Then the sockaddrs, each rounded up to 8 bytes
        // (SA_SIZE): the netmask shortened to its last non-zero byte (sa_len 7, family 0, as the kernel sends
        // it), sockaddr_in 10.99.3.1, sockaddr_in 10.99.3.2.
        String m = "3c00 05 0c a4000000 00000000 0700 0000 00000000"
                + "07000000ffffff 00"
                + "10020000 0a630301" + zeros(8)
                + "10020000 0a630302" + zeros(8);
        assertEquals(new RouteEvents.AddressChange(7, true, InetAddress.getByName("10.99.3.1"), 24,
                InetAddress.getByName("10.99.3.2")), parse(m, BsdAbi.FREEBSD));
    }

    @Test
    void openbsdDeletedAddressStartsAtHdrlen() throws Exception {
        // ifa_msghdr (24 bytes): msglen 56, version 5, RTM_DELADDR 0xd, hdrlen 24 @4, index 7 @6, tableid,
        // pads, addrs NETMASK|IFA (0x24) @12, flags @16, metric @20; sockaddrs aligned to 8.
        String m = "3800 05 0d 1800 0700 0000 00 00 24000000 00000000 00000000"
                + "10020000 ffffff00" + zeros(8)
                + "10020000 0a630301" + zeros(8);
        assertEquals(new RouteEvents.AddressChange(7, false, InetAddress.getByName("10.99.3.1"), 24, null),
                parse(m, BsdAbi.OPENBSD));
    }

    @Test
    void macosIpv6AddressAlignedTo4() throws Exception {
        // ifa_msghdr (20 bytes), RTM_NEWADDR; sockaddr_in6 (28 bytes, AF_INET6 30) needs no padding on
        // macOS (ROUNDUP32): netmask /64 then fd00::1.
        String in6Mask = "1c1e0000 00000000 ffffffffffffffff 0000000000000000 00000000";
        String in6Addr = "1c1e0000 00000000 fd000000000000000000000000000001 00000000";
        String m = "4c00 05 0c 24000000 00000000 0900 0000 00000000" + in6Mask + in6Addr;
        assertEquals(new RouteEvents.AddressChange(9, true, InetAddress.getByName("fd00::1"), 64, null),
                parse(m, BsdAbi.DARWIN));
    }

    @Test
    void netbsdAddressHeaderHasIndexFirst() throws Exception {
        // ifa_msghdr (32 bytes): msglen 64, version 4, RTM_NEWADDR 0x16, index 7 @4, flags @8,
        // addrs 0x24 @12, pid, addrflags, metric, padded to 32 (__align64).
        String m = "4000 04 16 0700 0000 00000000 24000000" + zeros(16)
                + "10020000 ffff0000" + zeros(8)
                + "10020000 c0a80101" + zeros(8);
        assertEquals(new RouteEvents.AddressChange(7, true, InetAddress.getByName("192.168.1.1"), 16, null),
                parse(m, BsdAbi.NETBSD));
    }

    @Test
    void interfaceInfoCarriesFlagsAndMtu() {
        // FreeBSD if_msghdr (168 bytes): addrs @4, flags @8 (UP|POINTOPOINT|RUNNING|MULTICAST = 0x8051),
        // index @12, if_data @16 with ifi_mtu (u32) at +8.
        String freebsd = "a800 05 0e 00000000 51800000 0700 0000" + zeros(8) + "78050000" + zeros(140);
        assertEquals(new RouteEvents.IfInfo(7, 0x8051, 1400), parse(freebsd, BsdAbi.FREEBSD));
        // OpenBSD: hdrlen @4, index @6, addrs @12, flags @16, xflags @20, if_data @24 with ifi_mtu at +4.
        String openbsd = "a800 05 0e a800 0700 0000 0000 00000000 51800000 00000000" + zeros(4) + "78050000"
                + zeros(136);
        assertEquals(new RouteEvents.IfInfo(7, 0x8051, 1400), parse(openbsd, BsdAbi.OPENBSD));
        // NetBSD if_msghdr (152 bytes): RTM_IFINFO 0x14, version 4, ifi_mtu a u64 at if_data (16) + 8.
        String netbsd = "9800 04 14 00000000 50800000 0700 0000" + zeros(8) + "7805000000000000" + zeros(120);
        assertEquals(new RouteEvents.IfInfo(7, 0x8050, 1400), parse(netbsd, BsdAbi.NETBSD));
        // macOS if_msghdr (112 bytes): if_data @16 with ifi_mtu (u32) at +8.
        String macos = "7000 05 0e 00000000 51800000 0900 0000" + zeros(8) + "dc050000" + zeros(84);
        assertEquals(new RouteEvents.IfInfo(9, 0x8051, 1500), parse(macos, BsdAbi.DARWIN));
    }

    @Test
    void otherAndMalformedMessagesAreIgnored() {
        // RTM_ADD (1) is not an interface message.
        assertNull(parse("9800 05 01" + zeros(148), BsdAbi.FREEBSD));
        // msglen larger than what was read.
        assertNull(parse("ff00 05 0e" + zeros(20), BsdAbi.FREEBSD));
        // an address message whose sockaddr runs past the end.
        assertNull(parse("2000 05 0c 20000000 00000000 0700 0000 00000000 10020000 0a630301", BsdAbi.FREEBSD));
    }

    @Test
    void ifMsghdrSizesFromTheHeaders() {
        // freebsd/freebsd-src sys/net/if.h: if_msghdr is msglen, version, type, addrs, flags, index, spare (16
        // bytes), then struct if_data: 6 uint8_t and uint16_t ifi_datalen (8), uint32_t mtu and metric (8), 14
        // uint64_t from baudrate to hwassist (112), the 8-byte epoch union and the 16-byte lastchange union: 152.
        assertEquals(16 + 152, RouteEvents.layout(BsdAbi.FREEBSD).ifmSize());
        // NetBSD/src sys/net/if.h: the same 16 bytes, then struct if_data: 3 u_char and int ifi_link_state (8),
        // 14 uint64_t from mtu to noproto (112), struct timespec ifi_lastchange (16): 136.
        assertEquals(16 + 136, RouteEvents.layout(BsdAbi.NETBSD).ifmSize());
    }
}
