// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PacketsTest {
    static final Inet4Address A4 = v4("10.0.0.1");
    static final Inet4Address B4 = v4("10.0.0.2");
    static final Inet6Address A6 = v6("fd00::1");
    static final Inet6Address B6 = v6("fd00::2");
    static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:0b");

    @Test
    void internetChecksumMatchesTheRfc1071Example() {
        // RFC 1071 section 3: these bytes sum to ddf2, so the checksum is its complement.
        byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0x220d, Packets.internetChecksum(data, 0, data.length));
    }

    @Test
    void internetChecksumPadsAnOddByte() {
        assertEquals(~0xab00 & 0xffff, Packets.internetChecksum(new byte[] {(byte) 0xab}, 0, 1));
    }

    @Test
    void ipv4HeaderChecksumOfAKnownHeader() {
        // 192.168.0.1 -> 192.168.0.199, UDP, total length 115, DF, TTL 64: checksum b861 (worked by hand).
        byte[] header = hex("450000730000400040110000c0a80001c0a800c7");
        assertEquals(0xb861, Packets.internetChecksum(header, 0, 20));
        header[10] = (byte) 0xb8;
        header[11] = 0x61;
        ByteBuffer b = ByteBuffer.allocate(200).put(header).put(new byte[95]).flip();
        assertTrue(Packets.isIpv4HeaderChecksumValid(b));
        header[11] = 0x62;
        assertFalse(Packets.isIpv4HeaderChecksumValid(ByteBuffer.wrap(header)));
    }

    @Test
    void icmpv4EchoRequestHasTheHandComputedChecksum() {
        // Type 8, code 0, id 1, seq 1, no data: words 0800 + 0001 + 0001 = 0802, complement f7fd.
        byte[] p = Packets.icmpv4EchoRequest(A4, B4, 1, 1, new byte[0]);
        assertEquals(28, p.length);
        assertEquals(0xf7, p[22] & 0xff);
        assertEquals(0xfd, p[23] & 0xff);
        assertTrue(Packets.isIpv4HeaderChecksumValid(ByteBuffer.wrap(p)));
        assertTrue(Packets.isTransportChecksumValid(ByteBuffer.wrap(p)));
    }

    @Test
    void udpOverIpv4RoundTrips() {
        byte[] payload = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] p = Packets.udp(new InetSocketAddress(A4, 1234), new InetSocketAddress(B4, 53), payload);
        ByteBuffer b = ByteBuffer.wrap(p);
        assertEquals(4, Packets.ipVersion(b));
        assertEquals(Packets.PROTOCOL_UDP, Packets.protocol(b));
        assertEquals(A4, Packets.sourceAddress(b));
        assertEquals(B4, Packets.destinationAddress(b));
        assertEquals(1234, Packets.udpSourcePort(b));
        assertEquals(53, Packets.udpDestinationPort(b));
        assertArrayEquals(payload, Packets.udpPayload(b));
        assertTrue(Packets.isIpv4HeaderChecksumValid(b));
        assertTrue(Packets.isTransportChecksumValid(b));
        assertEquals(0, b.position(), "parsers leave the position alone");
        p[p.length - 1] ^= 1;
        assertFalse(Packets.isTransportChecksumValid(b), "a flipped payload bit breaks the checksum");
    }

    @Test
    void udpOverIpv6RoundTripsAndParsesFromAnOffsetInALittleEndianBuffer() {
        byte[] payload = {1, 2, 3};
        byte[] p = Packets.udp(new InetSocketAddress(A6, 5000), new InetSocketAddress(B6, 6000), payload);
        ByteBuffer b = ByteBuffer.allocate(p.length + 10).order(ByteOrder.LITTLE_ENDIAN);
        b.position(4);
        b.put(p).flip().position(4);
        Packets.Udp udp = Packets.parseUdp(b).orElseThrow();
        assertEquals(new InetSocketAddress(A6, 5000), udp.source());
        assertEquals(new InetSocketAddress(B6, 6000), udp.destination());
        assertArrayEquals(payload, udp.payload());
        assertTrue(Packets.isTransportChecksumValid(b));
        assertFalse(Packets.isIpv4HeaderChecksumValid(b), "IPv6 has no header checksum");
        assertEquals(4, b.position());
        assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
    }

    @Test
    void udpChecksumZeroIsValidOnlyOverIpv4() {
        byte[] p4 = Packets.udp(new InetSocketAddress(A4, 1), new InetSocketAddress(B4, 2), new byte[4]);
        p4[26] = 0;
        p4[27] = 0;
        assertTrue(Packets.isTransportChecksumValid(ByteBuffer.wrap(p4)));
        byte[] p6 = Packets.udp(new InetSocketAddress(A6, 1), new InetSocketAddress(B6, 2), new byte[4]);
        p6[46] = 0;
        p6[47] = 0;
        assertFalse(Packets.isTransportChecksumValid(ByteBuffer.wrap(p6)));
    }

    @Test
    void icmpv6EchoCarriesAPseudoHeaderChecksumAndParses() {
        byte[] p = Packets.icmpv6EchoRequest(A6, B6, 7, 9, new byte[] {42});
        ByteBuffer b = ByteBuffer.wrap(p);
        assertTrue(Packets.isTransportChecksumValid(b));
        Packets.Echo echo = Packets.parseEcho(b).orElseThrow();
        assertEquals(new Packets.Echo(6, Packets.ICMPV6_ECHO_REQUEST, 7, 9, new byte[] {42}), echo);
        assertTrue(echo.isRequest());
        // The same message with other addresses must not verify: the pseudo-header is covered.
        System.arraycopy(A6.getAddress(), 0, p, 24, 16);
        assertFalse(Packets.isTransportChecksumValid(b));
    }

    @Test
    void malformedInputGivesEmptyOrFalseNeverAnUncheckedSurprise() {
        for (int len = 0; len < 80; len++) {
            byte[] junk = new byte[len];
            for (int i = 0; i < len; i++) {
                junk[i] = (byte) (i * 37 + len);
            }
            if (len > 0) {
                junk[0] = (byte) (len % 2 == 0 ? 0x45 : 0x60);
            }
            ByteBuffer b = ByteBuffer.wrap(junk);
            Packets.parseUdp(b);
            Packets.parseEcho(b);
            Packets.isTransportChecksumValid(b);
            Packets.isIpv4HeaderChecksumValid(b);
        }
        assertThrows(IllegalArgumentException.class, () -> Packets.protocol(ByteBuffer.allocate(3)));
        assertThrows(IllegalArgumentException.class, () -> Packets.udpPayload(
                ByteBuffer.wrap(Packets.icmpv4EchoRequest(A4, B4, 1, 1, new byte[0]))));
    }

    @Test
    void truncatedPacketIsNotParsed() {
        byte[] p = Packets.udp(new InetSocketAddress(A4, 1), new InetSocketAddress(B4, 2), new byte[20]);
        ByteBuffer cut = ByteBuffer.wrap(p, 0, p.length - 1);
        assertTrue(Packets.parseUdp(cut).isEmpty());
        assertFalse(Packets.isTransportChecksumValid(cut));
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static Inet4Address v4(String s) {
        return (Inet4Address) io.tuntap.IpPrefix.parse(s).address();
    }

    static Inet6Address v6(String s) {
        InetAddress a = io.tuntap.IpPrefix.parse(s).address();
        return (Inet6Address) a;
    }
}
