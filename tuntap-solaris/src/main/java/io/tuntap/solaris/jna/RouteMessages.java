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

    private RouteMessages() {
    }
}
