// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static io.tuntap.testkit.Frames.ETHERNET_HEADER_LENGTH;
import static io.tuntap.testkit.Packets.IPV4_HEADER_LENGTH;
import static io.tuntap.testkit.Packets.IPV6_HEADER_LENGTH;
import static io.tuntap.testkit.Packets.PROTOCOL_ICMP;
import static io.tuntap.testkit.Packets.PROTOCOL_ICMPV6;
import static io.tuntap.testkit.Packets.PROTOCOL_TCP;
import static io.tuntap.testkit.Packets.PROTOCOL_UDP;
import static io.tuntap.testkit.Packets.UDP_HEADER_LENGTH;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The wire-level helpers behind {@link Packets}: ones'-complement sums and checksum fields, 16-bit fields and
 * addresses at absolute indexes, header bounds. Package-private; allocation-free except where they copy.
 */
final class Wire {
    private Wire() {
    }

    /** The ones'-complement sum, not yet folded, of {@code length} bytes at absolute index {@code from}. */
    static long sum(ByteBuffer b, int from, int length, long initial) {
        long acc = initial;
        int i = from;
        int end = from + length;
        for (; i + 1 < end; i += 2) {
            acc += ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
        }
        if (i < end) {
            acc += (b.get(i) & 0xff) << 8;
        }
        return acc;
    }

