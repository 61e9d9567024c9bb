// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * The MIB-II interface of illumos IP ({@code <inet/mib2.h>}, {@code <sys/tihdr.h>}, {@code <sys/socket.h>}): a
 * {@code T_SVR4_OPTMGMT_REQ} with {@code T_CURRENT} sent down a stream of {@code /dev/arp} with "tcp" and "udp"
 * pushed, as netstat and route do, is answered by one {@code T_OPTMGMT_ACK} per table (its {@code opthdr} names the
 * level, the table and the data length; the data part is the table) and a last {@code T_OPTMGMT_ACK} with
 * {@code T_SUCCESS} and length 0. Offsets are for amd64 (all fields are 32-bit, so the same on every data model).
 */
public final class Mib2 {
    /** The stream to ask. */
    public static final String ARP_DEVICE = "/dev/arp";
    /** {@code T_SVR4_OPTMGMT_REQ}. */
    public static final int T_SVR4_OPTMGMT_REQ = 9;
    /** {@code T_ERROR_ACK}. */
    public static final int T_ERROR_ACK = 18;
    /** {@code T_OPTMGMT_ACK}. */
    public static final int T_OPTMGMT_ACK = 22;
    /** {@code T_SUCCESS}: the last answer. */
    public static final int T_SUCCESS = 0x020;
    /** {@code T_CURRENT}: get the current values. */
    public static final int T_CURRENT = 0x080;
    /** {@code sizeof (struct T_optmgmt_req)} and of {@code T_optmgmt_ack}: four t_scalar_t. */
    public static final int T_OPTMGMT_SIZE = 16;
    /** {@code sizeof (struct opthdr)}: level, name, len (t_uscalar_t each). */
    public static final int OPTHDR_SIZE = 12;
    /** {@code T_error_ack.UNIX_error}. */
    public static final int ERROR_ACK_UNIX_ERROR = 12;

    /** {@code MIB2_IP} (IPPROTO_MAX + 4). */
    public static final int MIB2_IP = 256 + 4;
    /** {@code MIB2_IP6} (IPPROTO_MAX + 12). */
    public static final int MIB2_IP6 = 256 + 12;
    /** {@code MIB2_IP_ROUTE}: a table of {@code mib2_ipRouteEntry_t}. */
    public static final int MIB2_IP_ROUTE = 21;
    /** {@code MIB2_IP6_ROUTE}: a table of {@code mib2_ipv6RouteEntry_t}. */
    public static final int MIB2_IP6_ROUTE = 23;

    /** {@code mib2_ip_t.ipRouteEntrySize} (the 21st field). */
    public static final int IP_ROUTE_ENTRY_SIZE = 80;
    /** {@code mib2_ipv6IfStatsEntry_t.ipv6RouteEntrySize}. */
    public static final int IP6_ROUTE_ENTRY_SIZE = 20;

    /** {@code OCTET_LENGTH}: the room of a {@code DeviceName} ({@code int o_length; char o_bytes[32]}). */
    public static final int OCTET_LENGTH = 32;

    /** {@code sizeof (mib2_ipRouteEntry_t)} when the kernel does not say. */
    public static final int IPV4_ENTRY = 156;
    /** {@code ipRouteDest}. */
    public static final int IPV4_DEST = 0;
    /** {@code ipRouteIfIndex} (DeviceName). */
    public static final int IPV4_IF = 4;
    /** {@code ipRouteNextHop}. */
    public static final int IPV4_NEXT_HOP = 56;
    /** {@code ipRouteMask}. */
    public static final int IPV4_MASK = 72;
    /** {@code ipRouteInfo.re_flags} (RTF_*). */
    public static final int IPV4_FLAGS = 112;
    /**
     * {@code ipRouteInfo.re_ire_type} (IRE_*): after ipRouteMask (72), ipRouteMetric5 (76) and re_max_frag, re_rtt,
     * re_ref, re_frag_flag, re_src_addr (80 to 99) of {@code mib2_ipRouteEntry_t} (illumos-gate
     * 3173664e967186de0a5f0e61548c25996fa6d37f, usr/src/uts/common/inet/mib2.h).
     */
    public static final int IPV4_IRE_TYPE = 100;

    /** {@code sizeof (mib2_ipv6RouteEntry_t)} when the kernel does not say. */
    public static final int IPV6_ENTRY = 152;
    /** {@code ipv6RouteDest}. */
    public static final int IPV6_DEST = 0;
    /** {@code ipv6RoutePfxLength}. */
    public static final int IPV6_PREFIX_LENGTH = 16;
    /** {@code ipv6RouteIfIndex} (DeviceName). */
    public static final int IPV6_IF = 24;
    /** {@code ipv6RouteNextHop}. */
    public static final int IPV6_NEXT_HOP = 60;
    /** {@code ipv6RouteInfo.re_flags} (RTF_*). */
    public static final int IPV6_FLAGS = 148;
    /**
     * {@code ipv6RouteInfo.re_ire_type}: ipv6RouteInfo starts at 104, after ipv6RouteWeight; re_max_frag, re_rtt,
     * re_ref, re_frag_flag (16 bytes) and the 16-byte re_src_addr come first (mib2.h, as above).
     */
    public static final int IPV6_IRE_TYPE = 136;

    /** {@code IRE_DEFAULT}: a default route (illumos-gate usr/src/uts/common/inet/ip.h, "Router entry types"). */
    public static final int IRE_DEFAULT = 0x0002;
    /** {@code IRE_INTERFACE}: {@code IRE_IF_NORESOLVER (0x40) | IRE_IF_RESOLVER (0x80)}, an interface's prefix. */
    public static final int IRE_INTERFACE = 0x0040 | 0x0080;

    private Mib2() {
    }
}
