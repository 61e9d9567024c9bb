// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact LP64 little-endian images (amd64 and arm64 agree) of the structures the backend passes to the
 * kernel. The expected bytes are written out by hand from the header layouts, field by field.
 */
class StructLayoutTest {
    private static final HexFormat HEX = HexFormat.of();

    private static ByteBuffer buffer(int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) 0xee); // garbage the serialiser must overwrite
        }
        return b;
    }

    private static String hex(ByteBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.get(0, bytes);
        return HEX.formatHex(bytes);
    }

    private static Inet4Address v4(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    private static Inet6Address v6(String s) throws Exception {
        return (Inet6Address) InetAddress.getByName(s);
    }

    private static final String NAME_TUN0 = "74756e30" + "00".repeat(12);
    private static final String SIN_10_0_0_1 = "1002" + "0000" + "0a000001" + "00".repeat(8);
    private static final String SIN_10_0_0_2 = "1002" + "0000" + "0a000002" + "00".repeat(8);
    private static final String SIN_MASK_24 = "1002" + "0000" + "ffffff00" + "00".repeat(8);

    @Test
    void freebsdIfaliasreqFor10001Peer10002Slash24() throws Exception {
        ByteBuffer b = buffer(80);
        Ifaliasreq.put(b, BsdAbi.FREEBSD, "tun0", v4("10.0.0.1"), v4("10.0.0.2"), 24);
        assertEquals(NAME_TUN0 + SIN_10_0_0_1 + SIN_10_0_0_2 + SIN_MASK_24 + "00000000", hex(b, 68),
                "68 bytes: name, addr, dstaddr, mask, ifra_vhid 0");
        assertEquals((byte) 0xee, b.get(68), "nothing written past the struct");
    }

    @Test
    void otherIfaliasreqIs64Bytes() throws Exception {
        for (BsdAbi abi : new BsdAbi[] {BsdAbi.OPENBSD, BsdAbi.NETBSD, BsdAbi.DARWIN}) {
            ByteBuffer b = buffer(68);
            Ifaliasreq.put(b, abi, "tun0", v4("10.0.0.1"), v4("10.0.0.2"), 24);
            assertEquals(NAME_TUN0 + SIN_10_0_0_1 + SIN_10_0_0_2 + SIN_MASK_24, hex(b, 64), abi.toString());
            assertEquals((byte) 0xee, b.get(64), abi + ": nothing past 64 bytes");
        }
    }

    @Test
    void ifaliasreqWithoutPeerLeavesTheDestinationEmpty() throws Exception {
        ByteBuffer b = buffer(64);
        Ifaliasreq.put(b, BsdAbi.DARWIN, "utun3", v4("192.168.7.9"), null, 16);
        assertEquals("7574756e33" + "00".repeat(11) + "1002" + "0000" + "c0a80709" + "00".repeat(8)
                + "00".repeat(16) + "1002" + "0000" + "ffff0000" + "00".repeat(8), hex(b, 64));
    }

    @Test
    void in6AliasreqForFd001Peer2Slash128() throws Exception {
        // KAME layout: addr @16, dstaddr @44, prefixmask @72, flags @100, lifetime @104 (expire, preferred,
        // vltime @120, pltime @124); FreeBSD adds ifra_vhid @128 and 4 bytes of padding.
        String sin6Fd01 = "1c" + "1c" + "0000" + "00000000" + "fd000000000000000000000000000001" + "00000000";
        String sin6Fd02 = "1c" + "1c" + "0000" + "00000000" + "fd000000000000000000000000000002" + "00000000";
        String mask128 = "1c" + "1c" + "0000" + "00000000" + "ff".repeat(16) + "00000000";
        String tail = "20000000" + "00".repeat(16) + "ffffffff" + "ffffffff";
        ByteBuffer b = buffer(140);
        In6Aliasreq.put(b, BsdAbi.FREEBSD, "tun0", v6("fd00::1"), v6("fd00::2"), 128, BsdAbi.IN6_IFF_NODAD);
        assertEquals(NAME_TUN0 + sin6Fd01 + sin6Fd02 + mask128 + tail + "00000000" + "00000000", hex(b, 136));
        assertEquals((byte) 0xee, b.get(136));

        ByteBuffer m = buffer(132);
        In6Aliasreq.put(m, BsdAbi.DARWIN, "tun0", v6("fd00::1"), v6("fd00::2"), 128, BsdAbi.IN6_IFF_NODAD);
        String mac = (NAME_TUN0 + sin6Fd01 + sin6Fd02 + mask128 + tail).replace("1c1c0000", "1c1e0000");
        assertEquals(mac, hex(m, 128), "macOS: AF_INET6 is 30 (0x1e)");
        assertEquals((byte) 0xee, m.get(128));
    }

    @Test
    void in6PrefixMaskOf64() throws Exception {
        ByteBuffer b = buffer(28);
        Sockaddrs.putIn6Mask(b, 0, BsdAbi.OPENBSD, 64);
        assertEquals("1c18" + "0000" + "00000000" + "ff".repeat(8) + "00".repeat(8) + "00000000", hex(b, 28));
        assertEquals(64, Sockaddrs.prefixLength(b, 0, BsdAbi.OPENBSD, true));
        Sockaddrs.putInMask(b, 0, 20);
        assertEquals(20, Sockaddrs.prefixLength(b, 0, BsdAbi.OPENBSD, false));
        assertEquals("1002" + "0000" + "fffff000", hex(b, 8));
    }

    @Test
    void ifreqCarriesMtuAndFlags() {
        ByteBuffer b = buffer(150);
        Ifreq.putInt(b, BsdAbi.NETBSD, "tun0", 1400);
        assertEquals(NAME_TUN0 + "78050000" + "00".repeat(124), hex(b, 144), "NetBSD: 144 bytes, ifr_mtu @16");
        assertEquals((byte) 0xee, b.get(144));
        Ifreq.putFlags(b, BsdAbi.FREEBSD, "tun0", 0x18043);
        assertEquals(NAME_TUN0 + "4380" + "0100" + "00".repeat(12), hex(b, 32),
                "FreeBSD: ifr_flags @16 (low 16 bits), ifr_flagshigh @18");
        assertEquals(0x18043, Ifreq.getFlags(b, BsdAbi.FREEBSD));
        Ifreq.putFlags(b, BsdAbi.OPENBSD, "tun0", 0x8043);
        assertEquals(0x8043, Ifreq.getFlags(b, BsdAbi.OPENBSD));
    }

    @Test
    void ifreqCarriesALinkLevelAddress() {
        ByteBuffer b = buffer(32);
        Ifreq.putLinkAddress(b, BsdAbi.FREEBSD, "tap0", new byte[] {2, 0, 0, 0x12, 0x34, 0x56});
        assertEquals("74617030" + "00".repeat(12) + "06" + "12" + "020000123456" + "00".repeat(8), hex(b, 32));
    }

    @Test
    void namesAreBoundedByIfnamsiz() {
        ByteBuffer b = buffer(32);
        assertThrows(IllegalArgumentException.class, () -> Sockaddrs.putName(b, 0, "sixteen-chars-xx"));
        Sockaddrs.putName(b, 0, "fifteen-chars-x");
        assertEquals("fifteen-chars-x", Ifreq.getName(b));
    }

    @Test
    void ctlInfoAndSockaddrCtl() {
        ByteBuffer b = buffer(104);
        CtlInfo.put(b, CtlInfo.UTUN_CONTROL_NAME);
        String name = HEX.formatHex("com.apple.net.utun_control".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("00000000" + name + "00".repeat(96 - 26), hex(b, 100), "ctl_id @0, ctl_name[96] @4");
        assertEquals((byte) 0xee, b.get(100));
        assertEquals(CtlInfo.UTUN_CONTROL_NAME, CtlInfo.name(b));

        ByteBuffer s = buffer(36);
        CtlInfo.putSockaddrCtl(s, 0x0badcafe, 4); // utun3
        assertEquals("20" + "20" + "0200" + "fecaad0b" + "04000000" + "00".repeat(20), hex(s, 32),
                "sc_len 32, sc_family AF_SYSTEM 32, ss_sysaddr AF_SYS_CONTROL 2, sc_id, sc_unit, reserved");
        assertEquals((byte) 0xee, s.get(32));
    }

    @Test
    void sockaddrsReadBack() throws Exception {
        ByteBuffer b = buffer(28);
        Sockaddrs.put(b, 0, BsdAbi.NETBSD, v6("fd99::7"));
        assertEquals(v6("fd99::7"), Sockaddrs.get(b, 0, BsdAbi.NETBSD));
        assertEquals(null, Sockaddrs.get(b, 0, BsdAbi.FREEBSD), "24 is not AF_INET6 on FreeBSD");
        Sockaddrs.put(b, 0, BsdAbi.NETBSD, v4("10.1.2.3"));
        assertEquals(v4("10.1.2.3"), Sockaddrs.get(b, 0, BsdAbi.NETBSD));
    }

    @Test
    void aLinkLocalAddressLosesItsEmbeddedScope() throws Exception {
        ByteBuffer b = buffer(28);
        Sockaddrs.put(b, 0, BsdAbi.FREEBSD, v6("fe80:5::1"));
        assertEquals(v6("fe80::1"), Sockaddrs.get(b, 0, BsdAbi.FREEBSD), "KAME's scope in bytes 2-3 is not part of it");
        Sockaddrs.put(b, 0, BsdAbi.FREEBSD, v6("fd00:5::1"));
        assertEquals(v6("fd00:5::1"), Sockaddrs.get(b, 0, BsdAbi.FREEBSD), "other addresses are left alone");
    }
}
