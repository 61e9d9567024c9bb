/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_state.h - per-adapter configuration and link state shared by the IOCTL
 * decoder (writer) and the data path (reader).
 *
 * Plain data, no locking: the glue updates it under the adapter lock and
 * gives the data path a consistent snapshot (see glue/tt_adapter.h).
 */
#ifndef TT_STATE_H
#define TT_STATE_H

#include "tt_types.h"

#include "tt_dhcp.h"

typedef enum tt_mode {
    TT_MODE_TAP = 0, /* layer 2: whole Ethernet frames to and from user space */
    TT_MODE_TUN = 1  /* layer 3: bare IPv4/IPv6 packets; ARP and ND answered  */
} tt_mode;

/* Registry "MediaStatus" (INF parameter): who decides the link state. */
typedef enum tt_media_policy {
    TT_MEDIA_APPLICATION_CONTROLLED = 0, /* down until SET_MEDIA_STATUS(1) */
    TT_MEDIA_ALWAYS_CONNECTED = 1
} tt_media_policy;

/* TUN addressing; host byte order. */
typedef struct tt_tun_config {
    uint32_t local_ip;       /* the host's address on this adapter          */
    uint32_t remote_network; /* remote_network & ~remote_netmask == 0       */
    uint32_t remote_netmask;
} tt_tun_config;

typedef struct tt_dhcp_state {
    bool enabled;
    uint32_t client_ip;
    uint32_t netmask;
    uint32_t server_ip;
    uint32_t lease_seconds;
    uint8_t user_options[TT_DHCP_USER_OPTIONS_MAX];
    uint32_t user_options_length;
} tt_dhcp_state;

typedef struct tt_state {
    uint8_t mac[6];              /* adapter address                         */
    uint8_t peer_mac[6];         /* pretend peer (TUN mode)                 */
    uint8_t dhcp_server_mac[6];  /* pretend DHCP server                     */
    uint32_t mtu;                /* TT_MTU_MIN..TT_MTU_MAX                  */
    tt_mode mode;
    tt_tun_config tun;           /* meaningful in TT_MODE_TUN               */
    tt_dhcp_state dhcp;
    tt_media_policy media_policy;
    bool media_requested;        /* last SET_MEDIA_STATUS value             */
    uint32_t priority_behavior;  /* TUNTAP_TAP_PRIORITY_*                   */
    bool debug_build;            /* reported by GET_VERSION                 */
} tt_state;

/*
 * Initialises *st for a new adapter: TAP mode, no DHCP, media as the policy
 * says. mac is the adapter address (from tt_mac_from_guid or the registry);
 * the peer and DHCP server addresses are derived from it. mtu is clamped to
 * TT_MTU_MIN..TT_MTU_MAX.
 */
void tt_state_init(tt_state *st, const uint8_t mac[6], uint32_t mtu,
                   tt_media_policy policy, bool debug_build);

/* Whether NDIS should report the media as connected. */
bool tt_state_media_connected(const tt_state *st);

/*
 * Forgets what the last user-space handle configured (TUN mode, DHCP,
 * requested media state, priority) when its handle is closed, so the next
 * opener starts from a clean adapter. Returns true if the reported media
 * state changed (the glue must then indicate a link-state change).
 */
bool tt_state_reset_on_close(tt_state *st);

/* The DHCP server configuration view of st (borrows st's option bytes). */
tt_dhcp_server_config tt_state_dhcp_config(const tt_state *st);

/* True if ip is inside the TUN mode remote network. */
bool tt_state_in_remote_network(const tt_state *st, uint32_t ip);

#endif /* TT_STATE_H */
