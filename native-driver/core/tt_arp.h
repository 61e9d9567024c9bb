/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_arp.h - ARP for Ethernet/IPv4 (RFC 826): parsing and replies.
 */
#ifndef TT_ARP_H
#define TT_ARP_H

#include <stddef.h>
#include "tt_types.h"

#include "tt_status.h"

#define TT_ARP_PACKET_LEN 28u  /* Ethernet/IPv4 ARP body (RFC 826 packet format) */
#define TT_ARP_FRAME_LEN  (14u + TT_ARP_PACKET_LEN)
#define TT_ARP_OP_REQUEST 1u
#define TT_ARP_OP_REPLY   2u

typedef struct tt_arp_view {
    uint16_t op;
    uint8_t sender_mac[6];
    uint32_t sender_ip; /* host byte order */
    uint8_t target_mac[6];
    uint32_t target_ip; /* host byte order */
} tt_arp_view;

/*
 * Parses the ARP body at pkt (the Ethernet payload). Accepts only hardware
 * type 1 (Ethernet), protocol type 0x0800, hlen 6, plen 4, as RFC 826 lets a
 * receiver ignore every other pair. Returns TT_OK (fields copied into *arp),
 * or TT_E_MALFORMED.
 */
tt_status tt_arp_parse(const uint8_t *pkt, size_t len, tt_arp_view *arp);

/*
 * Builds a complete Ethernet frame answering the request *req with "target_ip
 * is at responder_mac": RFC 826 "swap the hardware and protocol fields,
 * putting the local hardware and protocol addresses in the sender fields,
 * set the opcode to reply". The frame goes to the requester's MAC.
 * Returns TT_OK with *out_len = TT_ARP_FRAME_LEN, or TT_E_BUFFER_TOO_SMALL
 * (nothing written) when cap < TT_ARP_FRAME_LEN, or TT_E_INVALID_PARAMETER if
 * req is not a request.
 */
tt_status tt_arp_build_reply(const tt_arp_view *req, const uint8_t responder_mac[6],
                             uint8_t *out, size_t cap, size_t *out_len);

#endif /* TT_ARP_H */
