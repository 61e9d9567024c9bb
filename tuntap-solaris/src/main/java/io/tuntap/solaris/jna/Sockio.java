// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

import static io.tuntap.solaris.jna.Ioccom.iow;
import static io.tuntap.solaris.jna.Ioccom.iowr;

/**
 * The interface ioctls of illumos {@code <sys/sockio.h>} that the backend sends, made from their definitions.
 * All take a {@code struct lifreq} ({@link Lifreq}), except {@link #IF_UNITSEL}, which takes an {@code int}.
 * Sent on an {@code AF_INET} or {@code AF_INET6} socket (here the {@code /dev/udp} and {@code /dev/udp6} streams
 * the interface is linked under), they act on the IPv4 or the IPv6 interface of that name.
 */
public final class Sockio {
    /** {@code _IOW('i', 110, struct lifreq)}: delete a logical interface. */
    public static final int SIOCLIFREMOVEIF = iow('i', 110, Lifreq.SIZE);
    /** {@code _IOWR('i', 111, struct lifreq)}: create a logical interface. */
    public static final int SIOCLIFADDIF = iowr('i', 111, Lifreq.SIZE);
    /** {@code _IOW('i', 112, struct lifreq)}: set the address. */
    public static final int SIOCSLIFADDR = iow('i', 112, Lifreq.SIZE);
    /** {@code _IOWR('i', 113, struct lifreq)}: get the address. */
    public static final int SIOCGLIFADDR = iowr('i', 113, Lifreq.SIZE);
    /** {@code _IOW('i', 114, struct lifreq)}: set the point-to-point destination. */
    public static final int SIOCSLIFDSTADDR = iow('i', 114, Lifreq.SIZE);
    /** {@code _IOWR('i', 115, struct lifreq)}: get the point-to-point destination. */
    public static final int SIOCGLIFDSTADDR = iowr('i', 115, Lifreq.SIZE);
    /** {@code _IOW('i', 116, struct lifreq)}: set the flags. */
    public static final int SIOCSLIFFLAGS = iow('i', 116, Lifreq.SIZE);
    /** {@code _IOWR('i', 117, struct lifreq)}: get the flags. */
    public static final int SIOCGLIFFLAGS = iowr('i', 117, Lifreq.SIZE);
    /** {@code _IOW('i', 121, struct lifreq)}: set the MTU. */
    public static final int SIOCSLIFMTU = iow('i', 121, Lifreq.SIZE);
    /** {@code _IOWR('i', 122, struct lifreq)}: get the MTU. */
    public static final int SIOCGLIFMTU = iowr('i', 122, Lifreq.SIZE);
    /** {@code _IOWR('i', 125, struct lifreq)}: get the netmask. */
    public static final int SIOCGLIFNETMASK = iowr('i', 125, Lifreq.SIZE);
    /** {@code _IOW('i', 126, struct lifreq)}: set the netmask. */
    public static final int SIOCSLIFNETMASK = iow('i', 126, Lifreq.SIZE);
    /** {@code _IOWR('i', 129, struct lifreq)}: name the IP stream's interface (with its ppa and IFF_IPV4/6). */
    public static final int SIOCSLIFNAME = iowr('i', 129, Lifreq.SIZE);
    /** {@code _IOWR('i', 131, struct lifreq)}: get the ip and arp mux ids. */
    public static final int SIOCGLIFMUXID = iowr('i', 131, Lifreq.SIZE);
    /** {@code _IOW('i', 132, struct lifreq)}: record the ip and arp mux ids. */
    public static final int SIOCSLIFMUXID = iow('i', 132, Lifreq.SIZE);
    /** {@code _IOWR('i', 133, struct lifreq)}: get the interface index. */
    public static final int SIOCGLIFINDEX = iowr('i', 133, Lifreq.SIZE);
    /** {@code _IOWRN('i', 165, 16)}: list logical interfaces into a {@code struct lifconf} ({@link #LIFCONF_SIZE}). */
    public static final int SIOCGLIFCONF = iowr('i', 165, 16);
    /** sizeof (struct lifconf) on amd64: {@code sa_family_t lifc_family @0; int lifc_flags @4; int lifc_len @8;
     * caddr_t lifc_buf @16}. */
    public static final int LIFCONF_SIZE = 24;
    /** {@code _IOW('s', 54, int)}: select the unit (ppa) of the driver below the ip module. */
    public static final int IF_UNITSEL = iow('s', 54, 4);

    private Sockio() {
    }
}
