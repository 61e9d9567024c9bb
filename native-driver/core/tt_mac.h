/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_mac.h - MAC addresses derived from the adapter's NetCfgInstanceId GUID.
 *
 * Each adapter needs a stable address that survives reboots, is unique
 * among this machine's adapters and cannot clash with a burned-in address.
 * It is derived from the 16 GUID bytes by FNV-1a (64-bit), with the first
 * octet forced to "locally administered, unicast" (IEEE 802-2014 8.2) and
 * two role bits, so the adapter, the pretend TUN peer and the pretend DHCP
 * server always get three distinct addresses.
 */
#ifndef TT_MAC_H
#define TT_MAC_H

#include "tt_types.h"

typedef enum tt_mac_role {
    TT_MAC_ROLE_ADAPTER = 0,     /* the adapter itself (host side)          */
    TT_MAC_ROLE_PEER = 1,        /* the far end in TUN mode (ARP/ND answers) */
    TT_MAC_ROLE_DHCP_SERVER = 2  /* source of DHCP masquerade replies        */
} tt_mac_role;

/* Writes the role's address for the GUID (16 bytes in the in-memory GUID
 * layout, i.e. Data1..Data3 little-endian as Windows stores them) to mac. */
void tt_mac_from_guid(const uint8_t guid[16], tt_mac_role role, uint8_t mac[6]);

/* Role addresses for an adapter whose own MAC was set by the administrator
 * (registry NetworkAddress): same derivation, seeded with that MAC. */
void tt_mac_for_role(const uint8_t adapter_mac[6], tt_mac_role role, uint8_t mac[6]);

/* True if mac may be assigned to the adapter: unicast, locally administered
 * and not all zeros. */
bool tt_mac_is_assignable(const uint8_t mac[6]);

#endif /* TT_MAC_H */
