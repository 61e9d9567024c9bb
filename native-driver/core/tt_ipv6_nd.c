/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_ipv6_nd.h"

#include "tt_bytes.h"
#include "tt_checksum.h"
#include "tt_ether.h"

#define ND_OPT_SOURCE_LLADDR 1u
#define ND_OPT_TARGET_LLADDR 2u
#define ND_NA_FLAG_SOLICITED 0x40u
#define ND_NA_FLAG_OVERRIDE  0x20u

static bool is_unspecified(const uint8_t a[16])
{
    for (int i = 0; i < 16; i++) {
        if (a[i] != 0) {
            return false;
        }
    }
    return true;
}

/* ff02::1:ffXX:XXXX (RFC 4291 2.7.1). */
static bool is_solicited_node_multicast(const uint8_t a[16])
{
    static const uint8_t prefix[13] = {0xFF, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xFF};
    return tt_equal(a, prefix, sizeof(prefix));
}

tt_status tt_ipv6_parse(const uint8_t *pkt, size_t len, tt_ipv6_view *view)
{
    if (pkt == NULL || view == NULL || len < TT_IPV6_HEADER_LEN || (pkt[0] >> 4) != 6) {
        return TT_E_MALFORMED;
    }
    size_t payload_len = tt_get_be16(pkt + 4);
    if (payload_len > len - TT_IPV6_HEADER_LEN) {
        return TT_E_MALFORMED;
    }
    view->next_header = pkt[6];
    view->hop_limit = pkt[7];
    view->src = pkt + 8;
    view->dst = pkt + 24;
    view->payload = pkt + TT_IPV6_HEADER_LEN;
    view->payload_length = payload_len;
    return TT_OK;
}

tt_status tt_nd_parse_solicitation(const tt_ipv6_view *ip, tt_nd_solicitation *ns)
{
    if (ip == NULL || ns == NULL || ip->next_header != TT_IPV6_NEXT_ICMPV6 ||
        ip->payload_length < TT_ND_NS_MIN_LEN) {
        return TT_E_MALFORMED;
    }
    const uint8_t *icmp = ip->payload;
    size_t icmp_len = ip->payload_length;
    /* Hop Limit 255 proves the packet was not forwarded (RFC 4861 7.1.1). */
    if (icmp[0] != TT_ICMPV6_NS || icmp[1] != 0 || ip->hop_limit != 255) {
        return TT_E_MALFORMED;
    }
    uint32_t sum = tt_csum_ipv6_pseudo(ip->src, ip->dst, (uint32_t)icmp_len,
                                       TT_IPV6_NEXT_ICMPV6);
    if (tt_csum_finish(tt_csum_add(sum, icmp, icmp_len)) != 0) {
        return TT_E_MALFORMED;
    }
    const uint8_t *target = icmp + 8;
    if (target[0] == 0xFF) {
        return TT_E_MALFORMED; /* target must not be multicast */
    }

    ns->target = target;
    ns->source_unspecified = is_unspecified(ip->src);
    ns->has_source_lladdr = false;

    /* Options: type, length in units of 8 octets; length 0 is invalid. */
    size_t off = TT_ND_NS_MIN_LEN;
    while (off < icmp_len) {
        if (icmp_len - off < 2) {
            return TT_E_MALFORMED;
        }
        size_t opt_len = (size_t)icmp[off + 1] * 8u;
        if (opt_len == 0 || opt_len > icmp_len - off) {
            return TT_E_MALFORMED;
        }
        if (icmp[off] == ND_OPT_SOURCE_LLADDR && opt_len == 8) {
            ns->has_source_lladdr = true;
            tt_copy(ns->source_lladdr, icmp + off + 2, 6);
        }
        off += opt_len;
    }

    if (ns->source_unspecified &&
        (!is_solicited_node_multicast(ip->dst) || ns->has_source_lladdr)) {
        return TT_E_MALFORMED;
    }
    return TT_OK;
}

tt_status tt_nd_build_advertisement(const tt_ipv6_view *ip, const tt_nd_solicitation *ns,
                                    const uint8_t requester_mac[6],
                                    const uint8_t responder_mac[6],
                                    uint8_t *out, size_t cap, size_t *out_len)
{
    if (ip == NULL || ns == NULL || requester_mac == NULL || responder_mac == NULL ||
        out == NULL || out_len == NULL || ns->source_unspecified) {
        return TT_E_INVALID_PARAMETER;
    }
    if (cap < TT_ND_NA_FRAME_LEN) {
        return TT_E_BUFFER_TOO_SMALL;
    }

    /* Ethernet header. */
    tt_copy(out, ns->has_source_lladdr ? ns->source_lladdr : requester_mac, 6);
    tt_copy(out + 6, responder_mac, 6);
    tt_put_be16(out + 12, TT_ETHERTYPE_IPV6);

    /* IPv6 header: traffic class and flow label 0. */
    uint8_t *v6 = out + TT_ETH_HEADER_LEN;
    uint8_t src[16];
    uint8_t dst[16];
    tt_copy(src, ns->target, 16);
    tt_copy(dst, ip->src, 16);
    v6[0] = 0x60;
    v6[1] = 0;
    v6[2] = 0;
    v6[3] = 0;
    tt_put_be16(v6 + 4, TT_ND_NA_LEN);
    v6[6] = TT_IPV6_NEXT_ICMPV6;
    v6[7] = 255; /* RFC 4861 7.1.2: receivers drop NAs with another value */
    tt_copy(v6 + 8, src, 16);
    tt_copy(v6 + 24, dst, 16);

    /* NA body (RFC 4861 4.4). Override is set because on this point-to-point
     * link the driver is the only node that can own the address. */
    uint8_t *na = v6 + TT_IPV6_HEADER_LEN;
    na[0] = TT_ICMPV6_NA;
    na[1] = 0;
    tt_put_be16(na + 2, 0);
    na[4] = ND_NA_FLAG_SOLICITED | ND_NA_FLAG_OVERRIDE;
    na[5] = 0;
    na[6] = 0;
    na[7] = 0;
    tt_copy(na + 8, src, 16);
    na[24] = ND_OPT_TARGET_LLADDR;
    na[25] = 1; /* 8 octets */
    tt_copy(na + 26, responder_mac, 6);

    uint32_t sum = tt_csum_ipv6_pseudo(src, dst, TT_ND_NA_LEN, TT_IPV6_NEXT_ICMPV6);
    tt_put_be16(na + 2, tt_csum_finish(tt_csum_add(sum, na, TT_ND_NA_LEN)));
    *out_len = TT_ND_NA_FRAME_LEN;
    return TT_OK;
}
