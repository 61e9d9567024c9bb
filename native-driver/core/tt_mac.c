/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_mac.h"

#include <stddef.h>

#include "tt_ether.h"

/* FNV-1a, 64-bit (draft-eastlake-fnv): simple, well-distributed, no tables. */
static uint64_t fnv1a64(const uint8_t *data, size_t len, uint64_t hash)
{
    for (size_t i = 0; i < len; i++) {
        hash ^= data[i];
        hash *= 0x100000001B3ull;
    }
    return hash;
}

#define FNV64_OFFSET_BASIS 0xCBF29CE484222325ull

static void mac_from_hash(uint64_t h, tt_mac_role role, uint8_t mac[6])
{
    /* Octet 0: bits 7..4 from the hash, bits 3..2 the role, bit 1 local,
     * bit 0 clear (unicast). */
    mac[0] = (uint8_t)(((h >> 40) & 0xF0u) | ((unsigned)role << 2) | 0x02u);
    mac[1] = (uint8_t)(h >> 32);
    mac[2] = (uint8_t)(h >> 24);
    mac[3] = (uint8_t)(h >> 16);
    mac[4] = (uint8_t)(h >> 8);
    mac[5] = (uint8_t)h;
}

void tt_mac_from_guid(const uint8_t guid[16], tt_mac_role role, uint8_t mac[6])
{
    mac_from_hash(fnv1a64(guid, 16, FNV64_OFFSET_BASIS), role, mac);
}

void tt_mac_for_role(const uint8_t adapter_mac[6], tt_mac_role role, uint8_t mac[6])
{
    if (role == TT_MAC_ROLE_ADAPTER) {
        for (int i = 0; i < 6; i++) {
            mac[i] = adapter_mac[i];
        }
        return;
    }
    uint64_t h = fnv1a64(adapter_mac, 6, FNV64_OFFSET_BASIS);
    mac_from_hash(h, role, mac);
    /* The administrator's address may carry any role bits; make sure the
     * derived address can never equal it. */
    if (mac[0] == adapter_mac[0] && mac[1] == adapter_mac[1] && mac[2] == adapter_mac[2] &&
        mac[3] == adapter_mac[3] && mac[4] == adapter_mac[4] && mac[5] == adapter_mac[5]) {
        mac[5] ^= 0x01u;
    }
}

bool tt_mac_is_assignable(const uint8_t mac[6])
{
    bool all_zero = (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0;
    return !all_zero && !tt_mac_is_multicast(mac) && tt_mac_is_local(mac);
}
