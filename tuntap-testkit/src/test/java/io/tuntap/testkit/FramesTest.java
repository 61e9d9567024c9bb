// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static io.tuntap.testkit.PacketsTest.A4;
import static io.tuntap.testkit.PacketsTest.A6;
import static io.tuntap.testkit.PacketsTest.B4;
import static io.tuntap.testkit.PacketsTest.B6;
import static io.tuntap.testkit.PacketsTest.MAC_A;
import static io.tuntap.testkit.PacketsTest.MAC_B;
import static io.tuntap.testkit.PacketsTest.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.MacAddress;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FramesTest {
    @Test
    void ethernetFrameAccessors() {
        byte[] ip = Packets.icmpv4EchoReply(A4, B4, 1, 2, new byte[8]);
        byte[] frame = Frames.ethernet(MAC_B, MAC_A, ip);
        ByteBuffer f = ByteBuffer.wrap(frame);
        assertEquals(Frames.ETHERTYPE_IPV4, Frames.etherType(f));
        assertEquals(MAC_B, Frames.ethernetDestination(f));
        assertEquals(MAC_A, Frames.ethernetSource(f));
        ByteBuffer payload = Frames.ethernetPayload(f);
        assertEquals(ip.length, payload.remaining());
        assertEquals(Packets.ICMPV4_ECHO_REPLY, Packets.parseEcho(payload).orElseThrow().type());
        assertEquals(0, f.position());
        assertThrows(IllegalArgumentException.class, () -> Frames.etherType(ByteBuffer.allocate(13)));
    }

    @Test
    void arpRequestAndReplyFollowRfc826() {
        ByteBuffer req = ByteBuffer.wrap(Frames.arpRequest(MAC_A, A4, B4));
        assertEquals(42, req.remaining());
        assertEquals(Frames.BROADCAST_MAC, Frames.ethernetDestination(req));
        Frames.Arp arp = Frames.parseArp(req).orElseThrow();
        assertEquals(Frames.ARP_REQUEST, arp.operation());
        assertEquals(MAC_A, arp.senderMac());
        assertEquals(A4, arp.senderIp());
        assertEquals(B4, arp.targetIp());
        Frames.Arp reply = Frames.parseArp(ByteBuffer.wrap(Frames.arpReply(MAC_B, B4, MAC_A, A4))).orElseThrow();
        assertEquals(new Frames.Arp(Frames.ARP_REPLY, MAC_B, B4, MAC_A, A4), reply);
        byte[] notArp = Frames.ethernet(MAC_A, MAC_B, Frames.ETHERTYPE_IPV4, new byte[28]);
        assertTrue(Frames.parseArp(ByteBuffer.wrap(notArp)).isEmpty());
    }

    @Test
    void neighborSolicitationGoesToTheSolicitedNodeGroupWithValidChecksum() {
        Inet6Address target = v6("fd00::12:3456");
        ByteBuffer f = ByteBuffer.wrap(Frames.neighborSolicitation(MAC_A, A6, target));
        assertEquals(MacAddress.parse("33:33:ff:12:34:56"), Frames.ethernetDestination(f));
        ByteBuffer ip = Frames.ethernetPayload(f);
        assertEquals(v6("ff02::1:ff12:3456"), Packets.destinationAddress(ip));
        assertTrue(Packets.isTransportChecksumValid(ip));
        Frames.Neighbor ns = Frames.parseNeighbor(f, true).orElseThrow();
        assertEquals(Frames.ICMPV6_NEIGHBOR_SOLICITATION, ns.type());
        assertEquals(target, ns.target());
        assertEquals(MAC_A, ns.linkLayerAddress().orElseThrow());
        assertEquals(ns, Frames.parseNeighbor(ip, false).orElseThrow(), "parses the bare IPv6 packet too");
    }

    @Test
    void neighborAdvertisementCarriesFlagsAndTargetLinkLayerAddress() {
        ByteBuffer f = ByteBuffer.wrap(Frames.neighborAdvertisement(MAC_B, B6, MAC_A, A6, B6, true));
        assertTrue(Packets.isTransportChecksumValid(Frames.ethernetPayload(f)));
        Frames.Neighbor na = Frames.parseNeighbor(f, true).orElseThrow();
        assertEquals(Frames.ICMPV6_NEIGHBOR_ADVERTISEMENT, na.type());
        assertTrue(na.solicited());
        assertEquals(0x60, na.flags(), "solicited and override, not router");
        assertEquals(MAC_B, na.linkLayerAddress().orElseThrow());
    }

    @Test
    void malformedFramesGiveEmptyNeverAnUncheckedSurprise() {
        for (int len = 0; len < 100; len++) {
            byte[] junk = new byte[len];
            for (int i = 0; i < len; i++) {
                junk[i] = (byte) (i * 37 + len);
            }
            if (len > 13) {
                // EtherType alternates between ARP and IPv6 so that both parsers get past their first check.
                junk[12] = (byte) (len % 2 == 0 ? 0x08 : 0x86);
                junk[13] = (byte) (len % 2 == 0 ? 0x06 : 0xdd);
            }
            ByteBuffer b = ByteBuffer.wrap(junk);
            assertTrue(Frames.parseArp(b).isEmpty(), "junk of " + len + " bytes is no Ethernet/IPv4 ARP packet");
            assertTrue(Frames.parseNeighbor(b, true).isEmpty(), "junk of " + len + " bytes is no ND message");
            assertTrue(Frames.parseNeighbor(b, false).isEmpty(), "junk of " + len + " bytes is no ND message");
            assertEquals(0, b.position());
        }
        assertThrows(IllegalArgumentException.class, () -> Frames.ethernetSource(ByteBuffer.allocate(13)));
    }
}
