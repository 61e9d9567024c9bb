// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import java.nio.ByteBuffer;

/**
 * The write side of offload: turns a batch of plain IP packets into "write units" for an
 * {@code IFF_VNET_HDR} TUN device, each a {@link VirtioNetHdr} followed by a packet, merging consecutive
 * segments of one TCP flow (and, on kernels with USO, one UDP flow) into a super-packet that the kernel
 * takes in one {@code write()}.
 *
 * <p>A packet joins the open super-packet of its flow (same IP version, addresses, protocol and ports)
 * only if nothing that the merge would lose differs:
 * <ul>
 *   <li>IPv4: same header length, TOS, TTL and options, and DF set with no fragmentation (the IPv4
 *       identification of such atomic datagrams carries no meaning, RFC 6864 §4, so it is not compared;
 *       splitting renumbers it from the first segment);
 *   <li>IPv6: same traffic class, flow label, hop limit and next header (no extension headers);
 *   <li>TCP: the sequence number continues the previous segment, same acknowledgment number, window,
 *       urgent pointer and identical options (timestamps included); flags exactly ACK, with PSH allowed
 *       only on the segment that ends the super-packet;
 *   <li>every payload is as long as the first (that length becomes {@code gso_size}) except the last,
 *       which may be shorter and ends the super-packet;
 *   <li>at most {@link #MAX_SEGMENTS} segments, and at most 65535 bytes of IPv4 total length or IPv6
 *       payload length.
 * </ul>
 * Every segment's checksums (the IPv4 header checksum, and the TCP or UDP checksum over the pseudo-header)
 * are verified before it may join, as the kernel's own GRO does: the merged super-packet gets a new
 * checksum, which would hide a corruption that the segment's own checksum reveals. A segment that fails
 * is passed on unmerged, exactly as it came, so that the receiver drops it. An IPv4 UDP datagram with
 * checksum 0 carries none (RFC 768) and has nothing to verify.
 *
 * <p>Flows may interleave in the batch: up to {@link #MAX_OPEN_FLOWS} flows are tracked at once, and a
 * packet may join a super-packet started earlier in the batch. Order within a flow is kept: any packet of a
 * flow that cannot join closes that flow's open super-packet. Units are emitted in the order of their
 * first packet.
 *
 * <p>A merged unit has {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}, {@code gso_type} TCPV4/TCPV6/UDP_L4,
 * {@code gso_size}, {@code hdr_len} = IP + L4 header length, {@code csum_start} = IP header length and
 * {@code csum_offset} 16 (TCP) or 6 (UDP); its L4 checksum field holds the folded pseudo-header sum for the
 * whole L4 length, which is what {@code CHECKSUM_PARTIAL} means to the kernel; IP lengths and the IPv4
 * header checksum are updated. Any other packet is emitted unchanged behind an all-zero header.
 *
 * <p>One instance per queue, reused for every batch; not thread-safe; allocates nothing after
 * construction.
 *
 * <p>Longer than 400 lines on purpose: it is one algorithm over parallel arrays (so that it allocates nothing
 * per packet), and the flow table, the join rules and the header rewriting all read and write those arrays.
 */
public final class GroCoalescer {

    /** Returned by {@link #coalesce} when {@code out} has less room than it may need; nothing written. */
    public static final int NO_ROOM = -1;
    /** Most segments merged into one super-packet. */
    public static final int MAX_SEGMENTS = 64;
    /** Most flows with an open super-packet at the same time within one batch. */
    public static final int MAX_OPEN_FLOWS = 16;

    private static final int KIND_OTHER = 0;
    private static final int KIND_TCP = 1;
    private static final int KIND_UDP = 2;

    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;
    private static final int IP_MAX = 65535;

    private final int maxBatch;
    private final boolean tcpEnabled;
    private final boolean udpEnabled;

