// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the data
 * taken as big-endian 16-bit words, as used by IPv4 (RFC 791), TCP (RFC 793), UDP (RFC 768) and both over
 * IPv6 (RFC 8200 §8.1).
 *
 * <p>Sums are returned <em>folded but not complemented</em>, as ints in {@code 0..0xffff}, so that partial
 * sums can be combined with {@link #add(int, int)} and complemented once at the end with
 * {@link #finish(int)}. All methods use absolute indexing, never move the buffer's position, accept heap
 * and direct buffers in either byte order, and allocate nothing.
 */
public final class Checksums {

    /** IP protocol number of TCP (IANA; RFC 793). */
    public static final int PROTO_TCP = 6;
    /** IP protocol number of UDP (IANA; RFC 768). */
    public static final int PROTO_UDP = 17;

    private Checksums() {
    }

    /**
     * Returns the folded one's complement sum of {@code len} bytes at absolute index {@code off}; an odd last
     * byte is padded with a zero byte on the right (RFC 1071 §1).
     *
     * @param b the buffer
     * @param off absolute index of the first byte
     * @param len number of bytes, at least 0
     * @return the folded sum, {@code 0..0xffff}
     */
    public static int sum(ByteBuffer b, int off, int len) {
        // RFC 1071 §2(B): the sum is byte-order independent up to a final byte swap, so read 8 bytes at a
        // time in the buffer's own order and swap the folded result once if that order was little-endian.
        long acc = 0;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long v = b.getLong(i);
            // Two 32-bit halves per step: 2^31 steps before the 64-bit accumulator could overflow, far more
            // than the 64 KB an IP packet can hold (RFC 1071 §2(C), deferred carries).
            acc += (v >>> 32) + (v & 0xffffffffL);
        }
        int s = fold(acc);
        if (b.order() == ByteOrder.LITTLE_ENDIAN) {
            s = Integer.reverseBytes(s) >>> 16;
        }
        // The tail (fewer than 8 bytes) always starts on an even distance from off, so it continues the
        // big-endian word sequence.
        long tail = s;
        for (; i + 2 <= end; i += 2) {
            tail += NetOrder.u16(b, i);
        }
        if (i < end) {
            tail += (b.get(i) & 0xff) << 8;
        }
        return fold(tail);
    }

    /**
     * Folds a wide accumulator of 16-bit (or 32-bit) word sums into 16 bits with end-around carry.
     *
     * @param acc a non-negative sum
     * @return the folded sum, {@code 0..0xffff}
     */
    public static int fold(long acc) {
        acc = (acc & 0xffffffffL) + (acc >>> 32);
        acc = (acc & 0xffffffffL) + (acc >>> 32);
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = (acc & 0xffff) + (acc >>> 16);
        return (int) acc;
    }

    /**
     * One's complement addition of two folded sums.
     *
     * @param a a folded sum
     * @param c another folded sum
     * @return the folded sum of both
     */
    public static int add(int a, int c) {
        int s = a + c;
        return (s & 0xffff) + (s >>> 16);
    }

    /**
     * Turns a folded sum into the value to store in a TCP or UDP checksum field: its complement, with 0
     * sent as {@code 0xffff}. RFC 768 requires that for UDP, where 0 means "no checksum"; for TCP both
     * encodings of one's complement zero verify the same way (RFC 1071 §1), so one rule serves both.
     *
     * @param sum a folded sum
     * @return the checksum field value, {@code 1..0xffff}
     */
    public static int finish(int sum) {
        int c = ~sum & 0xffff;
        return c == 0 ? 0xffff : c;
    }

    /**
     * Returns the IPv4 header checksum (RFC 791 §3.1) of the header at {@code ipOff}, treating the checksum
     * field (bytes 10..11) as zero. Does not store it.
     *
     * @param b the buffer
     * @param ipOff absolute index of the IPv4 header
     * @param ihlBytes the header length in bytes (IHL * 4), at least 20
     * @return the value for the header checksum field
     */
    public static int ipv4HeaderChecksum(ByteBuffer b, int ipOff, int ihlBytes) {
        int s = add(sum(b, ipOff, 10), sum(b, ipOff + 12, ihlBytes - 12));
        return ~s & 0xffff;
    }

    /**
     * Recomputes and stores the IPv4 header checksum of the header at {@code ipOff}.
     *
     * @param b the buffer
     * @param ipOff absolute index of the IPv4 header
     * @param ihlBytes the header length in bytes (IHL * 4), at least 20
     */
    public static void putIpv4HeaderChecksum(ByteBuffer b, int ipOff, int ihlBytes) {
        NetOrder.put16(b, ipOff + 10, ipv4HeaderChecksum(b, ipOff, ihlBytes));
    }

    /**
     * Returns the folded sum of the IPv4 pseudo-header (RFC 793 §3.1, RFC 768): source and destination
     * address taken from the IPv4 header at {@code ipOff}, zero, protocol, and the L4 length.
     *
     * @param b the buffer
     * @param ipOff absolute index of the IPv4 header
     * @param proto {@link #PROTO_TCP} or {@link #PROTO_UDP}
     * @param l4Len length of the TCP or UDP header plus payload
     * @return the folded pseudo-header sum
     */
    public static int pseudoHeaderSumV4(ByteBuffer b, int ipOff, int proto, int l4Len) {
        return fold((long) sum(b, ipOff + 12, 8) + proto + l4Len);
    }

    /**
     * Returns the folded sum of the IPv6 pseudo-header (RFC 8200 §8.1): source and destination address taken
     * from the IPv6 header at {@code ipOff}, the 32-bit upper-layer length, three zero bytes and the next
     * header value.
     *
     * @param b the buffer
     * @param ipOff absolute index of the IPv6 header
     * @param proto {@link #PROTO_TCP} or {@link #PROTO_UDP}
     * @param l4Len upper-layer packet length (TCP or UDP header plus payload)
     * @return the folded pseudo-header sum
     */
    public static int pseudoHeaderSumV6(ByteBuffer b, int ipOff, int proto, int l4Len) {
        return fold((long) sum(b, ipOff + 8, 32) + proto + (l4Len >>> 16) + (l4Len & 0xffff));
    }

    /**
     * Completes a partial checksum as a device does for {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the field at
     * {@code csumStart + csumOffset} holds the folded pseudo-header sum; sum everything from
     * {@code csumStart} to the end of the packet (including that field) and store the result there.
     * Offsets are relative to {@code pktOff}; the caller validates them against {@code pktLen}.
     *
     * @param b the buffer
     * @param pktOff absolute index of the packet (after the vnet header)
     * @param pktLen packet length
     * @param csumStart {@code csum_start}
     * @param csumOffset {@code csum_offset}
     */
    public static void completePartial(ByteBuffer b, int pktOff, int pktLen, int csumStart, int csumOffset) {
        int s = sum(b, pktOff + csumStart, pktLen - csumStart);
        NetOrder.put16(b, pktOff + csumStart + csumOffset, finish(s));
    }
}
