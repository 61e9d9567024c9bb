/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_ipv4.h"

#include "tt_bytes.h"
#include "tt_checksum.h"

tt_status tt_ipv4_parse(const uint8_t *pkt, size_t len, tt_ipv4_view *view)
{
    if (pkt == NULL || view == NULL || len < TT_IPV4_MIN_HEADER_LEN) {
        return TT_E_MALFORMED;
    }
    if ((pkt[0] >> 4) != 4) {
        return TT_E_MALFORMED;
    }
    size_t ihl = (size_t)(pkt[0] & 0x0Fu) * 4u;
    size_t total = tt_get_be16(pkt + 2);
    if (ihl < TT_IPV4_MIN_HEADER_LEN || total < ihl || total > len) {
        return TT_E_MALFORMED;
    }
    /* RFC 1122 3.2.1.2: a host MUST verify the header checksum and silently
     * discard a datagram whose checksum is bad. */
    if (tt_ipv4_header_checksum(pkt, ihl) != 0) {
        return TT_E_MALFORMED;
    }
    uint16_t frag = tt_get_be16(pkt + 6);
    view->header = pkt;
    view->header_length = ihl;
    view->total_length = total;
    view->ttl = pkt[8];
    view->protocol = pkt[9];
    view->src = tt_get_be32(pkt + 12);
    view->dst = tt_get_be32(pkt + 16);
    view->is_fragment = (frag & 0x2000u) != 0 || (frag & 0x1FFFu) != 0;
    view->payload = pkt + ihl;
    view->payload_length = total - ihl;
    return TT_OK;
}

tt_status tt_udp_parse(const tt_ipv4_view *ip, tt_udp_view *udp)
{
    if (ip == NULL || udp == NULL || ip->protocol != TT_IPV4_PROTO_UDP ||
        ip->is_fragment || ip->payload_length < TT_UDP_HEADER_LEN) {
        return TT_E_MALFORMED;
    }
    const uint8_t *u = ip->payload;
    size_t udp_len = tt_get_be16(u + 4);
    if (udp_len < TT_UDP_HEADER_LEN || udp_len > ip->payload_length) {
        return TT_E_MALFORMED;
    }
    uint16_t checksum = tt_get_be16(u + 6);
    if (checksum != 0) {
        uint32_t sum = tt_csum_ipv4_pseudo(ip->src, ip->dst, TT_IPV4_PROTO_UDP,
                                           (uint16_t)udp_len);
        if (tt_csum_finish(tt_csum_add(sum, u, udp_len)) != 0) {
            return TT_E_MALFORMED;
        }
    }
    udp->src_port = tt_get_be16(u);
    udp->dst_port = tt_get_be16(u + 2);
    udp->checksum = checksum;
    udp->payload = u + TT_UDP_HEADER_LEN;
    udp->payload_length = udp_len - TT_UDP_HEADER_LEN;
    return TT_OK;
}

void tt_ipv4_write_header(uint8_t *out, uint8_t protocol, uint8_t ttl,
                          uint32_t src, uint32_t dst, size_t payload_len)
{
    out[0] = 0x45; /* version 4, IHL 5 */
    out[1] = 0;    /* DSCP/ECN */
    tt_put_be16(out + 2, (uint16_t)(TT_IPV4_MIN_HEADER_LEN + payload_len));
    tt_put_be16(out + 4, 0); /* identification: unfragmentable size */
    tt_put_be16(out + 6, 0);
    out[8] = ttl;
    out[9] = protocol;
    tt_put_be16(out + 10, 0);
    tt_put_be32(out + 12, src);
    tt_put_be32(out + 16, dst);
    tt_put_be16(out + 10, tt_ipv4_header_checksum(out, TT_IPV4_MIN_HEADER_LEN));
}

void tt_udp_write_header(uint8_t *udp, uint32_t src_ip, uint32_t dst_ip,
                         uint16_t src_port, uint16_t dst_port, size_t payload_len)
{
    uint16_t udp_len = (uint16_t)(TT_UDP_HEADER_LEN + payload_len);
    tt_put_be16(udp, src_port);
    tt_put_be16(udp + 2, dst_port);
    tt_put_be16(udp + 4, udp_len);
    tt_put_be16(udp + 6, 0);
    uint32_t sum = tt_csum_ipv4_pseudo(src_ip, dst_ip, TT_IPV4_PROTO_UDP, udp_len);
    uint16_t checksum = tt_csum_finish(tt_csum_add(sum, udp, udp_len));
    /* RFC 768: a computed checksum of zero is transmitted as all ones. */
    tt_put_be16(udp + 6, checksum == 0 ? 0xFFFFu : checksum);
}
