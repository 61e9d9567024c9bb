// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static io.tuntap.testkit.Wire.address;
import static io.tuntap.testkit.Wire.copy;
import static io.tuntap.testkit.Wire.fillIpv4HeaderChecksum;
import static io.tuntap.testkit.Wire.fillTransportChecksum;
import static io.tuntap.testkit.Wire.finish;
import static io.tuntap.testkit.Wire.ipEnd;
import static io.tuntap.testkit.Wire.protocolAt;
import static io.tuntap.testkit.Wire.pseudoHeaderSum;
import static io.tuntap.testkit.Wire.putU16;
import static io.tuntap.testkit.Wire.requireIpHeader;
import static io.tuntap.testkit.Wire.requireUdp;
import static io.tuntap.testkit.Wire.sum;
import static io.tuntap.testkit.Wire.transportStart;
import static io.tuntap.testkit.Wire.u16;
import static io.tuntap.testkit.Wire.udpStart;
import static io.tuntap.testkit.Wire.version;

import com.google.common.base.Preconditions;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds and parses the layer-3 packets that tests send through TUN devices (and, inside Ethernet frames,
 * through TAP devices): IPv4 and IPv6 packets, UDP datagrams, ICMP and ICMPv6 echo messages. Every builder
 * computes correct checksums, and the checksum verifiers check packets that came from elsewhere. Ethernet
 * frames, ARP and IPv6 neighbour discovery are in {@link Frames}.
 *
 * <p>Builders return a new array holding one whole IP packet. Parsers take a {@link ByteBuffer} holding one
 * packet between its position and its limit. They read with absolute indexes, so <em>they never change the
 * buffer's position, limit or byte order</em>, and they read multi-byte fields in network order whatever the
 * buffer's order is. Wrap an array with {@link ByteBuffer#wrap(byte[])} to parse it.
 *
 * <p>Accessors such as {@link #protocol(ByteBuffer)} throw {@link IllegalArgumentException} for input that is
 * too short or not of the expected kind; the {@code parse...} methods return an empty {@link Optional} instead,
 * and the checksum verifiers return false. None of them follows IPv6 extension headers: a packet whose first
 * next-header value is not the transport protocol is treated as "not that protocol".
 *
 * <p>All methods are static and thread-safe.
 *
 * <p>Slightly over 400 lines on purpose: most of it is the Javadoc of public methods that users read; the
 * byte helpers and checksum arithmetic are already in the package-private {@code Wire}.
 */
public final class Packets {
    /** IP protocol number of ICMP. */
    public static final int PROTOCOL_ICMP = 1;
    /** IP protocol number of TCP. */
    public static final int PROTOCOL_TCP = 6;
    /** IP protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;
    /** IP protocol number (IPv6 next header) of ICMPv6. */
    public static final int PROTOCOL_ICMPV6 = 58;
    /** Length of an IPv4 header without options. */
    public static final int IPV4_HEADER_LENGTH = 20;
    /** Length of the fixed IPv6 header. */
    public static final int IPV6_HEADER_LENGTH = 40;
    /** Length of a UDP header. */
    public static final int UDP_HEADER_LENGTH = 8;
    /** ICMPv4 echo reply type. */
    public static final int ICMPV4_ECHO_REPLY = 0;
    /** ICMPv4 echo request type. */
    public static final int ICMPV4_ECHO_REQUEST = 8;
    /** ICMPv6 echo request type. */
    public static final int ICMPV6_ECHO_REQUEST = 128;
    /** ICMPv6 echo reply type. */
    public static final int ICMPV6_ECHO_REPLY = 129;

    /** Default TTL and hop limit of built packets, as Linux uses. */
    static final int DEFAULT_TTL = 64;

    private Packets() {
    }

    // ---------------------------------------------------------------- checksums

    /**
     * The Internet checksum (RFC 1071) of {@code length} bytes of {@code data} from {@code offset}: the ones'
     * complement of the ones'-complement sum of the 16-bit big-endian words, an odd last byte padded with
     * zero. A region that already contains its correct checksum yields 0.
     */
    public static int internetChecksum(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return finish(sum(ByteBuffer.wrap(data), offset, length, 0));
    }

    /**
     * True if {@code ip} (position to limit) is an IPv4 packet whose header checksum is correct. False for
     * IPv6, which has no header checksum, and for malformed input.
     */
    public static boolean isIpv4HeaderChecksumValid(ByteBuffer ip) {
        int base = ip.position();
        if (ip.remaining() < IPV4_HEADER_LENGTH || version(ip, base) != 4) {
            return false;
        }
        int ihl = (ip.get(base) & 0x0f) * 4;
        return ihl >= IPV4_HEADER_LENGTH && ihl <= ip.remaining() && finish(sum(ip, base, ihl, 0)) == 0;
    }

    /**
     * True if {@code ip} (position to limit) is an IPv4 or IPv6 packet carrying UDP, TCP, ICMP or ICMPv6 whose
     * transport checksum is correct. A UDP-over-IPv4 checksum of zero ("not computed", RFC 768) counts as
     * valid; over IPv6 it is invalid (RFC 8200 section 8.1). False for other protocols and malformed input.
     */
    public static boolean isTransportChecksumValid(ByteBuffer ip) {
        int base = ip.position();
        int start = transportStart(ip);
        if (start < 0) {
            return false;
        }
        int protocol = protocolAt(ip, base);
        int length = ipEnd(ip, base) - start;
        if (protocol == PROTOCOL_UDP) {
            if (length < UDP_HEADER_LENGTH || u16(ip, start + 4) != length) {
                return false;
            }
            if (u16(ip, start + 6) == 0) {
                return version(ip, base) == 4;
            }
        } else if (protocol == PROTOCOL_ICMP) {
            if (version(ip, base) != 4 || length < 4) {
                return false;
            }
            return finish(sum(ip, start, length, 0)) == 0;
        } else if (protocol == PROTOCOL_ICMPV6) {
            if (version(ip, base) != 6 || length < 4) {
                return false;
            }
        } else if (protocol == PROTOCOL_TCP) {
            if (length < 20) {
                return false;
            }
        } else {
            return false;
        }
        return finish(sum(ip, start, length, pseudoHeaderSum(ip, base, protocol, length))) == 0;
    }

    // ---------------------------------------------------------------- IP builders

    /**
     * An IPv4 packet with a 20-byte header (TTL 64, "don't fragment", identification 0) and a correct header
     * checksum. The payload's own checksum, if it has one, is left as it is.
     */
    public static byte[] ipv4(Inet4Address source, Inet4Address destination, int protocol, byte[] payload) {
        Preconditions.checkArgument(protocol >= 0 && protocol <= 255, "protocol %s is not 0..255", protocol);
        int total = IPV4_HEADER_LENGTH + payload.length;
        Preconditions.checkArgument(total <= 0xffff, "an IPv4 packet holds at most 65515 payload bytes, not %s",
                payload.length);
        byte[] p = new byte[total];
        ByteBuffer b = ByteBuffer.wrap(p);
        p[0] = 0x45;
        putU16(b, 2, total);
        p[6] = 0x40; // don't fragment: tests never want fragments
        p[8] = (byte) DEFAULT_TTL;
        p[9] = (byte) protocol;
        System.arraycopy(source.getAddress(), 0, p, 12, 4);
        System.arraycopy(destination.getAddress(), 0, p, 16, 4);
        System.arraycopy(payload, 0, p, IPV4_HEADER_LENGTH, payload.length);
        fillIpv4HeaderChecksum(b, 0);
        return p;
    }

    /** An IPv6 packet with hop limit 64, traffic class and flow label 0, and no extension headers. */
    public static byte[] ipv6(Inet6Address source, Inet6Address destination, int nextHeader, byte[] payload) {
        return ipv6(source, destination, nextHeader, DEFAULT_TTL, payload);
    }

    /** An IPv6 packet as {@link #ipv6(Inet6Address, Inet6Address, int, byte[])} builds it, with this hop limit. */
    static byte[] ipv6(Inet6Address source, Inet6Address destination, int nextHeader, int hopLimit,
            byte[] payload) {
        Preconditions.checkArgument(nextHeader >= 0 && nextHeader <= 255, "next header %s is not 0..255", nextHeader);
        Preconditions.checkArgument(payload.length <= 0xffff, "an IPv6 packet without jumbogram holds at most 65535 "
                + "payload bytes, not %s", payload.length);
        byte[] p = new byte[IPV6_HEADER_LENGTH + payload.length];
        ByteBuffer b = ByteBuffer.wrap(p);
        p[0] = 0x60;
        putU16(b, 4, payload.length);
        p[6] = (byte) nextHeader;
        p[7] = (byte) hopLimit;
        System.arraycopy(source.getAddress(), 0, p, 8, 16);
        System.arraycopy(destination.getAddress(), 0, p, 24, 16);
        System.arraycopy(payload, 0, p, IPV6_HEADER_LENGTH, payload.length);
        return p;
    }

    /**
     * A UDP datagram in an IPv4 or IPv6 packet, by the addresses' family (both must be the same), with a
     * correct checksum.
     */
    public static byte[] udp(InetSocketAddress source, InetSocketAddress destination, byte[] payload) {
        InetAddress src = source.getAddress();
        InetAddress dst = destination.getAddress();
        Preconditions.checkArgument(src != null && dst != null, "UDP needs resolved addresses: %s -> %s", source,
                destination);
        byte[] segment = new byte[UDP_HEADER_LENGTH + payload.length];
        ByteBuffer s = ByteBuffer.wrap(segment);
        putU16(s, 0, source.getPort());
        putU16(s, 2, destination.getPort());
        putU16(s, 4, segment.length);
        System.arraycopy(payload, 0, segment, UDP_HEADER_LENGTH, payload.length);
        return withTransportChecksum(ip(src, dst, PROTOCOL_UDP, segment));
    }

    /** An ICMPv4 echo request (ping, RFC 792) with this identifier, sequence number and data. */
    public static byte[] icmpv4EchoRequest(Inet4Address source, Inet4Address destination, int identifier,
            int sequence, byte[] data) {
        return withTransportChecksum(ipv4(source, destination, PROTOCOL_ICMP,
                echoMessage(ICMPV4_ECHO_REQUEST, identifier, sequence, data)));
    }

    /** An ICMPv4 echo reply with this identifier, sequence number and data. */
    public static byte[] icmpv4EchoReply(Inet4Address source, Inet4Address destination, int identifier,
            int sequence, byte[] data) {
        return withTransportChecksum(ipv4(source, destination, PROTOCOL_ICMP,
                echoMessage(ICMPV4_ECHO_REPLY, identifier, sequence, data)));
    }

    /** An ICMPv6 echo request (RFC 4443) with this identifier, sequence number and data. */
    public static byte[] icmpv6EchoRequest(Inet6Address source, Inet6Address destination, int identifier,
            int sequence, byte[] data) {
        return withTransportChecksum(ipv6(source, destination, PROTOCOL_ICMPV6,
                echoMessage(ICMPV6_ECHO_REQUEST, identifier, sequence, data)));
    }

    /** An ICMPv6 echo reply with this identifier, sequence number and data. */
    public static byte[] icmpv6EchoReply(Inet6Address source, Inet6Address destination, int identifier,
            int sequence, byte[] data) {
        return withTransportChecksum(ipv6(source, destination, PROTOCOL_ICMPV6,
                echoMessage(ICMPV6_ECHO_REPLY, identifier, sequence, data)));
    }

    private static byte[] echoMessage(int type, int identifier, int sequence, byte[] data) {
        Preconditions.checkArgument(identifier >= 0 && identifier <= 0xffff, "identifier %s is not 0..65535", identifier);
        Preconditions.checkArgument(sequence >= 0 && sequence <= 0xffff, "sequence %s is not 0..65535", sequence);
        byte[] m = new byte[8 + data.length];
        ByteBuffer b = ByteBuffer.wrap(m);
        m[0] = (byte) type;
        putU16(b, 4, identifier);
        putU16(b, 6, sequence);
        System.arraycopy(data, 0, m, 8, data.length);
        return m;
    }

    private static byte[] ip(InetAddress source, InetAddress destination, int protocol, byte[] payload) {
        if (source instanceof Inet4Address s && destination instanceof Inet4Address d) {
            return ipv4(s, d, protocol, payload);
        }
        if (source instanceof Inet6Address s && destination instanceof Inet6Address d) {
            return ipv6(s, d, protocol, payload);
        }
        throw new IllegalArgumentException("source " + source + " and destination " + destination
                + " are not of the same address family");
    }

    /** Fills in the transport checksum of {@code packet} (an IP packet) and returns it. */
    static byte[] withTransportChecksum(byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        int start = transportStart(b);
        fillTransportChecksum(b, 0, protocolAt(b, 0), start, packet.length - start);
        return packet;
    }

    // ---------------------------------------------------------------- IP accessors

    /** The IP version of the packet at the buffer's position: 4, 6, or another value for non-IP data; -1 if empty. */
    public static int ipVersion(ByteBuffer ip) {
        return ip.hasRemaining() ? version(ip, ip.position()) : -1;
    }

    /**
     * The IPv4 protocol field or the IPv6 next-header field (extension headers are not followed).
     *
     * @throws IllegalArgumentException if the buffer does not hold an IPv4 or IPv6 header
     */
    public static int protocol(ByteBuffer ip) {
        requireIpHeader(ip);
        return protocolAt(ip, ip.position());
    }

    /**
     * The source address.
     *
     * @throws IllegalArgumentException if the buffer does not hold an IPv4 or IPv6 header
     */
    public static InetAddress sourceAddress(ByteBuffer ip) {
        int base = requireIpHeader(ip);
        return version(ip, base) == 4 ? address(ip, base + 12, 4) : address(ip, base + 8, 16);
    }

    /**
     * The destination address.
     *
     * @throws IllegalArgumentException if the buffer does not hold an IPv4 or IPv6 header
     */
    public static InetAddress destinationAddress(ByteBuffer ip) {
        int base = requireIpHeader(ip);
        return version(ip, base) == 4 ? address(ip, base + 16, 4) : address(ip, base + 24, 16);
    }

    /**
     * The UDP source port.
     *
     * @throws IllegalArgumentException if the buffer does not hold a UDP datagram
     */
    public static int udpSourcePort(ByteBuffer ip) {
        return u16(ip, requireUdp(ip));
    }

    /**
     * The UDP destination port.
     *
     * @throws IllegalArgumentException if the buffer does not hold a UDP datagram
     */
    public static int udpDestinationPort(ByteBuffer ip) {
        return u16(ip, requireUdp(ip) + 2);
    }

    /**
     * A copy of the UDP payload, as long as the UDP length field says.
     *
     * @throws IllegalArgumentException if the buffer does not hold a UDP datagram
     */
    public static byte[] udpPayload(ByteBuffer ip) {
        int start = requireUdp(ip);
        return copy(ip, start + UDP_HEADER_LENGTH, u16(ip, start + 4) - UDP_HEADER_LENGTH);
    }

    /** A UDP datagram taken apart. The payload is a copy that the caller owns. */
    public record Udp(InetSocketAddress source, InetSocketAddress destination, byte[] payload) {
        /** Checks for nulls. */
        public Udp {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Udp u && source.equals(u.source) && destination.equals(u.destination)
                    && Arrays.equals(payload, u.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(source, destination, Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "Udp[" + source + " -> " + destination + ", " + payload.length + " bytes]";
        }
    }

    /** The UDP datagram in an IPv4 or IPv6 packet, or empty if it is not a well-formed UDP packet. */
    public static Optional<Udp> parseUdp(ByteBuffer ip) {
        int start = udpStart(ip);
        if (start < 0) {
            return Optional.empty();
        }
        return Optional.of(new Udp(new InetSocketAddress(sourceAddress(ip), u16(ip, start)),
                new InetSocketAddress(destinationAddress(ip), u16(ip, start + 2)),
                copy(ip, start + UDP_HEADER_LENGTH, u16(ip, start + 4) - UDP_HEADER_LENGTH)));
    }

    /** An ICMP or ICMPv6 echo message taken apart; {@code data} is a copy that the caller owns. */
    public record Echo(int version, int type, int identifier, int sequence, byte[] data) {
        /** True for an echo request of either version. */
        public boolean isRequest() {
            return type == ICMPV4_ECHO_REQUEST || type == ICMPV6_ECHO_REQUEST;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Echo e && version == e.version && type == e.type && identifier == e.identifier
                    && sequence == e.sequence && Arrays.equals(data, e.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(version, type, identifier, sequence, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Echo[v" + version + " type " + type + " id " + identifier + " seq " + sequence + ", "
                    + data.length + " bytes]";
        }
    }

    /** The echo request or reply in an ICMPv4 or ICMPv6 packet, or empty if it is not one. */
    public static Optional<Echo> parseEcho(ByteBuffer ip) {
        int start = transportStart(ip);
        if (start < 0 || ipEnd(ip, ip.position()) - start < 8) {
            return Optional.empty();
        }
        int version = version(ip, ip.position());
        int protocol = protocolAt(ip, ip.position());
        int type = ip.get(start) & 0xff;
        boolean echo = version == 4
                ? protocol == PROTOCOL_ICMP && (type == ICMPV4_ECHO_REQUEST || type == ICMPV4_ECHO_REPLY)
                : protocol == PROTOCOL_ICMPV6 && (type == ICMPV6_ECHO_REQUEST || type == ICMPV6_ECHO_REPLY);
        if (!echo) {
            return Optional.empty();
        }
        return Optional.of(new Echo(version, type, u16(ip, start + 4), u16(ip, start + 6),
                copy(ip, start + 8, ipEnd(ip, ip.position()) - start - 8)));
    }

}
