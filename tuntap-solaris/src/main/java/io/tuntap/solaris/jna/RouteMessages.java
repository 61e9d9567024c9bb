// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * Routing socket messages of illumos {@code <net/route.h>} and {@code <net/if.h>} that the backend reads, amd64
 * layouts (golang.org/x/sys {@code ztypes_solaris_amd64.go}: SizeofIfMsghdr 0x54, SizeofIfaMsghdr 0x14,
 * SizeofRtMsghdr 0x4c). Every message starts with {@code u16 msglen; u8 version; u8 type}.
 */
public final class RouteMessages {
    /** {@code RTM_VERSION}. */
    public static final int RTM_VERSION = 3;
    /** A new address on an interface (ifa_msghdr). */
    public static final int RTM_NEWADDR = 0xc;
    /** An address left an interface (ifa_msghdr). */
    public static final int RTM_DELADDR = 0xd;
    /** An interface's flags or state changed (if_msghdr). */
    public static final int RTM_IFINFO = 0xe;

    /** {@code u16 msglen} of every message. */
    public static final int MSGLEN = 0;
    /** {@code u8 version}. */
    public static final int VERSION = 2;
    /** {@code u8 type}. */
    public static final int TYPE = 3;
    /** {@code int ifm_addrs} / {@code ifam_addrs}: the RTA_* bits of the socket addresses that follow. */
    public static final int ADDRS = 4;
    /** {@code int ifm_flags} / {@code ifam_flags}. */
    public static final int FLAGS = 8;
    /** {@code u16 ifm_index} / {@code ifam_index}. */
    public static final int INDEX = 12;
    /** {@code if_data.ifi_mtu} in an if_msghdr (if_data at 16: u8 type, addrlen, hdrlen, pad, u32 mtu). */
    public static final int IFM_MTU = 20;
    /** sizeof (struct if_msghdr). */
    public static final int IF_MSGHDR_SIZE = 0x54;
    /** sizeof (struct ifa_msghdr): the socket addresses start here. */
    public static final int IFA_MSGHDR_SIZE = 0x14;

    /** Socket address bits, in the order the addresses follow the header. */
    public static final int RTA_DST = 0x1;
    /** Gateway. */
    public static final int RTA_GATEWAY = 0x2;
    /** Netmask. */
    public static final int RTA_NETMASK = 0x4;
    /** Cloning mask. */
    public static final int RTA_GENMASK = 0x8;
    /** The interface's link address (sockaddr_dl). */
    public static final int RTA_IFP = 0x10;
    /** The interface address. */
    public static final int RTA_IFA = 0x20;
    /** Author of a redirect. */
    public static final int RTA_AUTHOR = 0x40;
    /** Broadcast or point-to-point destination address. */
    public static final int RTA_BRD = 0x80;

    /** Adds a route (rt_msghdr). */
    public static final int RTM_ADD = 0x1;
    /** Deletes a route (rt_msghdr). */
    public static final int RTM_DELETE = 0x2;
    /** Reports the route that matches a destination and netmask (rt_msghdr). */
    public static final int RTM_GET = 0x4;

    /** {@code RTF_UP}: the route is usable. */
    public static final int RTF_UP = 0x1;
    /** {@code RTF_GATEWAY}: the destination is reached through a gateway. */
    public static final int RTF_GATEWAY = 0x2;
    /** {@code RTF_STATIC}: added by hand, not by a protocol. */
    public static final int RTF_STATIC = 0x800;

    /** {@code u16 rtm_index} of an rt_msghdr. */
    public static final int RTM_INDEX = 4;
    /** {@code int rtm_flags}. */
    public static final int RTM_FLAGS = 8;
    /** {@code int rtm_addrs}. */
    public static final int RTM_ADDRS = 12;
    /** {@code pid_t rtm_pid}. */
    public static final int RTM_PID = 16;
    /** {@code int rtm_seq}. */
    public static final int RTM_SEQ = 20;
    /** {@code int rtm_errno}. */
    public static final int RTM_ERRNO = 24;
    /** sizeof (struct rt_msghdr): {@code rtm_inits} at 32 and the 40-byte {@code rt_metrics} at 36 end it. */
    public static final int RT_MSGHDR_SIZE = 0x4c;

    /** {@code AF_LINK}, the family of a {@code sockaddr_dl}. */
    public static final int AF_LINK = 25;
    /**
     * sizeof (struct sockaddr_dl) on illumos: u16 family, u16 index, u8 type, nlen, alen, slen, then 244 bytes of
     * name and link address (golang.org/x/sys SizeofSockaddrDatalink 0xfc).
     */
    public static final int SOCKADDR_DL_SIZE = 0xfc;
    /** Offset of {@code sdl_nlen} in a sockaddr_dl. */
    public static final int SDL_NLEN = 5;
    /** Offset of {@code sdl_data} (the name, not NUL-terminated) in a sockaddr_dl. */
    public static final int SDL_DATA = 8;

    /**
     * A socket address's size rounded up to a multiple of {@code sizeof (long)}, as illumos {@code route(8)}
     * writes them. The messages the kernel sends are not rounded: {@code rts_fill_msg} and
     * {@code rts_fill_msg_v6} step by the exact sizes 16, 32 and 252 (the sockaddr_dl of {@code ill_dls_info}).
     * The two agree for sockaddr_in and sockaddr_in6; a kernel message is parsed with the exact sizes.
     *
     * @param size sizeof the socket address (16 for sockaddr_in, 32 for sockaddr_in6, 252 for sockaddr_dl)
     * @return the size rounded up to 8
     */
    public static int roundUp(int size) {
        return (size + 7) & ~7;
    }

    private RouteMessages() {
    }
}
