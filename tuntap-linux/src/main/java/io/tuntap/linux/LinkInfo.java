// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

/**
 * What rtnetlink reports about one interface ({@code RTM_NEWLINK}), as far as this backend needs it.
 *
 * @param index the interface index
 * @param name the interface name
 * @param flags {@code ifi_flags} (IFF_UP, IFF_RUNNING, ...)
 * @param mtu the MTU
 * @param mac the link-layer address, or null if the interface has none (TUN)
 * @param kind the {@code IFLA_INFO_KIND}, such as {@code "tun"} (used for TAP too), or null
 * @param tunType for kind "tun": {@code IFF_TUN} (1) or {@code IFF_TAP} (2), else 0
 * @param multiQueue for kind "tun": whether it was made with IFF_MULTI_QUEUE
 * @param persistent for kind "tun": whether it outlives its fds
 * @param owner for kind "tun": the owner uid, or -1 if none
 * @param group for kind "tun": the group gid, or -1 if none
 * @param vnetHdr for kind "tun": whether its last TUNSETIFF set IFF_VNET_HDR (Linux 4.15+ reports it)
 * @param packetInfo for kind "tun": whether it was made without IFF_NO_PI, its packets behind a 4-byte
 *     {@code struct tun_pi} (Linux 4.15+ reports it)
 */
record LinkInfo(int index, String name, int flags, int mtu, byte[] mac, String kind, int tunType,
        boolean multiQueue, boolean persistent, long owner, long group, boolean vnetHdr,
        boolean packetInfo) {

    /** True for a TUN or TAP device. */
    boolean isTun() {
        return "tun".equals(kind);
    }
}
