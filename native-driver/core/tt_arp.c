/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_arp.h"

#include "tt_bytes.h"
#include "tt_ether.h"

#define ARP_HTYPE_ETHERNET 1u

tt_status tt_arp_parse(const uint8_t *pkt, size_t len, tt_arp_view *arp)
{
    if (pkt == NULL || arp == NULL || len < TT_ARP_PACKET_LEN) {
        return TT_E_MALFORMED;
    }
    if (tt_get_be16(pkt) != ARP_HTYPE_ETHERNET ||
        tt_get_be16(pkt + 2) != TT_ETHERTYPE_IPV4 || pkt[4] != 6 || pkt[5] != 4) {
        return TT_E_MALFORMED;
    }
    arp->op = tt_get_be16(pkt + 6);
    tt_copy(arp->sender_mac, pkt + 8, 6);
    arp->sender_ip = tt_get_be32(pkt + 14);
    tt_copy(arp->target_mac, pkt + 18, 6);
    arp->target_ip = tt_get_be32(pkt + 24);
    return TT_OK;
}

tt_status tt_arp_build_reply(const tt_arp_view *req, const uint8_t responder_mac[6],
                             uint8_t *out, size_t cap, size_t *out_len)
{
    if (req == NULL || responder_mac == NULL || out == NULL || out_len == NULL) {
        return TT_E_INVALID_PARAMETER;
    }
    if (req->op != TT_ARP_OP_REQUEST) {
        return TT_E_INVALID_PARAMETER;
    }
    if (cap < TT_ARP_FRAME_LEN) {
        return TT_E_BUFFER_TOO_SMALL;
    }
    /* Ethernet header: to the requester, from the answered address. */
    tt_copy(out, req->sender_mac, 6);
    tt_copy(out + 6, responder_mac, 6);
    tt_put_be16(out + 12, TT_ETHERTYPE_ARP);

    uint8_t *a = out + TT_ETH_HEADER_LEN;
    tt_put_be16(a, ARP_HTYPE_ETHERNET);
    tt_put_be16(a + 2, TT_ETHERTYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    tt_put_be16(a + 6, TT_ARP_OP_REPLY);
    tt_copy(a + 8, responder_mac, 6);
    tt_put_be32(a + 14, req->target_ip);
    tt_copy(a + 18, req->sender_mac, 6);
    tt_put_be32(a + 24, req->sender_ip);
    *out_len = TT_ARP_FRAME_LEN;
    return TT_OK;
}
