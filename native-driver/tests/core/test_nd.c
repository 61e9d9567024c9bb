/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "../../core/tt_checksum.h"
#include "../../core/tt_ipv6_nd.h"
#include "../support/harness.h"
#include "../support/packets.h"
#include "suites.h"

static const uint8_t host_ll[16] = {0xFE, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02};
static const uint8_t peer_ll[16] = {0xFE, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08};
static const uint8_t unspecified[16] = {0};
static const uint8_t responder[6] = {0x06, 0x01, 0x02, 0x03, 0x04, 0x05};

static tt_status parse_ns(const uint8_t *f, size_t n, tt_ipv6_view *ip, tt_nd_solicitation *ns)
{
    tt_status s = tt_ipv6_parse(f + 14, n - 14, ip);
    return s != TT_OK ? s : tt_nd_parse_solicitation(ip, ns);
}

static void ns_valid_with_source_lladdr(void)
{
    uint8_t f[PK_FRAME_MAX], dst[16];
    pk_solicited_node(dst, peer_ll);
    size_t n = pk_ns(f, host_ll, dst, peer_ll, 1);
    tt_ipv6_view ip;
    tt_nd_solicitation ns;
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_OK);
    CHECK(!ns.source_unspecified);
    CHECK(ns.has_source_lladdr);
    CHECK_MEM(ns.source_lladdr, pk_host_mac, 6);
    CHECK_MEM(ns.target, peer_ll, 16);
}

static void ns_rejected_when_invalid(void)
{
    uint8_t f[PK_FRAME_MAX], dst[16];
    pk_solicited_node(dst, peer_ll);
    size_t n = pk_ns(f, host_ll, dst, peer_ll, 1);
    tt_ipv6_view ip;
    tt_nd_solicitation ns;
    f[14 + 7] = 64; /* hop limit, RFC 4861 7.1.1 */
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_E_MALFORMED);
    f[14 + 7] = 255;
    f[14 + 40 + 2] ^= 0x01; /* checksum */
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_E_MALFORMED);
    f[14 + 40 + 2] ^= 0x01;
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_OK);
    CHECK_EQ(parse_ns(f, n - 1, &ip, &ns), TT_E_MALFORMED); /* payload > buffer */
}

static void ns_option_length_zero_rejected(void)
{
    uint8_t f[PK_FRAME_MAX], dst[16];
    pk_solicited_node(dst, peer_ll);
    size_t n = pk_ns(f, host_ll, dst, peer_ll, 1);
    uint8_t *icmp = f + 14 + 40;
    icmp[25] = 0;
    icmp[2] = icmp[3] = 0;
    uint32_t sum = tt_csum_ipv6_pseudo(host_ll, dst, 32, 58);
    uint16_t c = tt_csum_finish(tt_csum_add(sum, icmp, 32));
    icmp[2] = (uint8_t)(c >> 8);
    icmp[3] = (uint8_t)c;
    tt_ipv6_view ip;
    tt_nd_solicitation ns;
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_E_MALFORMED);
}

static void ns_multicast_target_rejected(void)
{
    uint8_t f[PK_FRAME_MAX], dst[16], target[16];
    memcpy(target, peer_ll, 16);
    target[0] = 0xFF;
    pk_solicited_node(dst, target);
    size_t n = pk_ns(f, host_ll, dst, target, 0);
    tt_ipv6_view ip;
    tt_nd_solicitation ns;
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_E_MALFORMED);
}

static void dad_rules(void)
{
    uint8_t f[PK_FRAME_MAX], dst[16];
    pk_solicited_node(dst, peer_ll);
    tt_ipv6_view ip;
    tt_nd_solicitation ns;
    /* DAD with a source link-layer option is invalid (7.1.1). */
    size_t n = pk_ns(f, unspecified, dst, peer_ll, 1);
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_E_MALFORMED);
    /* DAD to a non-solicited-node address is invalid. */
    n = pk_ns(f, unspecified, host_ll, peer_ll, 0);
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_E_MALFORMED);
    /* A valid DAD parses but is never answered. */
    n = pk_ns(f, unspecified, dst, peer_ll, 0);
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_OK);
    CHECK(ns.source_unspecified);
    uint8_t out[128];
    size_t len = 0;
    CHECK_EQ(tt_nd_build_advertisement(&ip, &ns, f + 6, responder, out, sizeof(out), &len),
             TT_E_INVALID_PARAMETER);
}

static void na_contents_and_checksum(void)
{
    uint8_t f[PK_FRAME_MAX], dst[16];
    pk_solicited_node(dst, peer_ll);
    size_t n = pk_ns(f, host_ll, dst, peer_ll, 0);
    tt_ipv6_view ip;
    tt_nd_solicitation ns;
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_OK);
    uint8_t out[128];
    size_t len = 0;
    CHECK_EQ(tt_nd_build_advertisement(&ip, &ns, f + 6, responder, out, TT_ND_NA_FRAME_LEN - 1,
                                       &len), TT_E_BUFFER_TOO_SMALL);
    CHECK_EQ(tt_nd_build_advertisement(&ip, &ns, f + 6, responder, out, sizeof(out), &len),
             TT_OK);
    CHECK_EQ(len, 86);
    CHECK_MEM(out, pk_host_mac, 6);   /* to the soliciting host */
    CHECK_MEM(out + 6, responder, 6);
    const uint8_t *v6 = out + 14;
    CHECK_EQ(v6[7], 255);
    CHECK_MEM(v6 + 8, peer_ll, 16);   /* from the target */
    CHECK_MEM(v6 + 24, host_ll, 16);  /* to the solicitor */
    const uint8_t *na = v6 + 40;
    CHECK_EQ(na[0], 136);
    CHECK_EQ(na[4], 0x60);            /* S and O, not R */
    CHECK_MEM(na + 8, peer_ll, 16);
    CHECK_EQ(na[24], 2);
    CHECK_EQ(na[25], 1);
    CHECK_MEM(na + 26, responder, 6);
    uint32_t sum = tt_csum_ipv6_pseudo(v6 + 8, v6 + 24, 32, 58);
    CHECK_EQ(tt_csum_finish(tt_csum_add(sum, na, 32)), 0);
}

static void na_uses_source_lladdr_option(void)
{
    uint8_t f[PK_FRAME_MAX], dst[16];
    pk_solicited_node(dst, peer_ll);
    size_t n = pk_ns(f, host_ll, dst, peer_ll, 1);
    memset(f + 6, 0x02, 6); /* Ethernet source differs from the option */
    tt_ipv6_view ip;
    tt_nd_solicitation ns;
    CHECK_EQ(parse_ns(f, n, &ip, &ns), TT_OK);
    uint8_t out[128];
    size_t len = 0;
    CHECK_EQ(tt_nd_build_advertisement(&ip, &ns, f + 6, responder, out, sizeof(out), &len),
             TT_OK);
    CHECK_MEM(out, pk_host_mac, 6);
}

void suite_nd(void)
{
    RUN(ns_valid_with_source_lladdr);
    RUN(ns_rejected_when_invalid);
    RUN(ns_option_length_zero_rejected);
    RUN(ns_multicast_target_rejected);
    RUN(dad_rules);
    RUN(na_contents_and_checksum);
    RUN(na_uses_source_lladdr_option);
}
