// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

/**
 * rtnetlink constants and structure sizes: {@code <linux/netlink.h>}, {@code <linux/rtnetlink.h>},
 * {@code <linux/if_link.h>}, {@code <linux/if_addr.h>}.
 */
public final class Rtnl {
    private Rtnl() {
    }

    public static final int NETLINK_ROUTE = 0;

    public static final short NLMSG_ERROR = 2;
    public static final short NLMSG_DONE = 3;
    public static final short RTM_NEWLINK = 16;
    public static final short RTM_DELLINK = 17;
    public static final short RTM_GETLINK = 18;
    public static final short RTM_SETLINK = 19;
    public static final short RTM_NEWADDR = 20;
    public static final short RTM_DELADDR = 21;
    public static final short RTM_GETADDR = 22;
    public static final short RTM_NEWROUTE = 24;
    public static final short RTM_DELROUTE = 25;
    public static final short RTM_GETROUTE = 26;

    public static final short NLM_F_REQUEST = 0x1;
    public static final short NLM_F_MULTI = 0x2;
    public static final short NLM_F_ACK = 0x4;
    public static final short NLM_F_DUMP = 0x300;
    public static final short NLM_F_EXCL = 0x200;
    public static final short NLM_F_CREATE = 0x400;

    /** {@code sizeof(struct nlmsghdr)}: u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
    public static final int NLMSGHDR_SIZE = 16;
    /** {@code sizeof(struct ifinfomsg)}: u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change. */
    public static final int IFINFOMSG_SIZE = 16;
    /** {@code sizeof(struct ifaddrmsg)}: u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index. */
    public static final int IFADDRMSG_SIZE = 8;
    /**
     * {@code sizeof(struct rtmsg)}: u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags.
     */
    public static final int RTMSG_SIZE = 12;
    /** {@code sizeof(struct sockaddr_nl)}: u16 family, u16 pad, u32 pid, u32 groups. */
    public static final int SOCKADDR_NL_SIZE = 12;
    /** {@code sizeof(struct rtattr)}: u16 len, u16 type. */
    public static final int RTATTR_SIZE = 4;
    /** Attribute type bit marking nested attributes; masked off when reading types. */
    public static final int NLA_F_NESTED = 0x8000;

    public static final short IFLA_ADDRESS = 1;
    public static final short IFLA_IFNAME = 3;
    public static final short IFLA_MTU = 4;
    public static final short IFLA_TXQLEN = 13;
    public static final short IFLA_LINKINFO = 18;
    public static final short IFLA_INFO_KIND = 1;
    public static final short IFLA_INFO_DATA = 2;
    public static final short IFLA_TUN_OWNER = 1;
    public static final short IFLA_TUN_GROUP = 2;
    public static final short IFLA_TUN_TYPE = 3;
    /**
     * 1 if the device was made without IFF_NO_PI (each packet behind a 4-byte {@code struct tun_pi}): enum
     * {@code IFLA_TUN_*} of include/uapi/linux/if_link.h, filled by tun_fill_info in drivers/net/tun.c as
     * {@code !(tun->flags & IFF_NO_PI)}.
     */
    public static final short IFLA_TUN_PI = 4;
    public static final short IFLA_TUN_VNET_HDR = 5;
    public static final short IFLA_TUN_PERSIST = 6;
    public static final short IFLA_TUN_MULTI_QUEUE = 7;

    public static final short IFA_ADDRESS = 1;
    public static final short IFA_LOCAL = 2;
    /**
     * {@code ifa_flags} of an IPv6 address: no duplicate address detection (include/uapi/linux/if_addr.h). In
     * net/ipv6/addrconf.c ipv6_add_addr, an address without it starts {@code IFA_F_TENTATIVE}, and the delayed
     * addrconf_dad_work clears that later, even on a {@code IFF_NOARP} tun where no probe is sent: until then a
     * socket cannot bind to it ({@code EADDRNOTAVAIL}).
     */
    public static final byte IFA_F_NODAD = 0x02;

    /** {@code ifi_flags}: administratively up. */
    public static final int IFF_UP = 0x1;
    /** {@code ifi_flags}: the carrier is on (the driver reports the link running). */
    public static final int IFF_LOWER_UP = 0x10000;

    // Routes: <linux/rtnetlink.h>.
    public static final short RTA_DST = 1;
    public static final short RTA_OIF = 4;
    public static final short RTA_GATEWAY = 5;
    public static final short RTA_PRIORITY = 6;
    public static final short RTA_TABLE = 15;
    public static final int RT_TABLE_MAIN = 254;
    /** Route origin "static": added by an administrator or a program, as opposed to the kernel (2). */
    public static final int RTPROT_STATIC = 4;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    /** For a deletion: match routes of any scope, as iproute2 does. */
    public static final int RT_SCOPE_NOWHERE = 255;
    public static final int RTN_UNICAST = 1;
    /** {@code rtm_type}: an address of this host, delivered locally (enum in include/uapi/linux/rtnetlink.h). */
    public static final int RTN_LOCAL = 2;
    /** {@code rtm_flags}: a cached clone of a route, not a route of the table. */
    public static final int RTM_F_CLONED = 0x200;

    // Multicast groups (RTNLGRP_* in <linux/rtnetlink.h>), joined with NETLINK_ADD_MEMBERSHIP.
    public static final int RTNLGRP_LINK = 1;
    public static final int RTNLGRP_IPV4_IFADDR = 5;
    public static final int RTNLGRP_IPV6_IFADDR = 9;
    /** {@code SOL_NETLINK} and its options, {@code <linux/netlink.h>}. */
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
}
