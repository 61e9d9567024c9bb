// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static io.tuntap.testkit.Packets.IPV6_HEADER_LENGTH;
import static io.tuntap.testkit.Packets.PROTOCOL_ICMPV6;
import static io.tuntap.testkit.Packets.ipVersion;
import static io.tuntap.testkit.Packets.ipv6;
import static io.tuntap.testkit.Packets.withTransportChecksum;
import static io.tuntap.testkit.Wire.address;
import static io.tuntap.testkit.Wire.copy;
import static io.tuntap.testkit.Wire.findOption;
import static io.tuntap.testkit.Wire.inet6;
import static io.tuntap.testkit.Wire.putU16;
import static io.tuntap.testkit.Wire.requireEthernet;
import static io.tuntap.testkit.Wire.u16;
import static io.tuntap.testkit.Wire.version;

import com.google.common.base.Preconditions;
import io.tuntap.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Builds and parses the layer-2 frames that tests send through TAP devices: Ethernet II frames (without FCS),
 * ARP for Ethernet and IPv4 (RFC 826) and IPv6 neighbour discovery (RFC 4861), which a TAP peer must answer
 * before any IP traffic flows. The IP packets inside the frames come from {@link Packets}; every builder
 * computes correct checksums.
 *
 * <p>Builders return a new array holding one whole Ethernet frame. Parsers take a {@link ByteBuffer} holding
 * one frame between its position and its limit, read with absolute indexes in network order, and never change
 * the buffer's position, limit or byte order. Accessors such as {@link #etherType(ByteBuffer)} throw
 * {@link IllegalArgumentException} for a frame shorter than an Ethernet header; the {@code parse...} methods
 * return an empty {@link Optional} for anything that is not what they parse.
 *
 * <p>All methods are static and thread-safe.
 */
public final class Frames {
    /** EtherType of IPv4. */
    public static final int ETHERTYPE_IPV4 = 0x0800;
    /** EtherType of ARP. */
    public static final int ETHERTYPE_ARP = 0x0806;
    /** EtherType of IPv6. */
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    /** Length of an Ethernet II header: destination, source, EtherType. */
    public static final int ETHERNET_HEADER_LENGTH = 14;
    /** ARP operation code of a request. */
    public static final int ARP_REQUEST = 1;
    /** ARP operation code of a reply. */
    public static final int ARP_REPLY = 2;
    /** ICMPv6 neighbour solicitation type. */
    public static final int ICMPV6_NEIGHBOR_SOLICITATION = 135;
    /** ICMPv6 neighbour advertisement type. */
    public static final int ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
    /** The Ethernet broadcast address. */
    public static final MacAddress BROADCAST_MAC = MacAddress.of(new byte[] {-1, -1, -1, -1, -1, -1});

    /** RFC 4861 section 7.1: neighbour discovery messages must carry hop limit 255, proving they are on-link. */
    static final int ND_HOP_LIMIT = 255;
    static final int ARP_LENGTH = 28;
    static final int ND_MESSAGE_LENGTH = 24;
    static final int ND_OPTION_LENGTH = 8;
    static final int ND_OPTION_SOURCE_LINK_LAYER = 1;
    static final int ND_OPTION_TARGET_LINK_LAYER = 2;

    private Frames() {
    }

    // ---------------------------------------------------------------- builders

    /** An Ethernet II frame (no FCS) carrying {@code payload} with this EtherType. */
    public static byte[] ethernet(MacAddress destination, MacAddress source, int etherType, byte[] payload) {
        Preconditions.checkArgument(etherType >= 0x0600 && etherType <= 0xffff,
                "EtherType 0x%s is not an Ethernet II type (0x0600..0xffff)", Integer.toHexString(etherType));
        byte[] f = new byte[ETHERNET_HEADER_LENGTH + payload.length];
        System.arraycopy(destination.toByteArray(), 0, f, 0, 6);
        System.arraycopy(source.toByteArray(), 0, f, 6, 6);
        putU16(ByteBuffer.wrap(f), 12, etherType);
        System.arraycopy(payload, 0, f, ETHERNET_HEADER_LENGTH, payload.length);
        return f;
    }

