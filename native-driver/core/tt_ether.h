/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_ether.h - Ethernet II framing constants and MAC address predicates
 * (IEEE 802.3 clause 3; EtherType values from the IEEE registry).
 */
#ifndef TT_ETHER_H
#define TT_ETHER_H

#include "tt_types.h"

#define TT_ETH_ADDR_LEN       6u
#define TT_ETH_HEADER_LEN     14u   /* destination, source, EtherType */
#define TT_ETH_VLAN_TAG_LEN   4u    /* IEEE 802.1Q tag */
#define TT_ETH_MIN_TYPE       0x0600u /* smaller values are 802.3 lengths */

#define TT_ETHERTYPE_IPV4     0x0800u
#define TT_ETHERTYPE_ARP      0x0806u
#define TT_ETHERTYPE_VLAN     0x8100u
#define TT_ETHERTYPE_IPV6     0x86DDu

/* Largest MTU the driver accepts (and the default): classic Ethernet. */
#define TT_MTU_DEFAULT        1500u
#define TT_MTU_MIN            100u
#define TT_MTU_MAX            1500u

/* Largest frame the driver ever moves: header + 802.1Q tag + MTU. */
#define TT_FRAME_MAX (TT_ETH_HEADER_LEN + TT_ETH_VLAN_TAG_LEN + TT_MTU_MAX)

/* Group bit: first transmitted bit, bit 0 of octet 0 (IEEE 802-2014 8.2). */
static inline bool tt_mac_is_multicast(const uint8_t mac[6])
{
    return (mac[0] & 0x01u) != 0;
}

/* Locally administered bit: bit 1 of octet 0 (IEEE 802-2014 8.2). */
static inline bool tt_mac_is_local(const uint8_t mac[6])
{
    return (mac[0] & 0x02u) != 0;
}

static inline bool tt_mac_is_broadcast(const uint8_t mac[6])
{
    return (mac[0] & mac[1] & mac[2] & mac[3] & mac[4] & mac[5]) == 0xFFu;
}

#endif /* TT_ETHER_H */
