// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * The interface ioctls of illumos {@code <sys/sockio.h>} that the backend sends, made from their definitions.
 * All take a {@code struct lifreq} ({@link Lifreq}), except {@link #IF_UNITSEL}, which takes an {@code int}.
 * Sent on an {@code AF_INET} or {@code AF_INET6} socket (here the {@code /dev/udp} and {@code /dev/udp6} streams
 * the interface is linked under), they act on the IPv4 or the IPv6 interface of that name.
 */
public final class Sockio {
    // The _IOW/_IOWR formulas of <sys/ioccom.h> written out, so that the numbers are compile-time constants;
    // IoctlGoldenTest checks them against Ioccom's functions and against numbers generated on illumos.
    private static final int IN = Ioccom.IOC_IN;
    private static final int IN_OUT = Ioccom.IOC_INOUT;
    /** sizeof (struct lifreq) as _IOW keeps it: the low 8 bits, shifted into place. */
    private static final int LIFREQ = (Lifreq.SIZE & Ioccom.IOCPARM_MASK) << 16;

    /** {@code _IOW('i', 110, struct lifreq)}: delete a logical interface. */
    public static final int SIOCLIFREMOVEIF = IN | LIFREQ | 'i' << 8 | 110;
    /** {@code _IOWR('i', 111, struct lifreq)}: create a logical interface. */
    public static final int SIOCLIFADDIF = IN_OUT | LIFREQ | 'i' << 8 | 111;
    /** {@code _IOW('i', 112, struct lifreq)}: set the address. */
    public static final int SIOCSLIFADDR = IN | LIFREQ | 'i' << 8 | 112;
    /** {@code _IOWR('i', 113, struct lifreq)}: get the address. */
    public static final int SIOCGLIFADDR = IN_OUT | LIFREQ | 'i' << 8 | 113;
    /** {@code _IOW('i', 114, struct lifreq)}: set the point-to-point destination. */
    public static final int SIOCSLIFDSTADDR = IN | LIFREQ | 'i' << 8 | 114;
    /** {@code _IOWR('i', 115, struct lifreq)}: get the point-to-point destination. */
    public static final int SIOCGLIFDSTADDR = IN_OUT | LIFREQ | 'i' << 8 | 115;
    /** {@code _IOW('i', 116, struct lifreq)}: set the flags. */
    public static final int SIOCSLIFFLAGS = IN | LIFREQ | 'i' << 8 | 116;
    /** {@code _IOWR('i', 117, struct lifreq)}: get the flags. */
    public static final int SIOCGLIFFLAGS = IN_OUT | LIFREQ | 'i' << 8 | 117;
    /** {@code _IOW('i', 121, struct lifreq)}: set the MTU. */
    public static final int SIOCSLIFMTU = IN | LIFREQ | 'i' << 8 | 121;
    /** {@code _IOWR('i', 122, struct lifreq)}: get the MTU. */
    public static final int SIOCGLIFMTU = IN_OUT | LIFREQ | 'i' << 8 | 122;
    /** {@code _IOWR('i', 125, struct lifreq)}: get the netmask. */
    public static final int SIOCGLIFNETMASK = IN_OUT | LIFREQ | 'i' << 8 | 125;
    /** {@code _IOW('i', 126, struct lifreq)}: set the netmask. */
    public static final int SIOCSLIFNETMASK = IN | LIFREQ | 'i' << 8 | 126;
    /** {@code _IOWR('i', 129, struct lifreq)}: name the IP stream's interface (with its ppa and IFF_IPV4/6). */
    public static final int SIOCSLIFNAME = IN_OUT | LIFREQ | 'i' << 8 | 129;
    /** {@code _IOWR('i', 131, struct lifreq)}: get the ip and arp mux ids. */
    public static final int SIOCGLIFMUXID = IN_OUT | LIFREQ | 'i' << 8 | 131;
    /** {@code _IOW('i', 132, struct lifreq)}: record the ip and arp mux ids. */
    public static final int SIOCSLIFMUXID = IN | LIFREQ | 'i' << 8 | 132;
    /** {@code _IOWR('i', 133, struct lifreq)}: get the interface index. */
    public static final int SIOCGLIFINDEX = IN_OUT | LIFREQ | 'i' << 8 | 133;
    /** {@code _IOWRN('i', 165, 16)}: list logical interfaces into a {@code struct lifconf} ({@link #LIFCONF_SIZE}). */
    public static final int SIOCGLIFCONF = IN_OUT | (16 & Ioccom.IOCPARM_MASK) << 16 | 'i' << 8 | 165;
    /** sizeof (struct lifconf) on amd64: {@code sa_family_t lifc_family @0; int lifc_flags @4; int lifc_len @8;
     * caddr_t lifc_buf @16}. */
    public static final int LIFCONF_SIZE = 24;
    /** {@code _IOW('s', 54, int)}: select the unit (ppa) of the driver below the ip module. */
    public static final int IF_UNITSEL = IN | (4 & Ioccom.IOCPARM_MASK) << 16 | 's' << 8 | 54;

    private Sockio() {
    }
}
