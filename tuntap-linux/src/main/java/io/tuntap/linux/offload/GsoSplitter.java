// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import java.nio.ByteBuffer;

/**
 * Splits what one {@code read()} of an {@code IFF_VNET_HDR} TUN device returns (a {@link VirtioNetHdr} plus a
 * packet, possibly a TCP or UDP super-packet of up to 64 KB) into the packets the peer would have seen
 * without offload, with every header and checksum complete.
 *
 * <p>Usage, per packet read: {@link #start} validates the header and the packet and returns the number of
 * segments (or a negative {@code ERR_*} code: drop the packet, see {@link #describe(int)}); then
 * {@link #next(ByteBuffer)} is called until it returns {@link #DONE}. The source buffer must not be
 * modified, and must not overlap any destination, until then.
 *
 * <p>Segments get: IPv4 total length, an IPv4 identification incremented per segment and a fresh header
 * checksum (RFC 791); IPv6 payload length (RFC 8200); TCP sequence numbers advanced by {@code gso_size},
 * FIN and PSH only on the last segment and CWR only on the first (RFC 3168 §6.1.2: CWR is set once per
 * window reduction), and full TCP checksums (RFC 793); UDP length and full UDP checksums (RFC 768). A
 * packet without GSO ({@code GSO_NONE}) is copied as it is, with its checksum completed if the header
 * says {@code NEEDS_CSUM}.
 *
 * <p>Header lengths are taken from the packet itself, never from {@code hdr_len} (which the kernel derives
 * from untrusted sources and which virtio allows to be an estimate). IPv6 extension headers, IPv4
 * fragments, UFO ({@code GSO_UDP}) and IP versions that do not match {@code gso_type} are rejected.
 *
 * <p>One instance per queue, reused for every packet; not thread-safe; allocates nothing after
 * construction.
 */
public final class GsoSplitter {

    /**
     * The most bytes one {@code read()} can return: the vnet header plus the largest IP packet, an IPv6
     * header and a 65535-byte payload (RFC 8200 §3; jumbograms are not used on TUN devices).
     */
    public static final int MAX_READ_SIZE = VirtioNetHdr.SIZE + 40 + 65535;

    /** Returned by {@link #next} when all segments have been produced. */
    public static final int DONE = -1;
    /** Returned by {@link #next} when the destination has too little room; nothing was consumed. */
    public static final int NO_ROOM = -2;

    /** Rejected: fewer bytes than a vnet header, or no packet after it. */
    public static final int ERR_TRUNCATED = -10;
    /** Rejected: unknown or unsupported {@code gso_type} (including UFO). */
    public static final int ERR_GSO_TYPE = -11;
    /** Rejected: {@code gso_size} is zero for a GSO packet. */
    public static final int ERR_GSO_SIZE = -12;
    /** Rejected: {@code csum_start}/{@code csum_offset} point outside the packet. */
    public static final int ERR_CSUM_OFFSETS = -13;
    /** Rejected: IP header malformed (version, IHL, lengths) or not matching {@code gso_type}. */
    public static final int ERR_IP_HEADER = -14;
    /** Rejected: the IP payload is not TCP/UDP as {@code gso_type} says, or is an IPv6 extension header. */
    public static final int ERR_PROTOCOL = -15;
    /** Rejected: TCP or UDP header malformed or beyond the packet. */
    public static final int ERR_L4_HEADER = -16;
    /** Rejected: an IPv4 fragment cannot be segmented. */
    public static final int ERR_FRAGMENT = -17;

    // TCP flag bits in byte 13 of the TCP header (RFC 793 §3.1, RFC 3168 §6.1).
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private ByteBuffer src;
    /** Absolute index of the IP header in {@link #src}. */
    private int pktOff;
    /** Bytes to emit for GSO_NONE, or IP + L4 header length for GSO. */
    private int pktLen;
    private boolean gso;
    private boolean needsCsum;
    private int csumStart;
    private int csumOffset;
    private boolean ipv4;
    private boolean tcp;
    private int ipHdrLen;
    private int l4HdrLen;
    private int payloadLen;
    private int gsoSize;
    private int segments;
    private int index;
    private int baseSeq;
    private int baseId;

    /** Creates a splitter; reuse it for every packet of a queue. */
    public GsoSplitter() {
    }

