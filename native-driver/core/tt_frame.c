/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_frame.h"

#include "tt_bytes.h"
#include "tt_ether.h"

tt_status tt_frame_classify(const uint8_t *frame, size_t len, tt_frame_info *info)
{
    if (frame == NULL || info == NULL || len < TT_ETH_HEADER_LEN) {
        return TT_E_MALFORMED;
    }

    if (tt_mac_is_broadcast(frame)) {
        info->dest = TT_DEST_BROADCAST;
    } else if (tt_mac_is_multicast(frame)) {
        info->dest = TT_DEST_MULTICAST;
    } else {
        info->dest = TT_DEST_UNICAST;
    }

    info->ethertype = tt_get_be16(frame + 12);
    info->inner_ethertype = info->ethertype;
    info->payload_offset = TT_ETH_HEADER_LEN;

    switch (info->ethertype) {
    case TT_ETHERTYPE_ARP:
        info->kind = TT_FRAME_ARP;
        break;
    case TT_ETHERTYPE_IPV4:
        info->kind = TT_FRAME_IPV4;
        break;
    case TT_ETHERTYPE_IPV6:
        info->kind = TT_FRAME_IPV6;
        break;
    case TT_ETHERTYPE_VLAN:
        if (len < TT_ETH_HEADER_LEN + TT_ETH_VLAN_TAG_LEN) {
            return TT_E_MALFORMED;
        }
        info->kind = TT_FRAME_VLAN;
        info->inner_ethertype = tt_get_be16(frame + 16);
        info->payload_offset = TT_ETH_HEADER_LEN + TT_ETH_VLAN_TAG_LEN;
        break;
    default:
        info->kind = TT_FRAME_OTHER;
        break;
    }
    info->payload_length = len - info->payload_offset;
    return TT_OK;
}
