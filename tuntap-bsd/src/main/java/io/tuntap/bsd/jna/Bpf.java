// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static io.tuntap.bsd.jna.Ioc.iow;
import static io.tuntap.bsd.jna.Ioc.iowr;

/**
 * The numbers of xnu's Berkeley Packet Filter that the macOS TAP device uses, as LP64 (x86-64 and arm64) sees
 * them. Source: apple-oss-distributions/xnu, tag xnu-11417.101.15 (commit e3723e1f), {@code bsd/net/bpf.h}
 * (requests, {@code struct bpf_hdr}, {@code BPF_ALIGNMENT}, {@code BPF_MINBUFSIZE}) and {@code bsd/net/bpf.c}
 * (bpfattach's {@code bif_hdrlen}, catchpacket's record layout).
 */
public final class Bpf {
    /** {@code BIOCSBLEN _IOWR('B', 102, u_int)}: the buffer size, before BIOCSETIF; the kernel writes back what it took. */
    public static final long BIOCSBLEN = iowr('B', 102, 4);
    /** {@code BIOCSETIF _IOW('B', 108, struct ifreq)}: the interface to listen on (and write to). */
    public static final long BIOCSETIF = iow('B', 108, 32);
    /** {@code BIOCIMMEDIATE _IOW('B', 112, u_int)}: a read (and poll) returns as soon as one packet is there. */
    public static final long BIOCIMMEDIATE = iow('B', 112, 4);
    /** {@code BIOCSHDRCMPLT _IOW('B', 117, u_int)}: written frames carry their own link header, sent as they are. */
    public static final long BIOCSHDRCMPLT = iow('B', 117, 4);
    /** {@code BIOCSSEESENT _IOW('B', 119, u_int)}: 0 sets {@code BPF_D_IN}, so packets sent on the interface are not read. */
    public static final long BIOCSSEESENT = iow('B', 119, 4);

    /** {@code BPF_ALIGNMENT}: {@code sizeof(int32_t)}; every record starts on this boundary. */
    public static final int ALIGNMENT = 4;
    /** {@code BPF_MINBUFSIZE}: a smaller BIOCSBLEN is raised to this. */
    public static final int MIN_BUFFER = 32;
    /**
     * {@code SIZEOF_BPF_HDR}: 18 on LP64, where {@code struct bpf_hdr} is a {@code timeval32} (8), two
     * {@code bpf_u_int32} and a {@code u_short}, padded to 20 by the compiler.
     */
    public static final int SIZEOF_BPF_HDR = 18;
    /** Offset of {@code bh_caplen}: the bytes of the packet in the buffer. */
    public static final int BH_CAPLEN = 8;
    /** Offset of {@code bh_datalen}: the packet's length on the wire (more than caplen if it was cut). */
    public static final int BH_DATALEN = 12;
    /** Offset of {@code bh_hdrlen}: where the packet starts, counted from the record. */
    public static final int BH_HDRLEN = 16;
    /**
     * {@code bif_hdrlen} of an Ethernet (DLT_EN10MB) interface: bpfattach sets
     * {@code BPF_WORDALIGN(14 + SIZEOF_BPF_HDR) - 14} = 18, so that the IP header lands on a 4-byte boundary.
     */
    public static final int ETHERNET_HDRLEN = 18;
    /**
     * {@code BPF_WRITE_LEEWAY}: bpf_movein refuses (EMSGSIZE) a write longer than the interface's MTU plus this
     * (room for a link header), when the descriptor has no BIOCSWRITEMAX.
     */
    public static final int WRITE_LEEWAY = 18;

    private Bpf() {
    }

    /** {@code BPF_WORDALIGN(x)}: {@code x} rounded up to {@link #ALIGNMENT}. */
    public static int wordAlign(int x) {
        return (x + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
    }
}