    /** An Ethernet II frame carrying an IP packet, with the EtherType taken from the packet's version. */
    public static byte[] ethernet(MacAddress destination, MacAddress source, byte[] ipPacket) {
        int version = ipVersion(ByteBuffer.wrap(ipPacket));
        if (version != 4 && version != 6) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 packet: the first byte is 0x"
                    + (ipPacket.length == 0 ? "(none)" : Integer.toHexString(ipPacket[0] & 0xff)));
        }
        return ethernet(destination, source, version == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6, ipPacket);
    }

    /**
     * A broadcast ARP request (RFC 826) for Ethernet and IPv4: "who has {@code targetIp}? tell
     * {@code senderIp}", in an Ethernet frame from {@code senderMac}.
     */
    public static byte[] arpRequest(MacAddress senderMac, Inet4Address senderIp, Inet4Address targetIp) {
        byte[] zero = new byte[6];
        return ethernet(BROADCAST_MAC, senderMac, ETHERTYPE_ARP,
                arp(ARP_REQUEST, senderMac.toByteArray(), senderIp, zero, targetIp));
    }

    /**
     * An ARP reply: "{@code senderIp} is at {@code senderMac}", in an Ethernet frame from {@code senderMac} to
     * {@code targetMac}.
     */
    public static byte[] arpReply(MacAddress senderMac, Inet4Address senderIp, MacAddress targetMac,
            Inet4Address targetIp) {
        return ethernet(targetMac, senderMac, ETHERTYPE_ARP,
                arp(ARP_REPLY, senderMac.toByteArray(), senderIp, targetMac.toByteArray(), targetIp));
    }

    private static byte[] arp(int operation, byte[] sha, Inet4Address spa, byte[] tha, Inet4Address tpa) {
        byte[] a = new byte[ARP_LENGTH];
        ByteBuffer b = ByteBuffer.wrap(a);
        putU16(b, 0, 1); // hardware type: Ethernet
        putU16(b, 2, ETHERTYPE_IPV4);
        a[4] = 6;
        a[5] = 4;
        putU16(b, 6, operation);
        System.arraycopy(sha, 0, a, 8, 6);
        System.arraycopy(spa.getAddress(), 0, a, 14, 4);
        System.arraycopy(tha, 0, a, 18, 6);
        System.arraycopy(tpa.getAddress(), 0, a, 24, 4);
        return a;
    }

    /**
     * A multicast neighbour solicitation (RFC 4861 section 4.3) for {@code target}, as an Ethernet frame: sent
     * from {@code sourceMac} and {@code source} to the target's solicited-node multicast address, hop limit
     * 255, with a source link-layer address option.
     */
    public static byte[] neighborSolicitation(MacAddress sourceMac, Inet6Address source, Inet6Address target) {
        byte[] t = target.getAddress();
        // RFC 4291 section 2.7.1: ff02::1:ff00:0/104 plus the low 24 bits of the target.
        byte[] group = new byte[16];
        group[0] = (byte) 0xff;
        group[1] = 0x02;
        group[11] = 0x01;
        group[12] = (byte) 0xff;
        group[13] = t[13];
        group[14] = t[14];
        group[15] = t[15];
        // RFC 2464 section 7: a multicast IPv6 address maps to 33:33 plus its low 32 bits.
        MacAddress groupMac = MacAddress.of(new byte[] {0x33, 0x33, group[12], group[13], group[14], group[15]});
        byte[] message = ndMessage(ICMPV6_NEIGHBOR_SOLICITATION, 0, t, ND_OPTION_SOURCE_LINK_LAYER, sourceMac);
        return ethernet(groupMac, sourceMac, ETHERTYPE_IPV6, withTransportChecksum(
                ipv6(source, inet6(group), PROTOCOL_ICMPV6, ND_HOP_LIMIT, message)));
    }

    /**
     * A neighbour advertisement (RFC 4861 section 4.4) saying that {@code target} is at {@code sourceMac}, as an
     * Ethernet frame from {@code sourceMac}/{@code source} to {@code destinationMac}/{@code destination}, hop
     * limit 255, flags Solicited (if {@code solicited}) and Override, with a target link-layer address option.
     */
    public static byte[] neighborAdvertisement(MacAddress sourceMac, Inet6Address source, MacAddress destinationMac,
            Inet6Address destination, Inet6Address target, boolean solicited) {
        int flags = (solicited ? 0x40 : 0) | 0x20;
        byte[] message = ndMessage(ICMPV6_NEIGHBOR_ADVERTISEMENT, flags, target.getAddress(),
                ND_OPTION_TARGET_LINK_LAYER, sourceMac);
        return ethernet(destinationMac, sourceMac, ETHERTYPE_IPV6, withTransportChecksum(
                ipv6(source, destination, PROTOCOL_ICMPV6, ND_HOP_LIMIT, message)));
    }

    private static byte[] ndMessage(int type, int flags, byte[] target, int optionType, MacAddress mac) {
        byte[] m = new byte[ND_MESSAGE_LENGTH + ND_OPTION_LENGTH];
        m[0] = (byte) type;
        m[4] = (byte) flags;
        System.arraycopy(target, 0, m, 8, 16);
        m[24] = (byte) optionType;
        m[25] = 1; // option length in units of 8 bytes
        System.arraycopy(mac.toByteArray(), 0, m, 26, 6);
        return m;
    }

    // ---------------------------------------------------------------- accessors and parsers

    /**
     * The EtherType of the Ethernet II frame at the buffer's position.
     *
     * @throws IllegalArgumentException if shorter than an Ethernet header
     */
    public static int etherType(ByteBuffer frame) {
        requireEthernet(frame);
        return u16(frame, frame.position() + 12);
    }

    /**
     * The destination MAC address of the frame.
     *
     * @throws IllegalArgumentException if shorter than an Ethernet header
     */
    public static MacAddress ethernetDestination(ByteBuffer frame) {
        requireEthernet(frame);
        return MacAddress.of(copy(frame, frame.position(), 6));
    }

    /**
     * The source MAC address of the frame.
     *
     * @throws IllegalArgumentException if shorter than an Ethernet header
     */
    public static MacAddress ethernetSource(ByteBuffer frame) {
        requireEthernet(frame);
        return MacAddress.of(copy(frame, frame.position() + 6, 6));
    }

    /**
     * A view of the frame's payload (from after the header to the limit), sharing the frame's content. The
     * frame's position is unchanged.
     *
     * @throws IllegalArgumentException if shorter than an Ethernet header
     */
    public static ByteBuffer ethernetPayload(ByteBuffer frame) {
        requireEthernet(frame);
        ByteBuffer view = frame.duplicate();
        view.position(frame.position() + ETHERNET_HEADER_LENGTH);
        return view.slice();
    }

    /** An ARP packet for Ethernet and IPv4, taken apart. */
    public record Arp(int operation, MacAddress senderMac, Inet4Address senderIp, MacAddress targetMac,
            Inet4Address targetIp) {
    }

    /** The ARP packet in an Ethernet frame, or empty if the frame does not carry an Ethernet/IPv4 ARP packet. */
    public static Optional<Arp> parseArp(ByteBuffer frame) {
        int p = frame.position();
        if (frame.remaining() < ETHERNET_HEADER_LENGTH + ARP_LENGTH || u16(frame, p + 12) != ETHERTYPE_ARP) {
            return Optional.empty();
        }
        int a = p + ETHERNET_HEADER_LENGTH;
        if (u16(frame, a) != 1 || u16(frame, a + 2) != ETHERTYPE_IPV4 || frame.get(a + 4) != 6
                || frame.get(a + 5) != 4) {
            return Optional.empty();
        }
        return Optional.of(new Arp(u16(frame, a + 6), MacAddress.of(copy(frame, a + 8, 6)),
                (Inet4Address) address(frame, a + 14, 4), MacAddress.of(copy(frame, a + 18, 6)),
                (Inet4Address) address(frame, a + 24, 4)));
    }

    /**
     * A neighbour solicitation or advertisement taken apart.
     *
     * @param type {@link #ICMPV6_NEIGHBOR_SOLICITATION} or {@link #ICMPV6_NEIGHBOR_ADVERTISEMENT}
     * @param flags the advertisement's R, S and O bits (the first byte after the checksum); 0 for a solicitation
     * @param linkLayerAddress the source (solicitation) or target (advertisement) link-layer address option
     */
    public record Neighbor(int type, int flags, Inet6Address source, Inet6Address destination, Inet6Address target,
            Optional<MacAddress> linkLayerAddress) {
        /** True if the advertisement's Solicited flag is set. */
        public boolean solicited() {
            return (flags & 0x40) != 0;
        }
    }

    /**
     * The neighbour solicitation or advertisement in an IPv6 packet ({@code ip}) or an Ethernet frame
     * ({@code ip} then starting with the Ethernet header: set {@code ethernet}), or empty if it is not one.
     * Messages whose hop limit is not 255 are not neighbour discovery (RFC 4861 section 7.1.1).
     */
    public static Optional<Neighbor> parseNeighbor(ByteBuffer packet, boolean ethernet) {
        int base = packet.position();
        if (ethernet) {
            if (packet.remaining() < ETHERNET_HEADER_LENGTH || u16(packet, base + 12) != ETHERTYPE_IPV6) {
                return Optional.empty();
            }
            base += ETHERNET_HEADER_LENGTH;
        }
        int limit = packet.limit();
        if (limit - base < IPV6_HEADER_LENGTH + ND_MESSAGE_LENGTH || version(packet, base) != 6
                || (packet.get(base + 6) & 0xff) != PROTOCOL_ICMPV6 || (packet.get(base + 7) & 0xff) != ND_HOP_LIMIT) {
            return Optional.empty();
        }
        int end = Math.min(limit, base + IPV6_HEADER_LENGTH + u16(packet, base + 4));
        int m = base + IPV6_HEADER_LENGTH;
        int type = packet.get(m) & 0xff;
        if ((type != ICMPV6_NEIGHBOR_SOLICITATION && type != ICMPV6_NEIGHBOR_ADVERTISEMENT)
                || end - m < ND_MESSAGE_LENGTH) {
            return Optional.empty();
        }
        int wanted = type == ICMPV6_NEIGHBOR_SOLICITATION ? ND_OPTION_SOURCE_LINK_LAYER : ND_OPTION_TARGET_LINK_LAYER;
        int option = findOption(packet, m + ND_MESSAGE_LENGTH, end, wanted);
        return Optional.of(new Neighbor(type, type == ICMPV6_NEIGHBOR_ADVERTISEMENT ? packet.get(m + 4) & 0xe0 : 0,
                (Inet6Address) address(packet, base + 8, 16), (Inet6Address) address(packet, base + 24, 16),
                (Inet6Address) address(packet, m + 8, 16),
                option < 0 ? Optional.empty() : Optional.of(MacAddress.of(copy(packet, option + 2, 6)))));
    }
}
