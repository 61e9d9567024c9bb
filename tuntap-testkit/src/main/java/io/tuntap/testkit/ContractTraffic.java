// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static io.tuntap.testkit.TunTapDeviceContract.REMOTE_MAC;
import static io.tuntap.testkit.TunTapDeviceContract.REMOTE_V4;
import static io.tuntap.testkit.TunTapDeviceContract.REMOTE_V6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceMode;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The packet plumbing of {@link TunTapDeviceContract}: playing the far end on a TAP device (ARP and neighbour
 * answers) and picking the test's UDP datagrams, checked, out of what a device reads.
 */
final class ContractTraffic {
    private ContractTraffic() {
    }

    static EchoResponder remoteResponder(DeviceMode mode) {
        return mode == DeviceMode.TAP ? EchoResponder.forTap(REMOTE_MAC, List.of(REMOTE_V4, REMOTE_V6))
                : EchoResponder.forTun();
    }

    /** On TAP, answers an ARP request or neighbour solicitation for the far end; true if it was one. */
    static boolean answered(TunTapDevice d, EchoResponder responder, ByteBuffer packet, ByteBuffer reply)
            throws TunTapException {
        if (d.mode() != DeviceMode.TAP || packet.remaining() < Frames.ETHERNET_HEADER_LENGTH) {
            return false;
        }
        boolean control = Frames.etherType(packet) == Frames.ETHERTYPE_ARP
                || Frames.parseNeighbor(packet, true).isPresent();
        if (control) {
            reply.clear();
            if (responder.respond(packet, reply) > 0) {
                d.write(reply.flip());
            }
        }
        return control;
    }

    /**
     * The UDP datagram in a packet read from {@code d}, checked: on TAP an IP frame to {@link TunTapDeviceContract#REMOTE_MAC}, then
     * valid IPv4 header and UDP checksums. Null if the packet is not UDP.
     */
    static Packets.Udp udpOrNull(TunTapDevice d, ByteBuffer packet) {
        ByteBuffer ip = packet;
        if (d.mode() == DeviceMode.TAP) {
            int type = Frames.etherType(packet);
            if (type != Frames.ETHERTYPE_IPV4 && type != Frames.ETHERTYPE_IPV6) {
                return null;
            }
            ip = Frames.ethernetPayload(packet);
            if (Packets.ipVersion(ip) > 0 && Packets.parseUdp(ip).isPresent()) {
                assertEquals(REMOTE_MAC, Frames.ethernetDestination(packet), "a frame for the far end goes to its MAC");
            }
        }
        Packets.Udp udp = Packets.parseUdp(ip).orElse(null);
        if (udp != null) {
            if (Packets.ipVersion(ip) == 4) {
                assertTrue(Packets.isIpv4HeaderChecksumValid(ip), "IPv4 header checksum of a datagram read");
            }
            assertTrue(Packets.isTransportChecksumValid(ip), "UDP checksum of a datagram read");
        }
        return udp;
    }

    static Packets.Udp udpOf(TunTapDevice d, ByteBuffer packet) {
        Packets.Udp udp = udpOrNull(d, packet);
        assertNotNull(udp, "the packet read is a UDP datagram");
        return udp;
    }
}