    /**
     * Starts splitting one packet as read from the device.
     *
     * @param src the buffer holding the read bytes; not modified
     * @param offset absolute index of the vnet header
     * @param length number of bytes read (vnet header plus packet)
     * @return the number of packets {@link #next} will produce (at least 1), or a negative {@code ERR_*}
     *     code if the input is malformed or unsupported, in which case the packet should be dropped
     */
    public int start(ByteBuffer src, int offset, int length) {
        this.src = null;
        this.segments = 0;
        this.index = 0;
        if (offset < 0 || length < 0 || offset > src.limit() - length) {
            return ERR_TRUNCATED;
        }
        if (length <= VirtioNetHdr.SIZE) {
            return ERR_TRUNCATED;
        }
        int flags = VirtioNetHdr.flags(src, offset);
        int type = VirtioNetHdr.gsoType(src, offset) & ~VirtioNetHdr.GSO_ECN;
        int p = offset + VirtioNetHdr.SIZE;
        int len = length - VirtioNetHdr.SIZE;
        if (type == VirtioNetHdr.GSO_NONE) {
            return startPlain(src, offset, p, len, flags);
        }
        boolean wantTcp;
        int wantVersion;
        switch (type) {
            case VirtioNetHdr.GSO_TCPV4:
                wantTcp = true;
                wantVersion = 4;
                break;
            case VirtioNetHdr.GSO_TCPV6:
                wantTcp = true;
                wantVersion = 6;
                break;
            case VirtioNetHdr.GSO_UDP_L4:
                wantTcp = false;
                wantVersion = 0; // either
                break;
            default:
                return ERR_GSO_TYPE;
        }
        int size = VirtioNetHdr.gsoSize(src, offset);
        if (size == 0) {
            return ERR_GSO_SIZE;
        }
        int version = NetOrder.u8(src, p) >>> 4;
        if (wantVersion != 0 && version != wantVersion) {
            return ERR_IP_HEADER;
        }
        int ipLen;
        int hl;
        int proto;
        if (version == 4) {
            if (len < 20) {
                return ERR_IP_HEADER;
            }
            hl = (NetOrder.u8(src, p) & 0x0f) * 4;
            ipLen = NetOrder.u16(src, p + 2);
            if (hl < 20 || ipLen < hl || ipLen > len) {
                return ERR_IP_HEADER;
            }
            // MF set or a non-zero fragment offset (RFC 791 §3.1): a fragment has no L4 header to segment.
            if ((NetOrder.u16(src, p + 6) & 0x3fff) != 0) {
                return ERR_FRAGMENT;
            }
            proto = NetOrder.u8(src, p + 9);
        } else if (version == 6) {
            hl = 40;
            if (len < hl) {
                return ERR_IP_HEADER;
            }
            ipLen = hl + NetOrder.u16(src, p + 4);
            // A zero payload length with a jumbogram (RFC 2675, BIG TCP) lands here too: not supported.
            if (ipLen > len) {
                return ERR_IP_HEADER;
            }
            // The next header must be TCP or UDP directly: extension headers are not supported.
            proto = NetOrder.u8(src, p + 6);
        } else {
            return ERR_IP_HEADER;
        }
        int l4Len = ipLen - hl;
        int l4Hdr;
        if (wantTcp) {
            if (proto != Checksums.PROTO_TCP) {
                return ERR_PROTOCOL;
            }
            if (l4Len < 20) {
                return ERR_L4_HEADER;
            }
            l4Hdr = (NetOrder.u8(src, p + hl + 12) >>> 4) * 4;
            if (l4Hdr < 20 || l4Hdr > l4Len) {
                return ERR_L4_HEADER;
            }
        } else {
            if (proto != Checksums.PROTO_UDP) {
                return ERR_PROTOCOL;
            }
            l4Hdr = 8;
            if (l4Len < l4Hdr) {
                return ERR_L4_HEADER;
            }
        }
        this.src = src;
        this.pktOff = p;
        this.gso = true;
        this.ipv4 = version == 4;
        this.tcp = wantTcp;
        this.ipHdrLen = hl;
        this.l4HdrLen = l4Hdr;
        this.pktLen = hl + l4Hdr;
        this.payloadLen = l4Len - l4Hdr;
        this.gsoSize = size;
        this.baseSeq = wantTcp ? NetOrder.i32(src, p + hl + 4) : 0;
        this.baseId = ipv4 ? NetOrder.u16(src, p + 4) : 0;
        // A super-packet whose payload fits one segment (or is empty) still yields one packet.
        this.segments = payloadLen <= size ? 1 : (payloadLen + size - 1) / size;
        return segments;
    }

    private int startPlain(ByteBuffer src, int hdrOff, int p, int len, int flags) {
        boolean csum = (flags & VirtioNetHdr.F_NEEDS_CSUM) != 0;
        int cs = 0;
        int co = 0;
        if (csum) {
            cs = VirtioNetHdr.csumStart(src, hdrOff);
            co = VirtioNetHdr.csumOffset(src, hdrOff);
            if (cs >= len || co > len - cs - 2) {
                return ERR_CSUM_OFFSETS;
            }
        }
        this.src = src;
        this.pktOff = p;
        this.pktLen = len;
        this.gso = false;
        this.needsCsum = csum;
        this.csumStart = cs;
        this.csumOffset = co;
        this.segments = 1;
        return 1;
    }