    // Per packet of the current batch.
    private final ByteBuffer[] pBuf;
    private final int[] pOff;
    private final int[] pLen;
    private final int[] pKind;
    private final boolean[] pV4;
    private final boolean[] pEligible;
    private final int[] pIpHdr;
    private final int[] pL4Hdr;
    private final int[] pPayload;
    private final int[] pHash;
    private final int[] pNext;

    // Per unit (a run of packets written as one).
    private final int[] uFirst;
    private final int[] uLast;
    private final int[] uCount;
    private final int[] uPayload;
    private final boolean[] uClosed;

    // Open flows: unit ids, -1 when free.
    private final int[] slots = new int[MAX_OPEN_FLOWS];

    /**
     * Creates a coalescer.
     *
     * @param maxBatch the largest {@code count} that will be passed to {@link #coalesce}, at least 1
     * @param tcpEnabled merge TCP segments (the kernel must have {@code TUN_F_TSO4|TUN_F_TSO6})
     * @param udpEnabled merge UDP datagrams (the kernel must have {@code TUN_F_USO4|TUN_F_USO6}, Linux
     *     6.2+); with both flags false every packet is emitted with an all-zero header, the off switch
     * @throws IllegalArgumentException if {@code maxBatch < 1}
     */
    public GroCoalescer(int maxBatch, boolean tcpEnabled, boolean udpEnabled) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.tcpEnabled = tcpEnabled;
        this.udpEnabled = udpEnabled;
        pBuf = new ByteBuffer[maxBatch];
        pOff = new int[maxBatch];
        pLen = new int[maxBatch];
        pKind = new int[maxBatch];
        pV4 = new boolean[maxBatch];
        pEligible = new boolean[maxBatch];
        pIpHdr = new int[maxBatch];
        pL4Hdr = new int[maxBatch];
        pPayload = new int[maxBatch];
        pHash = new int[maxBatch];
        pNext = new int[maxBatch];
        uFirst = new int[maxBatch];
        uLast = new int[maxBatch];
        uCount = new int[maxBatch];
        uPayload = new int[maxBatch];
        uClosed = new boolean[maxBatch];
    }

    /**
     * Returns the most bytes {@link #coalesce} may write for a batch: a vnet header per packet plus the
     * packets. Allocates nothing.
     *
     * @param srcs the packets, each from position to limit
     * @param count how many of {@code srcs} to use
     * @return the room {@code out} needs
     */
    public static int requiredRoom(ByteBuffer[] srcs, int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += VirtioNetHdr.SIZE + srcs[i].remaining();
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /**
     * Builds the write units for a batch of packets. The sources are only read (their positions do not
     * move). Units are written one after the other from {@code out}'s position, which is advanced past the
     * last unit; unit {@code u} occupies {@code unitLengths[u]} bytes at absolute index {@code unitOffsets[u]}
     * and is passed to one {@code write()}.
     *
     * @param srcs the packets, each from position to limit; each should be a complete IPv4 or IPv6 packet
     *     (anything else is passed through unmerged)
     * @param count how many of {@code srcs} to use, {@code 0..maxBatch}
     * @param out where the units go; needs {@link #requiredRoom} bytes from its position; must not overlap
     *     the sources
     * @param unitOffsets receives the absolute index of each unit in {@code out}; length at least {@code count}
     * @param unitLengths receives the length of each unit; length at least {@code count}
     * @return the number of units, or {@link #NO_ROOM} if {@code out} has less than {@link #requiredRoom}
     * @throws IllegalArgumentException if {@code count} exceeds {@code maxBatch}, {@code srcs.length} or an
     *     array's length
     */
    public int coalesce(ByteBuffer[] srcs, int count, ByteBuffer out, int[] unitOffsets, int[] unitLengths) {
        if (count < 0 || count > maxBatch || count > srcs.length || count > unitOffsets.length
                || count > unitLengths.length) {
            throw new IllegalArgumentException("count out of range");
        }
        if (out.remaining() < requiredRoom(srcs, count)) {
            return NO_ROOM;
        }
        int units = group(srcs, count);
        int o = out.position();
        for (int u = 0; u < units; u++) {
            int n = uCount[u] == 1 ? writePlain(out, o, uFirst[u]) : writeMerged(out, o, u);
            unitOffsets[u] = o;
            unitLengths[u] = n;
            o += n;
        }
        out.position(o);
        for (int i = 0; i < count; i++) {
            pBuf[i] = null; // do not keep the caller's buffers reachable
        }
        return units;
    }

    /** Pass 1: assigns every packet to a unit; returns the number of units. */
    private int group(ByteBuffer[] srcs, int count) {
        for (int s = 0; s < MAX_OPEN_FLOWS; s++) {
            slots[s] = -1;
        }
        int units = 0;
        for (int i = 0; i < count; i++) {
            parse(i, srcs[i]);
            pNext[i] = -1;
            int slot = pKind[i] == KIND_OTHER ? -1 : findFlow(i);
            if (slot >= 0) {
                int u = slots[slot];
                if (pEligible[i] && canAppend(u, i)) {
                    int l = uLast[u];
                    pNext[l] = i;
                    uLast[u] = i;
                    uCount[u]++;
                    uPayload[u] += pPayload[i];
                    if (pPayload[i] < pPayload[uFirst[u]] || (tcpFlags(i) & TCP_PSH) != 0) {
                        uClosed[u] = true;
                        slots[slot] = -1;
                    }
                    continue;
                }
                // The flow's open super-packet ends here so that a later segment cannot overtake packet i.
                slots[slot] = -1;
            }
            int u = units++;
            uFirst[u] = i;
            uLast[u] = i;
            uCount[u] = 1;
            uPayload[u] = pPayload[i];
            uClosed[u] = !pEligible[i] || (tcpFlags(i) & TCP_PSH) != 0;
            if (!uClosed[u]) {
                slots[freeSlot()] = u;
            }
        }
        return units;
    }

    private int tcpFlags(int i) {
        return pKind[i] == KIND_TCP ? NetOrder.u8(pBuf[i], pOff[i] + pIpHdr[i] + 13) : 0;
    }

    /** Returns a free slot, evicting the flow whose super-packet started first. */
    private int freeSlot() {
        int best = 0;
        for (int s = 0; s < MAX_OPEN_FLOWS; s++) {
            if (slots[s] < 0) {
                return s;
            }
            if (slots[s] < slots[best]) {
                best = s;
            }
        }
        uClosed[slots[best]] = true;
        return best;
    }

    /** Returns the slot holding the open super-packet of packet i's flow, or -1. */
    private int findFlow(int i) {
        for (int s = 0; s < MAX_OPEN_FLOWS; s++) {
            int u = slots[s];
            if (u >= 0 && sameFlow(uFirst[u], i)) {
                return s;
            }
        }
        return -1;
    }

    private boolean sameFlow(int a, int b) {
        if (pHash[a] != pHash[b] || pKind[a] != pKind[b] || pV4[a] != pV4[b]) {
            return false;
        }
        ByteBuffer x = pBuf[a];
        ByteBuffer y = pBuf[b];
        int xo = pOff[a];
        int yo = pOff[b];
        boolean addrs = pV4[a] ? NetOrder.rangeEquals(x, xo + 12, y, yo + 12, 8)
                : NetOrder.rangeEquals(x, xo + 8, y, yo + 8, 32);
        return addrs && NetOrder.rangeEquals(x, xo + pIpHdr[a], y, yo + pIpHdr[b], 4);
    }

    private boolean canAppend(int u, int i) {
        int f = uFirst[u];
        int l = uLast[u];
        if (uClosed[u] || uCount[u] >= MAX_SEGMENTS || pPayload[i] > pPayload[f]
                || pIpHdr[i] != pIpHdr[f] || pL4Hdr[i] != pL4Hdr[f]) {
            return false;
        }
        long total = (long) pL4Hdr[f] + uPayload[u] + pPayload[i] + (pV4[f] ? pIpHdr[f] : 0);
        if (total > IP_MAX) {
            return false;
        }
        ByteBuffer x = pBuf[f];
        ByteBuffer y = pBuf[i];
        int xo = pOff[f];
        int yo = pOff[i];
        if (pV4[f]) {
            // TOS (byte 1), TTL (byte 8), options (20..IHL*4).
            if (x.get(xo + 1) != y.get(yo + 1) || x.get(xo + 8) != y.get(yo + 8)
                    || !NetOrder.rangeEquals(x, xo + 20, y, yo + 20, pIpHdr[f] - 20)) {
                return false;
            }
        } else {
            // Version, traffic class, flow label (bytes 0..3); hop limit (byte 7).
            if (!NetOrder.rangeEquals(x, xo, y, yo, 4) || x.get(xo + 7) != y.get(yo + 7)) {
                return false;
            }
        }
        if (pKind[f] == KIND_TCP) {
            int xt = xo + pIpHdr[f];
            int yt = yo + pIpHdr[i];
            int expectedSeq = NetOrder.i32(pBuf[l], pOff[l] + pIpHdr[l] + 4) + pPayload[l];
            return NetOrder.i32(y, yt + 4) == expectedSeq
                    && NetOrder.rangeEquals(x, xt + 8, y, yt + 8, 4) // acknowledgment number
                    && NetOrder.rangeEquals(x, xt + 14, y, yt + 14, 2) // window
                    && NetOrder.rangeEquals(x, xt + 18, y, yt + 18, pL4Hdr[f] - 18); // urgent ptr, options
        }
        return true;
    }

    /** Parses packet i just enough to classify it; every read is bounds-checked against the packet. */
    private void parse(int i, ByteBuffer b) {
        int off = b.position();
        int len = b.limit() - off;
        pBuf[i] = b;
        pOff[i] = off;
        pLen[i] = len;
        pKind[i] = KIND_OTHER;
        pEligible[i] = false;
        pPayload[i] = 0;
        pHash[i] = 0;
        if (len < 20) {
            return;
        }
        int version = NetOrder.u8(b, off) >>> 4;
        int hl;
        int proto;
        boolean atomic;
        int hash;
        if (version == 4) {
            hl = (NetOrder.u8(b, off) & 0x0f) * 4;
            if (hl < 20 || hl > len || NetOrder.u16(b, off + 2) != len) {
                return;
            }
            int frag = NetOrder.u16(b, off + 6);
            if ((frag & 0x3fff) != 0) {
                return; // a fragment: no ports to identify the flow by
            }
            atomic = frag == 0x4000; // DF alone (RFC 791 §3.1, RFC 6864 §4)
            proto = NetOrder.u8(b, off + 9);
            hash = NetOrder.i32(b, off + 12) * 31 + NetOrder.i32(b, off + 16);
        } else if (version == 6) {
            hl = 40;
            if (len < hl || NetOrder.u16(b, off + 4) != len - hl) {
                return;
            }
            atomic = true;
            proto = NetOrder.u8(b, off + 6);
            hash = 0;
            for (int k = 8; k < 40; k += 4) {
                hash = hash * 31 + NetOrder.i32(b, off + k);
            }
        } else {
            return;
        }
        int l4Len = len - hl;
        int kind;
        int l4Hdr;
        if (proto == Checksums.PROTO_TCP) {
            if (l4Len < 20) {
                return;
            }
            l4Hdr = (NetOrder.u8(b, off + hl + 12) >>> 4) * 4;
            if (l4Hdr < 20 || l4Hdr > l4Len) {
                return;
            }
            kind = KIND_TCP;
        } else if (proto == Checksums.PROTO_UDP) {
            l4Hdr = 8;
            if (l4Len < l4Hdr || NetOrder.u16(b, off + hl + 4) != l4Len) {
                return;
            }
            kind = KIND_UDP;
        } else {
            return;
        }
        pKind[i] = kind;
        pV4[i] = version == 4;
        pIpHdr[i] = hl;
        pL4Hdr[i] = l4Hdr;
        pPayload[i] = l4Len - l4Hdr;
        pHash[i] = (hash * 31 + NetOrder.i32(b, off + hl)) * 31 + kind;
        boolean enabled;
        if (kind == KIND_TCP) {
            int flags = NetOrder.u8(b, off + hl + 13);
            enabled = tcpEnabled && (flags == TCP_ACK || flags == (TCP_ACK | TCP_PSH));
        } else {
            enabled = udpEnabled;
        }
        pEligible[i] = enabled && atomic && pPayload[i] > 0 && checksumsValid(b, off, hl, kind, len);
    }

    /** True if the IPv4 header checksum (if any) and the TCP or UDP checksum of the packet verify. */
    private static boolean checksumsValid(ByteBuffer b, int off, int hl, int kind, int len) {
        boolean v4 = NetOrder.u8(b, off) >>> 4 == 4;
        // A correct checksum makes the one's complement sum over what it covers all ones (RFC 1071 §1).
        if (v4 && Checksums.sum(b, off, hl) != 0xffff) {
            return false;
        }
        int l4Len = len - hl;
        if (kind == KIND_UDP && v4 && NetOrder.u16(b, off + hl + 6) == 0) {
            return true;
        }
        int proto = kind == KIND_TCP ? Checksums.PROTO_TCP : Checksums.PROTO_UDP;
        int pseudo = v4 ? Checksums.pseudoHeaderSumV4(b, off, proto, l4Len)
                : Checksums.pseudoHeaderSumV6(b, off, proto, l4Len);
        return Checksums.add(pseudo, Checksums.sum(b, off + hl, l4Len)) == 0xffff;
    }

    private int writePlain(ByteBuffer out, int o, int i) {
        VirtioNetHdr.putPlain(out, o);
        out.put(o + VirtioNetHdr.SIZE, pBuf[i], pOff[i], pLen[i]);
        return VirtioNetHdr.SIZE + pLen[i];
    }

    private int writeMerged(ByteBuffer out, int o, int u) {
        int f = uFirst[u];
        int hl = pIpHdr[f];
        int headers = hl + pL4Hdr[f];
        int p = o + VirtioNetHdr.SIZE;
        out.put(p, pBuf[f], pOff[f], headers);
        int w = p + headers;
        int lastFlags = 0;
        for (int i = f; i >= 0; i = pNext[i]) {
            out.put(w, pBuf[i], pOff[i] + pIpHdr[i] + pL4Hdr[i], pPayload[i]);
            w += pPayload[i];
            lastFlags = tcpFlags(i);
        }
        int pktLen = w - p;
        int l4Len = pktLen - hl;
        boolean tcp = pKind[f] == KIND_TCP;
        int proto = tcp ? Checksums.PROTO_TCP : Checksums.PROTO_UDP;
        int csumOffset;
        if (pV4[f]) {
            NetOrder.put16(out, p + 2, pktLen);
            Checksums.putIpv4HeaderChecksum(out, p, hl);
        } else {
            NetOrder.put16(out, p + 4, l4Len);
        }
        if (tcp) {
            out.put(p + hl + 13, (byte) (tcpFlags(f) | (lastFlags & TCP_PSH)));
            csumOffset = 16;
        } else {
            NetOrder.put16(out, p + hl + 4, l4Len);
            csumOffset = 6;
        }
        int pseudo = pV4[f] ? Checksums.pseudoHeaderSumV4(out, p, proto, l4Len)
                : Checksums.pseudoHeaderSumV6(out, p, proto, l4Len);
        NetOrder.put16(out, p + hl + csumOffset, pseudo);
        int type = tcp ? (pV4[f] ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6) : VirtioNetHdr.GSO_UDP_L4;
        VirtioNetHdr.put(out, o, VirtioNetHdr.F_NEEDS_CSUM, type, headers, pPayload[f], hl, csumOffset);
        return VirtioNetHdr.SIZE + pktLen;
    }
}