    /** Folds the carries back in and complements, giving the 16-bit checksum field value. */
    static int finish(long acc) {
        long s = acc;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    /**
     * The sum of the pseudo-header that UDP, TCP and ICMPv6 checksums cover: for IPv4 (RFC 768) source,
     * destination, protocol and length; for IPv6 (RFC 8200 section 8.1) the same with 128-bit addresses.
     */
    static long pseudoHeaderSum(ByteBuffer ip, int base, int protocol, int transportLength) {
        if (version(ip, base) == 4) {
            return sum(ip, base + 12, 8, 0) + protocol + transportLength;
        }
        return sum(ip, base + 8, 32, 0) + protocol + transportLength;
    }

    /**
     * Computes and stores the transport checksum of the IP packet at absolute index {@code base}, whose
     * transport segment starts at {@code transportStart} and is {@code transportLength} long.
     */
    static void fillTransportChecksum(ByteBuffer ip, int base, int protocol, int transportStart, int transportLength) {
        int field = transportStart + checksumOffset(protocol);
        putU16(ip, field, 0);
        long acc = sum(ip, transportStart, transportLength, 0);
        // ICMPv4 is the one transport here without a pseudo-header (RFC 792).
        if (protocol != PROTOCOL_ICMP) {
            acc += pseudoHeaderSum(ip, base, protocol, transportLength);
        }
        int c = finish(acc);
        // RFC 768: a computed UDP checksum of zero is sent as all ones, because zero means "none" over IPv4.
        if (c == 0 && protocol == PROTOCOL_UDP) {
            c = 0xffff;
        }
        putU16(ip, field, c);
    }

    /** Computes and stores the IPv4 header checksum of the packet at absolute index {@code base}. */
    static void fillIpv4HeaderChecksum(ByteBuffer ip, int base) {
        int ihl = (ip.get(base) & 0x0f) * 4;
        putU16(ip, base + 10, 0);
        putU16(ip, base + 10, finish(sum(ip, base, ihl, 0)));
    }

    static int checksumOffset(int protocol) {
        switch (protocol) {
            case PROTOCOL_UDP:
                return 6;
            case PROTOCOL_TCP:
                return 16;
            case PROTOCOL_ICMP:
            case PROTOCOL_ICMPV6:
                return 2;
            default:
                throw new IllegalArgumentException("no checksum known for IP protocol " + protocol);
        }
    }

    /** The absolute index of a link-layer address option of this type (8 bytes long), or -1. */
    static int findOption(ByteBuffer b, int from, int end, int type) {
        int i = from;
        while (i + 2 <= end) {
            int units = b.get(i + 1) & 0xff;
            if (units == 0 || i + units * 8 > end) {
                return -1; // RFC 4861 section 4.6: a zero-length option is invalid; stop rather than loop
            }
            if ((b.get(i) & 0xff) == type && units == 1) {
                return i;
            }
            i += units * 8;
        }
        return -1;
    }

    // ---------------------------------------------------------------- low level, absolute indexes

    static int u16(ByteBuffer b, int i) {
        return ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
    }

    static void putU16(ByteBuffer b, int i, int value) {
        b.put(i, (byte) (value >>> 8));
        b.put(i + 1, (byte) value);
    }

    static int version(ByteBuffer b, int base) {
        return (b.get(base) & 0xff) >>> 4;
    }

    static int protocolAt(ByteBuffer b, int base) {
        return b.get(base + (version(b, base) == 4 ? 9 : 6)) & 0xff;
    }

    /** The end of the IP packet: by its length field, but never past the buffer's limit. */
    static int ipEnd(ByteBuffer b, int base) {
        int declared = version(b, base) == 4 ? u16(b, base + 2) : IPV6_HEADER_LENGTH + u16(b, base + 4);
        return Math.min(b.limit(), base + declared);
    }

    /**
     * The absolute index where the transport segment of the IP packet at the buffer's position starts, or -1 if
     * the buffer does not hold a well-formed IPv4 or IPv6 header (or holds a non-first IPv4 fragment).
     */
    static int transportStart(ByteBuffer b) {
        int base = b.position();
        int remaining = b.remaining();
        if (remaining < 1) {
            return -1;
        }
        int version = version(b, base);
        if (version == 4) {
            if (remaining < IPV4_HEADER_LENGTH) {
                return -1;
            }
            int ihl = (b.get(base) & 0x0f) * 4;
            int total = u16(b, base + 2);
            // A fragment's transport header is absent or incomplete; treat it as not parseable.
            boolean fragment = (u16(b, base + 6) & 0x3fff) != 0;
            if (ihl < IPV4_HEADER_LENGTH || total < ihl || total > remaining || fragment) {
                return -1;
            }
            return base + ihl;
        }
        if (version == 6) {
            if (remaining < IPV6_HEADER_LENGTH || IPV6_HEADER_LENGTH + u16(b, base + 4) > remaining) {
                return -1;
            }
            return base + IPV6_HEADER_LENGTH;
        }
        return -1;
    }

    static int udpStart(ByteBuffer ip) {
        int start = transportStart(ip);
        if (start < 0 || protocolAt(ip, ip.position()) != PROTOCOL_UDP) {
            return -1;
        }
        int end = ipEnd(ip, ip.position());
        if (end - start < UDP_HEADER_LENGTH) {
            return -1;
        }
        int length = u16(ip, start + 4);
        return length < UDP_HEADER_LENGTH || start + length > end ? -1 : start;
    }

    static int requireUdp(ByteBuffer ip) {
        int start = udpStart(ip);
        if (start < 0) {
            throw new IllegalArgumentException("not a well-formed UDP-over-IP packet (" + ip.remaining() + " bytes)");
        }
        return start;
    }

    static int requireIpHeader(ByteBuffer ip) {
        int base = ip.position();
        int v = Packets.ipVersion(ip);
        if ((v == 4 && ip.remaining() >= IPV4_HEADER_LENGTH) || (v == 6 && ip.remaining() >= IPV6_HEADER_LENGTH)) {
            return base;
        }
        throw new IllegalArgumentException("not an IPv4 or IPv6 header: " + ip.remaining() + " bytes, version " + v);
    }

    static void requireEthernet(ByteBuffer frame) {
        if (frame.remaining() < ETHERNET_HEADER_LENGTH) {
            throw new IllegalArgumentException("not an Ethernet frame: " + frame.remaining() + " bytes, fewer than the "
                    + ETHERNET_HEADER_LENGTH + " of the header");
        }
    }

    static byte[] copy(ByteBuffer b, int from, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = b.get(from + i);
        }
        return out;
    }

    static InetAddress address(ByteBuffer b, int from, int length) {
        try {
            // Never resolves: getByAddress with a raw address makes no lookup. Sixteen bytes always give an
            // Inet6Address, even for an IPv4-mapped address, which InetAddress.getByAddress would turn into IPv4.
            return length == 16 ? Inet6Address.getByAddress(null, copy(b, from, length), -1)
                    : InetAddress.getByAddress(copy(b, from, length));
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte address is always accepted", e);
        }
    }

    static Inet6Address inet6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 16-byte address is always accepted", e);
        }
    }
}