    /** Drops the next packet unwritten (the caller's buffer was too small for it). */
    public void skip() {
        if (index < segments) {
            index++;
        }
    }

    /**
     * Returns the length of the packet the next call to {@link #next} will write, or {@link #DONE}.
     *
     * @return bytes needed in the destination, or {@link #DONE}
     */
    public int nextLength() {
        if (index >= segments) {
            return DONE;
        }
        if (!gso) {
            return pktLen;
        }
        int payloadStart = index * gsoSize;
        return pktLen + Math.min(gsoSize, payloadLen - payloadStart);
    }

    /**
     * Writes the next packet at {@code dst}'s position and advances the position past it.
     *
     * @param dst the destination, from position to limit; must not overlap the source
     * @return the packet length; {@link #DONE} when there are no more packets (or {@link #start} failed);
     *     {@link #NO_ROOM} if {@code dst.remaining()} is smaller than {@link #nextLength()}, in which case
     *     nothing was written or consumed and the call may be repeated with more room
     */
    public int next(ByteBuffer dst) {
        int n = nextLength();
        if (n < 0) {
            return DONE;
        }
        int d = dst.position();
        if (dst.limit() - d < n) {
            return NO_ROOM;
        }
        if (!gso) {
            dst.put(d, src, pktOff, n);
            if (needsCsum) {
                Checksums.completePartial(dst, d, n, csumStart, csumOffset);
            }
        } else {
            writeSegment(dst, d, n);
        }
        index++;
        dst.position(d + n);
        if (index >= segments) {
            src = null; // do not keep the caller's buffer reachable
        }
        return n;
    }

    private void writeSegment(ByteBuffer dst, int d, int n) {
        int payloadStart = index * gsoSize;
        int seg = n - pktLen;
        boolean first = index == 0;
        boolean last = index == segments - 1;
        dst.put(d, src, pktOff, pktLen);
        dst.put(d + pktLen, src, pktOff + pktLen + payloadStart, seg);
        int l4 = d + ipHdrLen;
        int l4Len = n - ipHdrLen;
        if (ipv4) {
            NetOrder.put16(dst, d + 2, n);
            NetOrder.put16(dst, d + 4, baseId + index);
            Checksums.putIpv4HeaderChecksum(dst, d, ipHdrLen);
        } else {
            NetOrder.put16(dst, d + 4, l4Len);
        }
        int pseudo;
        int csumField;
        if (tcp) {
            NetOrder.put32(dst, l4 + 4, baseSeq + payloadStart);
            int f = NetOrder.u8(dst, l4 + 13);
            if (!last) {
                f &= ~(TCP_FIN | TCP_PSH);
            }
            if (!first) {
                f &= ~TCP_CWR;
            }
            dst.put(l4 + 13, (byte) f);
            csumField = l4 + 16;
            pseudo = ipv4 ? Checksums.pseudoHeaderSumV4(dst, d, Checksums.PROTO_TCP, l4Len)
                    : Checksums.pseudoHeaderSumV6(dst, d, Checksums.PROTO_TCP, l4Len);
        } else {
            NetOrder.put16(dst, l4 + 4, l4Len);
            csumField = l4 + 6;
            pseudo = ipv4 ? Checksums.pseudoHeaderSumV4(dst, d, Checksums.PROTO_UDP, l4Len)
                    : Checksums.pseudoHeaderSumV6(dst, d, Checksums.PROTO_UDP, l4Len);
        }
        NetOrder.put16(dst, csumField, 0);
        int s = Checksums.add(pseudo, Checksums.sum(dst, l4, l4Len));
        NetOrder.put16(dst, csumField, Checksums.finish(s));
    }

    /**
     * Describes a code returned by {@link #start} or {@link #next}, for log messages.
     *
     * @param code a code
     * @return a constant description
     */
    public static String describe(int code) {
        switch (code) {
            case DONE:
                return "no more segments";
            case NO_ROOM:
                return "destination buffer too small for the next segment";
            case ERR_TRUNCATED:
                return "truncated: no packet after the virtio_net_hdr";
            case ERR_GSO_TYPE:
                return "unsupported virtio_net_hdr gso_type";
            case ERR_GSO_SIZE:
                return "virtio_net_hdr gso_size is 0";
            case ERR_CSUM_OFFSETS:
                return "virtio_net_hdr csum_start/csum_offset outside the packet";
            case ERR_IP_HEADER:
                return "malformed IP header or IP version not matching gso_type";
            case ERR_PROTOCOL:
                return "IP payload is not the TCP/UDP that gso_type announces (or an IPv6 extension header)";
            case ERR_L4_HEADER:
                return "malformed TCP/UDP header";
            case ERR_FRAGMENT:
                return "IPv4 fragment in a GSO packet";
            default:
                return code >= 0 ? "ok" : "unknown code";
        }
    }
}
