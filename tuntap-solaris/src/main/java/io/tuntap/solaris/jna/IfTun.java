// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * The STREAMS tun/tap driver's interface: {@code if_tun.h} and the facts of {@code tun.c} of the driver that
 * OpenIndiana and OmniOS package (Kazuyoshi Aizawa's, derived from the Universal TUN/TAP driver). The driver
 * is installed as two drivers, {@code tun} (IP packets) and {@code tap} (Ethernet frames), with the clone
 * device nodes {@link #TUN_DEVICE} and {@link #TAP_DEVICE}; every open makes a new stream.
 *
 * <p>A stream that sends {@link #TUNNEWPPA} becomes the control stream of a new unit (ppa): the packets IP
 * sends on interface {@code tunN} are read from it, and packets written to it go up to IP. Closing it frees the
 * unit. Other streams (IP's) attach to the unit as its protocol streams with {@code DL_ATTACH_REQ}.
 */
public final class IfTun {
    /** {@code (('T'<<16) | 0x0001)}: allocate a unit; the argument is its number, or -1 for the first free. */
    public static final int TUNNEWPPA = 'T' << 16 | 0x0001;
    /** {@code (('T'<<16) | 0x0002)}: attach this stream to an existing unit as a protocol stream. */
    public static final int TUNSETPPA = 'T' << 16 | 0x0002;
    /** Units 0 to 19 per driver: {@code #define TUNMAXPPA 20}. */
    public static final int TUNMAXPPA = 20;
    /** The driver's {@code mi_minpsz}: putmsg of fewer data bytes fails with ERANGE. */
    public static final int MIN_PACKET = 21;
    /** The driver's {@code mi_maxpsz}: putmsg of more data bytes fails with ERANGE. */
    public static final int MAX_PACKET = 2048;
    /** The driver's {@code dl_max_sdu} (ETHERMTU): the largest MTU IP accepts on its interfaces. */
    public static final int MAX_MTU = 1500;
    /** The clone node of the IP-level driver. */
    public static final String TUN_DEVICE = "/dev/tun";
    /** The clone node of the Ethernet-level driver. */
    public static final String TAP_DEVICE = "/dev/tap";
    /** The IPv4 multiplexor that interfaces are linked under (a UDP stream, as ifconfig uses). */
    public static final String UDP_DEVICE = "/dev/udp";
    /** The IPv6 multiplexor. */
    public static final String UDP6_DEVICE = "/dev/udp6";

    private IfTun() {
    }
}
