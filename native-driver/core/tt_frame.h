/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_frame.h - classification of Ethernet frames handed to the adapter.
 *
 * Looks only at the Ethernet header (and an 802.1Q tag's inner EtherType);
 * the protocol parsers (tt_arp, tt_ipv4, tt_ipv6_nd) validate the payload.
 */
#ifndef TT_FRAME_H
#define TT_FRAME_H

#include <stddef.h>
#include "tt_types.h"

#include "tt_status.h"

typedef enum tt_frame_kind {
    TT_FRAME_ARP,
    TT_FRAME_IPV4,
    TT_FRAME_IPV6,
    TT_FRAME_VLAN,  /* 802.1Q-tagged; inner_ethertype says what it carries */
    TT_FRAME_OTHER  /* another EtherType, or an 802.3 length field */
} tt_frame_kind;

typedef enum tt_frame_dest {
    TT_DEST_UNICAST,
    TT_DEST_MULTICAST,
    TT_DEST_BROADCAST
} tt_frame_dest;

typedef struct tt_frame_info {
    tt_frame_kind kind;
    tt_frame_dest dest;
    uint16_t ethertype;       /* outer EtherType or 802.3 length          */
    uint16_t inner_ethertype; /* TT_FRAME_VLAN only, else == ethertype    */
    size_t payload_offset;    /* first byte after the (tagged) header     */
    size_t payload_length;    /* frame length - payload_offset            */
} tt_frame_info;

/*
 * Classifies the len bytes at frame. Returns TT_OK and fills *info, or
 * TT_E_MALFORMED if the frame is shorter than its header (14 bytes, 18 when
 * tagged); *info is then unspecified. Reads at most 18 bytes.
 */
tt_status tt_frame_classify(const uint8_t *frame, size_t len, tt_frame_info *info);

#endif /* TT_FRAME_H */
