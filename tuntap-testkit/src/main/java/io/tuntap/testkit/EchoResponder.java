// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static io.tuntap.testkit.Frames.ETHERNET_HEADER_LENGTH;
import static io.tuntap.testkit.Frames.ETHERTYPE_ARP;
import static io.tuntap.testkit.Frames.ETHERTYPE_IPV4;
import static io.tuntap.testkit.Frames.ETHERTYPE_IPV6;
import static io.tuntap.testkit.Packets.IPV4_HEADER_LENGTH;
import static io.tuntap.testkit.Packets.IPV6_HEADER_LENGTH;
import static io.tuntap.testkit.Packets.PROTOCOL_ICMP;
import static io.tuntap.testkit.Packets.PROTOCOL_ICMPV6;
import static io.tuntap.testkit.Wire.finish;
import static io.tuntap.testkit.Wire.fillIpv4HeaderChecksum;
import static io.tuntap.testkit.Wire.fillTransportChecksum;
import static io.tuntap.testkit.Wire.pseudoHeaderSum;
import static io.tuntap.testkit.Wire.putU16;
import static io.tuntap.testkit.Wire.sum;
import static io.tuntap.testkit.Wire.u16;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal host on the far side of a device: it answers ICMPv4 and ICMPv6 echo requests (pings) addressed to
 * any unicast destination, and on a TAP device also ARP requests and IPv6 neighbour solicitations for the
 * addresses it owns, giving its own MAC address, so that the kernel can resolve those addresses through it.
 *
 * <!-- snippet context
 * TunDevice device;
 * -->
 * <pre>{@code
 * EchoResponder host = EchoResponder.forTun();
 * Thread t = new Thread(() -> { try { host.serve(device); } catch (TunTapException e) { ... } });
 * t.start();
 * // ... ping 10.0.0.2 through the device ...
 * device.close();   // serve returns
 * }</pre>
 *
 * <p>An echo reply keeps the request's identifier, sequence number and data, swaps the addresses (and on TAP
 * the MAC addresses, putting its own as the source), sets TTL or hop limit 64, and carries fresh checksums.
 * Requests with a bad checksum, to a multicast or broadcast destination, with IPv6 extension headers, IPv4
 * fragments, truncated or malformed packets, and anything else are ignored: {@link #respond} returns 0 and
 * never throws for any input.
 *
 * <p>Thread-safe: it has no mutable state except its counters, so several threads may call {@link #respond}.
 *
 * <p>Longer than 400 lines on purpose: the four answers (ICMPv4 and ICMPv6 echo, ARP, neighbour advertisement)
 * each check a request and rewrite it in place into one reply buffer, sharing the TAP header handling, the
 * offsets and the counters; a class per protocol would spread that shared state over four files.
 */
public final class EchoResponder {
    /** Large enough for any packet of the largest MTU plus an Ethernet header. */
    private static final int SERVE_BUFFER_SIZE = 65535 + ETHERNET_HEADER_LENGTH;
    private static final int ARP_FRAME_LENGTH = ETHERNET_HEADER_LENGTH + Frames.ARP_LENGTH;
    private static final int NA_FRAME_LENGTH = ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH
            + Frames.ND_MESSAGE_LENGTH + Frames.ND_OPTION_LENGTH;

    private final DeviceMode mode;
    private final byte[] mac;
    private final byte[][] ipv4;
    private final byte[][] ipv6;
    private final AtomicLong echoReplies = new AtomicLong();
    private final AtomicLong arpReplies = new AtomicLong();
    private final AtomicLong neighborAdvertisements = new AtomicLong();

    /**
     * A responder for devices of {@code mode}.
     *
     * @param mode {@link DeviceMode#TUN}: packets are bare IP; {@link DeviceMode#TAP}: packets are Ethernet frames
     * @param mac the responder's MAC address, required for TAP and ignored for TUN (may be null there)
     * @param addresses the IPv4 and IPv6 addresses whose ARP requests and neighbour solicitations it answers
     *     (TAP only; echo requests are answered for any unicast destination)
     * @throws IllegalArgumentException if TAP is asked for without a unicast MAC address
     */
    public EchoResponder(DeviceMode mode, MacAddress mac, Collection<? extends InetAddress> addresses) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (mode == DeviceMode.TAP) {
            if (mac == null || mac.isMulticast()) {
                throw new IllegalArgumentException("a TAP responder needs a unicast MAC address to answer with, not "
                        + mac);
            }
            this.mac = mac.toByteArray();
        } else {
            this.mac = null;
        }
        List<byte[]> v4 = new ArrayList<>();
        List<byte[]> v6 = new ArrayList<>();
        for (InetAddress a : addresses) {
            (a instanceof Inet4Address ? v4 : v6).add(a.getAddress());
        }
        this.ipv4 = v4.toArray(new byte[0][]);
        this.ipv6 = v6.toArray(new byte[0][]);
    }

    /** A responder for a TUN device: it answers pings to any unicast address. */
    public static EchoResponder forTun() {
        return new EchoResponder(DeviceMode.TUN, null, List.of());
    }

    /**
     * A responder for a TAP device with this MAC address, which answers pings sent to that MAC, and ARP and
     * neighbour solicitations for these addresses.
     */
    public static EchoResponder forTap(MacAddress mac, Collection<? extends InetAddress> addresses) {
        return new EchoResponder(DeviceMode.TAP, Objects.requireNonNull(mac, "mac"), addresses);
    }

    /** The mode this responder was made for. */
    public DeviceMode mode() {
        return mode;
    }

    /**
     * Computes the answer to one packet, without allocating.
     *
     * <p>Reads {@code request} from its position to its limit without changing its position. If an answer is
     * due, writes it into {@code reply} at its position and advances that position by the answer's length, so
     * that {@code reply.flip()} makes it ready to write; otherwise leaves {@code reply} alone. The two buffers
     * must not share content.
     *
     * @return the answer's length, or 0 if the packet needs none
     * @throws IllegalArgumentException if an answer is due but {@code reply} has too little room for it; an
     *     answer is never longer than the request plus 44 bytes (an ARP reply or neighbour advertisement to a
     *     short request)
     */
    public int respond(ByteBuffer request, ByteBuffer reply) {
        int rq = request.position();
        int end = request.limit();
        if (mode == DeviceMode.TUN) {
            return echo(request, rq, end, reply, 0);
        }
        if (end - rq < ETHERNET_HEADER_LENGTH) {
            return 0;
        }
        int etherType = u16(request, rq + 12);
        if (etherType == ETHERTYPE_ARP) {
            return arp(request, rq, end, reply);
        }
        if (etherType == ETHERTYPE_IPV6) {
            int n = neighborSolicitation(request, rq, end, reply);
            if (n != 0) {
                return n;
            }
        }
        if ((etherType == ETHERTYPE_IPV4 || etherType == ETHERTYPE_IPV6) && isOurMac(request, rq)) {
            return echo(request, rq, end, reply, ETHERNET_HEADER_LENGTH);
        }
        return 0;
    }

    /**
     * Answers packets on {@code channel} until it is closed: reads a packet, {@link #respond responds}, writes
     * the answer. Packets too large for its 65549-byte buffer are skipped.
     *
     * @throws io.tuntap.DeviceInterruptedException (a {@link TunTapException}) if the thread is interrupted while waiting
     * @throws TunTapException if a read or write fails for another reason, such as the link being down
     */
    public void serve(PacketChannel channel) throws TunTapException {
        ByteBuffer request = ByteBuffer.allocateDirect(SERVE_BUFFER_SIZE);
        ByteBuffer reply = ByteBuffer.allocateDirect(SERVE_BUFFER_SIZE + 64);
        while (true) {
            request.clear();
            try {
                channel.read(request);
            } catch (DeviceClosedException e) {
                return;
            } catch (PacketTooLargeException e) {
                continue; // dropped by the device; nothing to answer
            }
            request.flip();
            reply.clear();
            if (respond(request, reply) > 0) {
                reply.flip();
                try {
                    channel.write(reply);
                } catch (DeviceClosedException e) {
                    return;
                }
            }
        }
    }

    /** The number of requests answered so far: echo replies, ARP replies and neighbour advertisements. */
    public long requestsAnswered() {
        return echoReplies.get() + arpReplies.get() + neighborAdvertisements.get();
    }

    /** The number of ICMPv4 and ICMPv6 echo replies produced. */
    public long echoRepliesSent() {
        return echoReplies.get();
    }

    /** The number of ARP replies produced. */
    public long arpRepliesSent() {
        return arpReplies.get();
    }

    /** The number of neighbour advertisements produced. */
    public long neighborAdvertisementsSent() {
        return neighborAdvertisements.get();
    }

    // ---------------------------------------------------------------- echo

    private int echo(ByteBuffer in, int rq, int end, ByteBuffer out, int l2) {
        int ip = rq + l2;
        int avail = end - ip;
        if (avail < 1) {
            return 0;
        }
        int version = (in.get(ip) & 0xff) >>> 4;
        int total;
        int transport;
        if (version == 4) {
            if (avail < IPV4_HEADER_LENGTH) {
                return 0;
            }
            int ihl = (in.get(ip) & 0x0f) * 4;
            total = u16(in, ip + 2);
            boolean fragment = (u16(in, ip + 6) & 0x3fff) != 0;
            if (ihl < IPV4_HEADER_LENGTH || total < ihl + 8 || total > avail || fragment
                    || (in.get(ip + 9) & 0xff) != PROTOCOL_ICMP || (in.get(ip + 16) & 0xff) >= 224
                    || finish(sum(in, ip, ihl, 0)) != 0) {
                return 0; // not ICMP, truncated, a fragment, multicast/broadcast (224.0.0.0/3), or bad header
            }
            transport = ip + ihl;
            if ((in.get(transport) & 0xff) != Packets.ICMPV4_ECHO_REQUEST
                    || finish(sum(in, transport, total - ihl, 0)) != 0) {
                return 0;
            }
        } else if (version == 6) {
            if (avail < IPV6_HEADER_LENGTH + 8) {
                return 0;
            }
            int payload = u16(in, ip + 4);
            total = IPV6_HEADER_LENGTH + payload;
            if (payload < 8 || total > avail || (in.get(ip + 6) & 0xff) != PROTOCOL_ICMPV6
                    || (in.get(ip + 24) & 0xff) == 0xff) {
                return 0; // not directly ICMPv6, truncated, or to a multicast address (ff00::/8)
            }
            transport = ip + IPV6_HEADER_LENGTH;
            if ((in.get(transport) & 0xff) != Packets.ICMPV6_ECHO_REQUEST
                    || finish(sum(in, transport, payload, pseudoHeaderSum(in, ip, PROTOCOL_ICMPV6, payload))) != 0) {
                return 0;
            }
        } else {
            return 0;
        }
        int length = l2 + total;
        int w = reserve(out, length);
        out.put(w, in, rq, length);
        if (l2 > 0) {
            swapMacs(in, rq, out, w);
        }
        int oip = w + l2;
        int addressLength = version == 4 ? 4 : 16;
        int src = oip + (version == 4 ? 12 : 8);
        int dst = src + addressLength;
        // The reply goes back where the request came from, from the address it was sent to.
        out.put(src, in, ip + (src - oip) + addressLength, addressLength);
        out.put(dst, in, ip + (src - oip), addressLength);
        int otransport = oip + (transport - ip);
        if (version == 4) {
            out.put(oip + 8, (byte) Packets.DEFAULT_TTL);
            fillIpv4HeaderChecksum(out, oip);
            out.put(otransport, (byte) Packets.ICMPV4_ECHO_REPLY);
            fillTransportChecksum(out, oip, PROTOCOL_ICMP, otransport, total - (transport - ip));
        } else {
            out.put(oip + 7, (byte) Packets.DEFAULT_TTL);
            out.put(otransport, (byte) Packets.ICMPV6_ECHO_REPLY);
            fillTransportChecksum(out, oip, PROTOCOL_ICMPV6, otransport, total - IPV6_HEADER_LENGTH);
        }
        out.position(w + length);
        echoReplies.incrementAndGet();
        return length;
    }

    // ---------------------------------------------------------------- ARP (RFC 826)

    private int arp(ByteBuffer in, int rq, int end, ByteBuffer out) {
        int a = rq + ETHERNET_HEADER_LENGTH;
        if (end - a < Frames.ARP_LENGTH || u16(in, a) != 1 || u16(in, a + 2) != ETHERTYPE_IPV4
                || in.get(a + 4) != 6 || in.get(a + 5) != 4 || u16(in, a + 6) != Frames.ARP_REQUEST
                || indexOf(ipv4, in, a + 24) < 0) {
            return 0;
        }
        int w = reserve(out, ARP_FRAME_LENGTH);
        out.put(w, in, a + 8, 6); // to the requester's hardware address
        out.put(w + 6, mac);
        putU16(out, w + 12, ETHERTYPE_ARP);
        int o = w + ETHERNET_HEADER_LENGTH;
        out.put(o, in, a, 6); // hardware type, protocol type, lengths: as asked
        putU16(out, o + 6, Frames.ARP_REPLY);
        out.put(o + 8, mac);
        out.put(o + 14, in, a + 24, 4); // the address asked about is ours
        out.put(o + 18, in, a + 8, 10); // the requester's hardware and protocol address
        out.position(w + ARP_FRAME_LENGTH);
        arpReplies.incrementAndGet();
        return ARP_FRAME_LENGTH;
    }

    // ---------------------------------------------------------------- neighbour discovery (RFC 4861)

    private int neighborSolicitation(ByteBuffer in, int rq, int end, ByteBuffer out) {
        int ip = rq + ETHERNET_HEADER_LENGTH;
        if (end - ip < IPV6_HEADER_LENGTH + Frames.ND_MESSAGE_LENGTH || (in.get(ip) & 0xf0) != 0x60
                || (in.get(ip + 6) & 0xff) != PROTOCOL_ICMPV6 || (in.get(ip + 7) & 0xff) != Frames.ND_HOP_LIMIT) {
            return 0;
        }
        int payload = u16(in, ip + 4);
        int m = ip + IPV6_HEADER_LENGTH;
        if (payload < Frames.ND_MESSAGE_LENGTH || m + payload > end
                || (in.get(m) & 0xff) != Frames.ICMPV6_NEIGHBOR_SOLICITATION || in.get(m + 1) != 0
                || finish(sum(in, m, payload, pseudoHeaderSum(in, ip, PROTOCOL_ICMPV6, payload))) != 0
                || indexOf(ipv6, in, m + 8) < 0) {
            return 0;
        }
        // A solicitation from the unspecified address is duplicate address detection: RFC 4861 section 7.2.4
        // says to answer all nodes, unsolicited.
        boolean dad = isZero(in, ip + 8, 16);
        int option = Wire.findOption(in, m + Frames.ND_MESSAGE_LENGTH, m + payload,
                Frames.ND_OPTION_SOURCE_LINK_LAYER);
        int w = reserve(out, NA_FRAME_LENGTH);
        if (dad) {
            out.put(w, (byte) 0x33).put(w + 1, (byte) 0x33).put(w + 2, (byte) 0).put(w + 3, (byte) 0)
                    .put(w + 4, (byte) 0).put(w + 5, (byte) 1);
        } else {
            out.put(w, in, option >= 0 ? option + 2 : rq + 6, 6);
        }
        out.put(w + 6, mac);
        putU16(out, w + 12, ETHERTYPE_IPV6);
        int o = w + ETHERNET_HEADER_LENGTH;
        out.put(o, (byte) 0x60).put(o + 1, (byte) 0).put(o + 2, (byte) 0).put(o + 3, (byte) 0);
        putU16(out, o + 4, Frames.ND_MESSAGE_LENGTH + Frames.ND_OPTION_LENGTH);
        out.put(o + 6, (byte) PROTOCOL_ICMPV6).put(o + 7, (byte) Frames.ND_HOP_LIMIT);
        out.put(o + 8, in, m + 8, 16); // from the target address itself
        if (dad) {
            for (int i = 0; i < 16; i++) {
                out.put(o + 24 + i, (byte) 0);
            }
            out.put(o + 24, (byte) 0xff).put(o + 25, (byte) 0x02).put(o + 39, (byte) 1); // ff02::1
        } else {
            out.put(o + 24, in, ip + 8, 16);
        }
        int n = o + IPV6_HEADER_LENGTH;
        out.put(n, (byte) Frames.ICMPV6_NEIGHBOR_ADVERTISEMENT).put(n + 1, (byte) 0);
        out.put(n + 4, (byte) (dad ? 0x20 : 0x60)).put(n + 5, (byte) 0).put(n + 6, (byte) 0).put(n + 7, (byte) 0);
        out.put(n + 8, in, m + 8, 16);
        out.put(n + 24, (byte) Frames.ND_OPTION_TARGET_LINK_LAYER).put(n + 25, (byte) 1);
        out.put(n + 26, mac);
        fillTransportChecksum(out, o, PROTOCOL_ICMPV6, n, Frames.ND_MESSAGE_LENGTH + Frames.ND_OPTION_LENGTH);
        out.position(w + NA_FRAME_LENGTH);
        neighborAdvertisements.incrementAndGet();
        return NA_FRAME_LENGTH;
    }

    // ---------------------------------------------------------------- helpers

    private static int reserve(ByteBuffer out, int length) {
        if (out.remaining() < length) {
            throw new IllegalArgumentException("the reply buffer has " + out.remaining() + " bytes of room but the "
                    + "answer needs " + length + "; pass a buffer at least 44 bytes larger than the request");
        }
        return out.position();
    }

    private boolean isOurMac(ByteBuffer in, int frame) {
        for (int i = 0; i < 6; i++) {
            if (in.get(frame + i) != mac[i]) {
                return false;
            }
        }
        return true;
    }

    private void swapMacs(ByteBuffer in, int rq, ByteBuffer out, int w) {
        out.put(w, in, rq + 6, 6);
        out.put(w + 6, mac);
    }

    private static int indexOf(byte[][] addresses, ByteBuffer in, int at) {
        outer:
        for (int k = 0; k < addresses.length; k++) {
            byte[] a = addresses[k];
            for (int i = 0; i < a.length; i++) {
                if (in.get(at + i) != a[i]) {
                    continue outer;
                }
            }
            return k;
        }
        return -1;
    }

    private static boolean isZero(ByteBuffer in, int at, int length) {
        for (int i = 0; i < length; i++) {
            if (in.get(at + i) != 0) {
                return false;
            }
        }
        return true;
    }
}
