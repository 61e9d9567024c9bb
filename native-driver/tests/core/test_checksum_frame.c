/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "../../core/tt_checksum.h"
#include "../../core/tt_frame.h"
#include "../support/harness.h"
#include "suites.h"

/* RFC 1071 section 3 worked example: the words 0001 f203 f4f5 f6f7 sum to
 * ddf2 (one's complement), so the checksum is 220d. */
static void rfc1071_example(void)
{
    const uint8_t data[] = {0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7};
    CHECK_EQ(tt_csum_finish(tt_csum_add(0, data, sizeof(data))), 0x220D);
}

static void odd_length_pads_with_zero(void)
{
    const uint8_t odd[] = {0x12, 0x34, 0x56};
    const uint8_t even[] = {0x12, 0x34, 0x56, 0x00};
    CHECK_EQ(tt_csum_finish(tt_csum_add(0, odd, 3)), tt_csum_finish(tt_csum_add(0, even, 4)));
}

static void chained_sums_equal_one_pass(void)
{
    uint8_t data[1000];
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 7 + 3);
    }
    uint32_t chained = tt_csum_add(tt_csum_add(0, data, 400), data + 400, 600);
    CHECK_EQ(tt_csum_finish(chained), tt_csum_finish(tt_csum_add(0, data, 1000)));
}

/* A widely published IPv4 header: 192.168.0.1 -> 192.168.0.199, UDP,
 * total length 0x73, whose checksum is 0xb861. */
static void ipv4_header_known_vector(void)
{
    uint8_t h[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                     0x00, 0x00, 0xC0, 0xA8, 0x00, 0x01, 0xC0, 0xA8, 0x00, 0xC7};
    CHECK_EQ(tt_ipv4_header_checksum(h, 20), 0xB861);
    h[10] = 0xB8;
    h[11] = 0x61;
    CHECK_EQ(tt_ipv4_header_checksum(h, 20), 0);
}

static void all_ones_data_does_not_overflow(void)
{
    uint8_t data[4096];
    memset(data, 0xFF, sizeof(data));
    CHECK_EQ(tt_csum_finish(tt_csum_add(0, data, sizeof(data))), 0);
}

void suite_checksum(void)
{
    RUN(rfc1071_example);
    RUN(odd_length_pads_with_zero);
    RUN(chained_sums_equal_one_pass);
    RUN(ipv4_header_known_vector);
    RUN(all_ones_data_does_not_overflow);
}

static void frame_too_short_is_malformed(void)
{
    uint8_t f[13] = {0};
    tt_frame_info info;
    CHECK_EQ(tt_frame_classify(f, sizeof(f), &info), TT_E_MALFORMED);
    CHECK_EQ(tt_frame_classify(NULL, 0, &info), TT_E_MALFORMED);
}

static void frame_kinds_by_ethertype(void)
{
    uint8_t f[64] = {0};
    tt_frame_info info;
    const struct { uint16_t type; tt_frame_kind kind; } cases[] = {
        {0x0806, TT_FRAME_ARP}, {0x0800, TT_FRAME_IPV4}, {0x86DD, TT_FRAME_IPV6},
        {0x88CC, TT_FRAME_OTHER}, {0x0040, TT_FRAME_OTHER} /* 802.3 length */,
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        f[12] = (uint8_t)(cases[i].type >> 8);
        f[13] = (uint8_t)cases[i].type;
        CHECK_EQ(tt_frame_classify(f, sizeof(f), &info), TT_OK);
        CHECK_EQ(info.kind, cases[i].kind);
        CHECK_EQ(info.payload_offset, 14);
        CHECK_EQ(info.payload_length, 50);
    }
}

static void frame_vlan_tag(void)
{
    uint8_t f[18] = {0};
    f[12] = 0x81;
    f[13] = 0x00;
    f[16] = 0x08;
    f[17] = 0x00;
    tt_frame_info info;
    CHECK_EQ(tt_frame_classify(f, 17, &info), TT_E_MALFORMED);
    CHECK_EQ(tt_frame_classify(f, 18, &info), TT_OK);
    CHECK_EQ(info.kind, TT_FRAME_VLAN);
    CHECK_EQ(info.inner_ethertype, 0x0800);
    CHECK_EQ(info.payload_offset, 18);
    CHECK_EQ(info.payload_length, 0);
}

static void frame_destination_classes(void)
{
    uint8_t f[14] = {0};
    tt_frame_info info;
    memset(f, 0xFF, 6);
    CHECK_EQ(tt_frame_classify(f, 14, &info), TT_OK);
    CHECK_EQ(info.dest, TT_DEST_BROADCAST);
    f[0] = 0x33;
    CHECK_EQ(tt_frame_classify(f, 14, &info), TT_OK);
    CHECK_EQ(info.dest, TT_DEST_MULTICAST);
    f[0] = 0x02;
    CHECK_EQ(tt_frame_classify(f, 14, &info), TT_OK);
    CHECK_EQ(info.dest, TT_DEST_UNICAST);
}

void suite_frame(void)
{
    RUN(frame_too_short_is_malformed);
    RUN(frame_kinds_by_ethertype);
    RUN(frame_vlan_tag);
    RUN(frame_destination_classes);
}
