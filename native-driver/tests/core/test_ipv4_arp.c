/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "../../core/tt_arp.h"
#include "../../core/tt_bytes.h"
#include "../../core/tt_checksum.h"
#include "../../core/tt_ipv4.h"
#include "../support/harness.h"
#include "../support/packets.h"
#include "suites.h"

static const uint8_t some_mac[6] = {0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE};

static void ipv4_parses_valid_packet_and_ignores_padding(void)
{
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_ipv4(f, some_mac, 0x0A000001, 0x0A000002, 6, 6);
    memset(f + n, 0xAB, 10); /* Ethernet padding after the datagram */
    tt_ipv4_view v;
    CHECK_EQ(tt_ipv4_parse(f + 14, n - 14 + 10, &v), TT_OK);
    CHECK_EQ(v.total_length, 26);
    CHECK_EQ(v.header_length, 20);
    CHECK_EQ(v.payload_length, 6);
    CHECK_EQ(v.src, 0x0A000001);
    CHECK_EQ(v.dst, 0x0A000002);
    CHECK_EQ(v.protocol, 6);
    CHECK(!v.is_fragment);
}

static void ipv4_rejects_bad_headers(void)
{
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_ipv4(f, some_mac, 1, 2, 6, 10);
    uint8_t *ip = f + 14;
    size_t len = n - 14;
    tt_ipv4_view v;
    CHECK_EQ(tt_ipv4_parse(ip, 19, &v), TT_E_MALFORMED);
    CHECK_EQ(tt_ipv4_parse(ip, len - 1, &v), TT_E_MALFORMED); /* total > len */
    ip[10] ^= 1;
    CHECK_EQ(tt_ipv4_parse(ip, len, &v), TT_E_MALFORMED); /* checksum */
    ip[10] ^= 1;
    ip[0] = 0x44; /* IHL 4 */
    CHECK_EQ(tt_ipv4_parse(ip, len, &v), TT_E_MALFORMED);
    ip[0] = 0x65; /* version 6 */
    CHECK_EQ(tt_ipv4_parse(ip, len, &v), TT_E_MALFORMED);
}

static void ipv4_flags_fragments(void)
{
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_ipv4(f, some_mac, 1, 2, 17, 8);
    uint8_t *ip = f + 14;
    ip[6] = 0x20; /* MF */
    tt_put_be16(ip + 10, 0);
    tt_put_be16(ip + 10, tt_ipv4_header_checksum(ip, 20));
    tt_ipv4_view v;
    CHECK_EQ(tt_ipv4_parse(ip, n - 14, &v), TT_OK);
    CHECK(v.is_fragment);
    tt_udp_view u;
    CHECK_EQ(tt_udp_parse(&v, &u), TT_E_MALFORMED);
}

static void udp_checksum_verified_and_zero_accepted(void)
{
    uint8_t f[PK_FRAME_MAX];
    const uint8_t payload[5] = {1, 2, 3, 4, 5};
    size_t n = pk_ipv4_udp(f, some_mac, 0xC0A80001, 0xC0A80002, 1234, 53, payload, 5);
    tt_ipv4_view v;
    tt_udp_view u;
    CHECK_EQ(tt_ipv4_parse(f + 14, n - 14, &v), TT_OK);
    CHECK_EQ(tt_udp_parse(&v, &u), TT_OK);
    CHECK_EQ(u.src_port, 1234);
    CHECK_EQ(u.dst_port, 53);
    CHECK_EQ(u.payload_length, 5);
    CHECK_MEM(u.payload, payload, 5);
    f[14 + 28] ^= 0xFF; /* corrupt payload */
    CHECK_EQ(tt_udp_parse(&v, &u), TT_E_MALFORMED);
    f[14 + 26] = 0;
    f[14 + 27] = 0; /* checksum "not computed" */
    CHECK_EQ(tt_udp_parse(&v, &u), TT_OK);
}

static void udp_length_must_fit(void)
{
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_ipv4_udp(f, some_mac, 1, 2, 1, 2, NULL, 0);
    tt_ipv4_view v;
    tt_udp_view u;
    CHECK_EQ(tt_ipv4_parse(f + 14, n - 14, &v), TT_OK);
    f[14 + 26] = 0;
    f[14 + 27] = 0;
    tt_put_be16(f + 14 + 24, 9); /* longer than the datagram */
    CHECK_EQ(tt_udp_parse(&v, &u), TT_E_MALFORMED);
    tt_put_be16(f + 14 + 24, 7); /* shorter than a header */
    CHECK_EQ(tt_udp_parse(&v, &u), TT_E_MALFORMED);
}

void suite_ipv4(void)
{
    RUN(ipv4_parses_valid_packet_and_ignores_padding);
    RUN(ipv4_rejects_bad_headers);
    RUN(ipv4_flags_fragments);
    RUN(udp_checksum_verified_and_zero_accepted);
    RUN(udp_length_must_fit);
}

static void arp_parse_request(void)
{
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_arp_request(f, pk_host_mac, 0x0A080002, 0x0A080001);
    tt_arp_view a;
    CHECK_EQ(n, 42);
    CHECK_EQ(tt_arp_parse(f + 14, n - 14, &a), TT_OK);
    CHECK_EQ(a.op, TT_ARP_OP_REQUEST);
    CHECK_EQ(a.sender_ip, 0x0A080002);
    CHECK_EQ(a.target_ip, 0x0A080001);
    CHECK_MEM(a.sender_mac, pk_host_mac, 6);
}

static void arp_rejects_other_hardware_and_short(void)
{
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_arp_request(f, pk_host_mac, 1, 2);
    tt_arp_view a;
    CHECK_EQ(tt_arp_parse(f + 14, n - 15, &a), TT_E_MALFORMED);
    f[15] = 6; /* IEEE 802 hardware type */
    CHECK_EQ(tt_arp_parse(f + 14, n - 14, &a), TT_E_MALFORMED);
    f[15] = 1;
    f[18] = 8; /* hlen */
    CHECK_EQ(tt_arp_parse(f + 14, n - 14, &a), TT_E_MALFORMED);
}

/* The reply, byte for byte, per RFC 826's reply rule. */
static void arp_reply_golden(void)
{
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_arp_request(f, pk_host_mac, 0x0A080002, 0x0A080001);
    tt_arp_view a;
    CHECK_EQ(tt_arp_parse(f + 14, n - 14, &a), TT_OK);
    uint8_t out[64];
    size_t len = 0;
    CHECK_EQ(tt_arp_build_reply(&a, some_mac, out, sizeof(out), &len), TT_OK);
    const uint8_t expected[42] = {
        0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0x08, 0x06,
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
        0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0x0A, 0x08, 0x00, 0x01,
        0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x0A, 0x08, 0x00, 0x02};
    CHECK_EQ(len, 42);
    CHECK_MEM(out, expected, 42);
}

static void arp_reply_needs_room_and_request(void)
{
    tt_arp_view a;
    memset(&a, 0, sizeof(a));
    a.op = TT_ARP_OP_REQUEST;
    uint8_t out[64];
    size_t len = 0;
    CHECK_EQ(tt_arp_build_reply(&a, some_mac, out, 41, &len), TT_E_BUFFER_TOO_SMALL);
    a.op = TT_ARP_OP_REPLY;
    CHECK_EQ(tt_arp_build_reply(&a, some_mac, out, sizeof(out), &len), TT_E_INVALID_PARAMETER);
}

void suite_arp(void)
{
    RUN(arp_parse_request);
    RUN(arp_rejects_other_hardware_and_short);
    RUN(arp_reply_golden);
    RUN(arp_reply_needs_room_and_request);
}
