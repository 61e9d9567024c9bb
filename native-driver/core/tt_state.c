/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_state.h"

#include "../abi/tuntap_tap_ioctl.h"
#include "tt_bytes.h"
#include "tt_ether.h"
#include "tt_mac.h"

void tt_state_init(tt_state *st, const uint8_t mac[6], uint32_t mtu,
                   tt_media_policy policy, bool debug_build)
{
    tt_fill(st, 0, sizeof(*st));
    tt_copy(st->mac, mac, 6);
    tt_mac_for_role(mac, TT_MAC_ROLE_PEER, st->peer_mac);
    tt_mac_for_role(mac, TT_MAC_ROLE_DHCP_SERVER, st->dhcp_server_mac);
    if (mtu < TT_MTU_MIN) {
        mtu = TT_MTU_MIN;
    } else if (mtu > TT_MTU_MAX) {
        mtu = TT_MTU_MAX;
    }
    st->mtu = mtu;
    st->mode = TT_MODE_TAP;
    st->media_policy = policy;
    st->media_requested = false;
    st->priority_behavior = TUNTAP_TAP_PRIORITY_NOPRIORITY;
    st->debug_build = debug_build;
}

bool tt_state_media_connected(const tt_state *st)
{
    return st->media_policy == TT_MEDIA_ALWAYS_CONNECTED || st->media_requested;
}

bool tt_state_reset_on_close(tt_state *st)
{
    bool before = tt_state_media_connected(st);
    st->mode = TT_MODE_TAP;
    tt_fill(&st->tun, 0, sizeof(st->tun));
    tt_fill(&st->dhcp, 0, sizeof(st->dhcp));
    st->media_requested = false;
    st->priority_behavior = TUNTAP_TAP_PRIORITY_NOPRIORITY;
    return before != tt_state_media_connected(st);
}

tt_dhcp_server_config tt_state_dhcp_config(const tt_state *st)
{
    tt_dhcp_server_config cfg;
    cfg.client_ip = st->dhcp.client_ip;
    cfg.netmask = st->dhcp.netmask;
    cfg.server_ip = st->dhcp.server_ip;
    cfg.lease_seconds = st->dhcp.lease_seconds;
    tt_copy(cfg.server_mac, st->dhcp_server_mac, 6);
    cfg.user_options = st->dhcp.user_options;
    cfg.user_options_length = st->dhcp.user_options_length;
    return cfg;
}

bool tt_state_in_remote_network(const tt_state *st, uint32_t ip)
{
    return (ip & st->tun.remote_netmask) == st->tun.remote_network;
}
