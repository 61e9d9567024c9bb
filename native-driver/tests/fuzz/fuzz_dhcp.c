/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the DHCP server: the input is used as an Ethernet frame, as a bare
 * BOOTP message and as user options. Every reply must be a valid IPv4/UDP
 * frame within the 576-byte datagram limit.
 */
#include <string.h>

#include "../../core/tt_dhcp.h"
#include "../../core/tt_ipv4.h"
#include "fuzz_common.h"

static void check_reply(const uint8_t *out, size_t len)
{
    FUZZ_ASSERT(len <= TT_DHCP_REPLY_FRAME_MAX);
    if (len == 0) {
        return;
    }
    tt_ipv4_view ip;
    tt_udp_view udp;
    FUZZ_ASSERT(tt_ipv4_parse(out + 14, len - 14, &ip) == TT_OK);
    FUZZ_ASSERT(ip.total_length == len - 14 && ip.total_length <= 576);
    FUZZ_ASSERT(tt_udp_parse(&ip, &udp) == TT_OK);
    FUZZ_ASSERT(udp.src_port == 67 && udp.dst_port == 68);
    tt_dhcp_request back;
    /* A reply is a BOOTREPLY, so the request parser must refuse it. */
    FUZZ_ASSERT(tt_dhcp_parse_request(udp.payload, udp.payload_length, &back) != TT_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t opts[] = {6, 4, 10, 8, 0, 1};
    tt_dhcp_server_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.client_ip = 0x0A080006;
    cfg.netmask = 0xFFFFFFFC;
    cfg.server_ip = 0x0A080005;
    cfg.lease_seconds = 3600;
    cfg.server_mac[0] = 0x0A;
    cfg.user_options = opts;
    cfg.user_options_length = sizeof(opts);
    /* Input that is valid as user options replaces the default ones. */
    if (tt_dhcp_validate_user_options(data, size) == TT_OK) {
        FUZZ_ASSERT(size <= TT_DHCP_USER_OPTIONS_MAX);
        cfg.user_options = data;
        cfg.user_options_length = size;
    }

    uint8_t *out = (uint8_t *)malloc(TT_DHCP_REPLY_FRAME_MAX);
    size_t len = 0;
    tt_status s = tt_dhcp_handle_frame(&cfg, data, size, out, TT_DHCP_REPLY_FRAME_MAX, &len);
    FUZZ_ASSERT(s == TT_OK || (s == TT_E_MALFORMED && len == 0));
    check_reply(out, len);

    tt_dhcp_request req;
    if (tt_dhcp_parse_request(data, size, &req) == TT_OK) {
        FUZZ_ASSERT(req.message_type >= 1 && req.message_type <= 8);
        len = 0;
        FUZZ_ASSERT(tt_dhcp_respond(&cfg, &req, out, TT_DHCP_REPLY_FRAME_MAX, &len) == TT_OK);
        check_reply(out, len);
    }
    free(out);
    return 0;
}
