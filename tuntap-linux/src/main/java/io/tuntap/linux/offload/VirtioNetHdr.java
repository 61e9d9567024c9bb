// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import java.nio.ByteBuffer;

/**
 * The 10-byte {@code struct virtio_net_hdr} ({@code include/uapi/linux/virtio_net.h}) that prefixes every
 * packet read from or written to a TUN device opened with {@code IFF_VNET_HDR}.
 *
 * <p>Layout: {@code flags} u8 @0, {@code gso_type} u8 @1, {@code hdr_len} u16 @2, {@code gso_size} u16 @4,
 * {@code csum_start} u16 @6, {@code csum_offset} u16 @8. The kernel uses host byte order for the u16 fields
 * unless {@code TUNSETVNETBE} is set; the Linux ports this library targets (x86-64, arm64, riscv64) are
 * little-endian, so the accessors here always read and write little-endian, whatever the buffer's
 * {@link ByteBuffer#order() order}. All accessors use absolute indexing and never move the buffer's position.
 *
 * <p>An all-zero header describes a plain packet whose checksums are already complete.
 */
public final class VirtioNetHdr {

    /** Size of {@code struct virtio_net_hdr}; the default and minimum vnet header size of a TUN device. */
    public static final int SIZE = 10;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the L4 checksum holds only the pseudo-header sum. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}: the checksum was verified already (receive side only). */
    public static final int F_DATA_VALID = 2;

    /** {@code VIRTIO_NET_HDR_GSO_NONE}: not a super-packet. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}: TCP over IPv4 super-packet (TSO). */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_UDP}: UDP fragmentation offload (UFO); not produced or accepted here. */
    public static final int GSO_UDP = 3;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV6}: TCP over IPv6 super-packet (TSO). */
    public static final int GSO_TCPV6 = 4;
    /** {@code VIRTIO_NET_HDR_GSO_UDP_L4}: UDP segmentation offload (USO, Linux 6.2+), IPv4 or IPv6. */
    public static final int GSO_UDP_L4 = 5;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: bit or'ed into {@code gso_type} when the TCP flow uses ECN. */
    public static final int GSO_ECN = 0x80;

    private static final int OFF_FLAGS = 0;
    private static final int OFF_GSO_TYPE = 1;
    private static final int OFF_HDR_LEN = 2;
    private static final int OFF_GSO_SIZE = 4;
    private static final int OFF_CSUM_START = 6;
    private static final int OFF_CSUM_OFFSET = 8;

    private VirtioNetHdr() {
    }

    /**
     * Returns {@code flags} of the header at {@code off}.
     *
     * @param b the buffer
     * @param off absolute index of the header
     * @return the flags byte, 0..255
     */
    public static int flags(ByteBuffer b, int off) {
        return b.get(off + OFF_FLAGS) & 0xff;
    }

    /**
     * Returns {@code gso_type} of the header at {@code off}, including the {@link #GSO_ECN} bit.
     *
     * @param b the buffer
     * @param off absolute index of the header
     * @return the GSO type byte, 0..255
     */
    public static int gsoType(ByteBuffer b, int off) {
        return b.get(off + OFF_GSO_TYPE) & 0xff;
    }

    /**
     * Returns {@code hdr_len} of the header at {@code off}.
     *
     * @param b the buffer
     * @param off absolute index of the header
     * @return the header length, 0..65535
     */
    public static int hdrLen(ByteBuffer b, int off) {
        return getLe16(b, off + OFF_HDR_LEN);
    }

    /**
     * Returns {@code gso_size} of the header at {@code off}.
     *
     * @param b the buffer
     * @param off absolute index of the header
     * @return the segment payload size, 0..65535
     */
    public static int gsoSize(ByteBuffer b, int off) {
        return getLe16(b, off + OFF_GSO_SIZE);
    }

    /**
     * Returns {@code csum_start} of the header at {@code off}.
     *
     * @param b the buffer
     * @param off absolute index of the header
     * @return where checksumming starts, relative to the packet after the header, 0..65535
     */
    public static int csumStart(ByteBuffer b, int off) {
        return getLe16(b, off + OFF_CSUM_START);
    }

    /**
     * Returns {@code csum_offset} of the header at {@code off}.
     *
     * @param b the buffer
     * @param off absolute index of the header
     * @return offset of the checksum field from {@code csum_start}, 0..65535
     */
    public static int csumOffset(ByteBuffer b, int off) {
        return getLe16(b, off + OFF_CSUM_OFFSET);
    }

    /**
     * Writes a complete header at {@code off}. Values are truncated to their field widths.
     *
     * @param b the buffer
     * @param off absolute index of the header
     * @param flags {@code flags}, e.g. {@link #F_NEEDS_CSUM}
     * @param gsoType {@code gso_type}, e.g. {@link #GSO_TCPV4}
     * @param hdrLen {@code hdr_len}
     * @param gsoSize {@code gso_size}
     * @param csumStart {@code csum_start}
     * @param csumOffset {@code csum_offset}
     */
    public static void put(ByteBuffer b, int off, int flags, int gsoType, int hdrLen, int gsoSize,
            int csumStart, int csumOffset) {
        b.put(off + OFF_FLAGS, (byte) flags);
        b.put(off + OFF_GSO_TYPE, (byte) gsoType);
        putLe16(b, off + OFF_HDR_LEN, hdrLen);
        putLe16(b, off + OFF_GSO_SIZE, gsoSize);
        putLe16(b, off + OFF_CSUM_START, csumStart);
        putLe16(b, off + OFF_CSUM_OFFSET, csumOffset);
    }

    /**
     * Writes an all-zero header at {@code off}: a plain packet with complete checksums.
     *
     * @param b the buffer
     * @param off absolute index of the header
     */
    public static void putPlain(ByteBuffer b, int off) {
        // Two stores instead of ten; the long store's byte order does not matter for zeros.
        b.putLong(off, 0L);
        b.putShort(off + 8, (short) 0);
    }

    static int getLe16(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) | (b.get(i + 1) & 0xff) << 8;
    }

    static void putLe16(ByteBuffer b, int i, int v) {
        b.put(i, (byte) v);
        b.put(i + 1, (byte) (v >>> 8));
    }
}
