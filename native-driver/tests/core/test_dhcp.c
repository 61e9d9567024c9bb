/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "../../core/tt_bytes.h"
#include "../../core/tt_dhcp.h"
#include "../../core/tt_ether.h"
#include "../../core/tt_ipv4.h"
#include "../support/harness.h"
#include "../support/packets.h"
#include "suites.h"

#define CLIENT_IP 0x0A080006u /* 10.8.0.6 */
#define SERVER_IP 0x0A080005u /* 10.8.0.5 */
#define NETMASK   0xFFFFFFFCu

static const uint8_t server_mac[6] = {0x0A, 0x01, 0x02, 0x03, 0x04, 0x05};
static const uint8_t user_opts[] = {6, 4, 10, 8, 0, 1, 0, 15, 3, 'l', 'a', 'n'};

static tt_dhcp_server_config config(void)
{
    tt_dhcp_server_config c;
    c.client_ip = CLIENT_IP;
    c.netmask = NETMASK;
    c.server_ip = SERVER_IP;
    c.lease_seconds = 3600;
    memcpy(c.server_mac, server_mac, 6);
    c.user_options = user_opts;
    c.user_options_length = sizeof(user_opts);
    return c;
}

/* A decoded reply: validated through the core's own IPv4/UDP parsers,
 * which verify both checksums. */
typedef struct reply {
    size_t len;
    tt_ipv4_view ip;
    tt_udp_view udp;
    const uint8_t *msg;
    uint8_t type;
} reply;

static const uint8_t *find_option(const reply *r, uint8_t code, size_t *olen)
{
    size_t off = 240;
    while (off < r->udp.payload_length && r->msg[off] != 255) {
        if (r->msg[off] == 0) {
            off++;
            continue;
        }
        if (r->msg[off] == code) {
            *olen = r->msg[off + 1];
            return r->msg + off + 2;
        }
        off += 2u + r->msg[off + 1];
    }
    return NULL;
}

static int answer(const tt_dhcp_server_config *c, const uint8_t *f, size_t n, uint8_t *out,
                  reply *r)
{
    memset(r, 0, sizeof(*r));
    if (tt_dhcp_handle_frame(c, f, n, out, TT_DHCP_REPLY_FRAME_MAX, &r->len) != TT_OK) {
        return -1;
    }
    if (r->len == 0) {
        return 0;
    }
    if (tt_ipv4_parse(out + 14, r->len - 14, &r->ip) != TT_OK ||
        tt_udp_parse(&r->ip, &r->udp) != TT_OK || r->udp.checksum == 0) {
        return -2;
    }
    r->msg = r->udp.payload;
    size_t olen = 0;
    const uint8_t *t = find_option(r, 53, &olen);
    r->type = (t != NULL && olen == 1) ? t[0] : 0;
    return 1;
}

static void discover_gets_offer(void)
{
    tt_dhcp_server_config c = config();
    uint8_t f[PK_FRAME_MAX], out[TT_DHCP_REPLY_FRAME_MAX];
    size_t n = pk_dhcp(f, TT_DHCP_DISCOVER, 0x12345678, 0, 0, 0, 0);
    reply r;
    CHECK_EQ(answer(&c, f, n, out, &r), 1);
    CHECK_EQ(r.type, TT_DHCP_OFFER);
    CHECK_EQ(r.msg[0], 2);
    CHECK_EQ(tt_get_be32(r.msg + 4), 0x12345678);
    CHECK_EQ(tt_get_be32(r.msg + 16), CLIENT_IP);
    CHECK_EQ(tt_get_be32(r.msg + 12), 0);
    CHECK_MEM(r.msg + 28, pk_host_mac, 6);
    CHECK_EQ(r.ip.src, SERVER_IP);
    CHECK_EQ(r.ip.dst, CLIENT_IP); /* unicast: broadcast bit clear */
    CHECK_MEM(out, pk_host_mac, 6);
    CHECK_MEM(out + 6, server_mac, 6);
    CHECK_EQ(r.udp.src_port, 67);
    CHECK_EQ(r.udp.dst_port, 68);
    CHECK(r.udp.payload_length >= TT_BOOTP_MIN_LEN);
    size_t olen;
    const uint8_t *o = find_option(&r, 54, &olen);
    CHECK(o != NULL && olen == 4 && tt_get_be32(o) == SERVER_IP);
    o = find_option(&r, 51, &olen);
    CHECK(o != NULL && olen == 4 && tt_get_be32(o) == 3600);
    o = find_option(&r, 58, &olen);
    CHECK(o != NULL && tt_get_be32(o) == 1800);
    o = find_option(&r, 59, &olen);
    CHECK(o != NULL && tt_get_be32(o) == 3150);
    o = find_option(&r, 1, &olen);
    CHECK(o != NULL && tt_get_be32(o) == NETMASK);
    o = find_option(&r, 6, &olen);
    CHECK(o != NULL && olen == 4 && tt_get_be32(o) == 0x0A080001);
    o = find_option(&r, 15, &olen);
    CHECK(o != NULL && olen == 3 && memcmp(o, "lan", 3) == 0);
}

static void broadcast_flag_broadcasts_reply(void)
{
    tt_dhcp_server_config c = config();
    uint8_t f[PK_FRAME_MAX], out[TT_DHCP_REPLY_FRAME_MAX];
    size_t n = pk_dhcp(f, TT_DHCP_DISCOVER, 1, 0, 0x8000, 0, 0);
    reply r;
    CHECK_EQ(answer(&c, f, n, out, &r), 1);
    CHECK_EQ(r.ip.dst, 0xFFFFFFFFu);
    CHECK(tt_mac_is_broadcast(out));
}

static void selecting_request_acked_or_naked(void)
{
    tt_dhcp_server_config c = config();
    uint8_t f[PK_FRAME_MAX], out[TT_DHCP_REPLY_FRAME_MAX];
    reply r;
    size_t n = pk_dhcp(f, TT_DHCP_REQUEST, 2, 0, 0, CLIENT_IP, SERVER_IP);
    CHECK_EQ(answer(&c, f, n, out, &r), 1);
    CHECK_EQ(r.type, TT_DHCP_ACK);
    CHECK_EQ(tt_get_be32(r.msg + 16), CLIENT_IP);

    n = pk_dhcp(f, TT_DHCP_REQUEST, 3, 0, 0, CLIENT_IP + 1, SERVER_IP);
    CHECK_EQ(answer(&c, f, n, out, &r), 1);
    CHECK_EQ(r.type, TT_DHCP_NAK);
    CHECK_EQ(r.ip.dst, 0xFFFFFFFFu); /* NAKs are broadcast (4.1) */
    CHECK_EQ(tt_get_be32(r.msg + 16), 0);
    size_t olen;
    CHECK(find_option(&r, 51, &olen) == NULL);
    CHECK(find_option(&r, 6, &olen) == NULL);
}

static void request_for_other_server_ignored(void)
{
    tt_dhcp_server_config c = config();
    uint8_t f[PK_FRAME_MAX], out[TT_DHCP_REPLY_FRAME_MAX];
    reply r;
    size_t n = pk_dhcp(f, TT_DHCP_REQUEST, 4, 0, 0, CLIENT_IP, 0x0A0800FE);
    CHECK_EQ(answer(&c, f, n, out, &r), 0);
}

static void init_reboot_and_renew(void)
{
    tt_dhcp_server_config c = config();
    uint8_t f[PK_FRAME_MAX], out[TT_DHCP_REPLY_FRAME_MAX];
    reply r;
    size_t n = pk_dhcp(f, TT_DHCP_REQUEST, 5, 0, 0, CLIENT_IP, 0);
    CHECK_EQ(answer(&c, f, n, out, &r), 1);
    CHECK_EQ(r.type, TT_DHCP_ACK);
    n = pk_dhcp(f, TT_DHCP_REQUEST, 6, 0, 0, 0xC0A80164, 0);
    CHECK_EQ(answer(&c, f, n, out, &r), 1);
    CHECK_EQ(r.type, TT_DHCP_NAK);
    /* RENEWING: ciaddr set, reply unicast to it. */
    n = pk_dhcp(f, TT_DHCP_REQUEST, 7, CLIENT_IP, 0, 0, 0);
    CHECK_EQ(answer(&c, f, n, out, &r), 1);
    CHECK_EQ(r.type, TT_DHCP_ACK);
    CHECK_EQ(r.ip.dst, CLIENT_IP);
    CHECK_EQ(tt_get_be32(r.msg + 12), CLIENT_IP);
}

static void inform_acked_without_lease(void)
{
    tt_dhcp_server_config c = config();
    uint8_t f[PK_FRAME_MAX], out[TT_DHCP_REPLY_FRAME_MAX];
    reply r;
    size_t n = pk_dhcp(f, TT_DHCP_INFORM, 8, CLIENT_IP, 0, 0, 0);
    CHECK_EQ(answer(&c, f, n, out, &r), 1);
    CHECK_EQ(r.type, TT_DHCP_ACK);
    CHECK_EQ(tt_get_be32(r.msg + 16), 0);
    size_t olen;
    CHECK(find_option(&r, 51, &olen) == NULL);
    CHECK(find_option(&r, 1, &olen) != NULL);
}

static void release_decline_and_relayed_unanswered(void)
{
    tt_dhcp_server_config c = config();
    uint8_t f[PK_FRAME_MAX], out[TT_DHCP_REPLY_FRAME_MAX];
    reply r;
    size_t n = pk_dhcp(f, TT_DHCP_RELEASE, 9, CLIENT_IP, 0, 0, SERVER_IP);
    CHECK_EQ(answer(&c, f, n, out, &r), 0);
    n = pk_dhcp(f, TT_DHCP_DECLINE, 9, 0, 0, CLIENT_IP, SERVER_IP);
    CHECK_EQ(answer(&c, f, n, out, &r), 0);
    tt_dhcp_request req;
    n = pk_dhcp(f, TT_DHCP_DISCOVER, 9, 0, 0, 0, 0);
    CHECK_EQ(tt_dhcp_parse_request(f + 42, n - 42, &req), TT_OK);
    req.giaddr = 0x01020304;
    size_t len = 1;
    CHECK_EQ(tt_dhcp_respond(&c, &req, out, sizeof(out), &len), TT_OK);
    CHECK_EQ(len, 0);
}

static void malformed_messages_rejected(void)
{
    uint8_t f[PK_FRAME_MAX];
    tt_dhcp_request req;
    size_t n = pk_dhcp(f, TT_DHCP_DISCOVER, 1, 0, 0, 0, 0);
    uint8_t *msg = f + 42;
    size_t len = n - 42;
    CHECK_EQ(tt_dhcp_parse_request(msg, len, &req), TT_OK);
    CHECK_EQ(tt_dhcp_parse_request(msg, 239, &req), TT_E_MALFORMED);
    msg[236] = 98; /* cookie */
    CHECK_EQ(tt_dhcp_parse_request(msg, len, &req), TT_E_MALFORMED);
    msg[236] = 99;
    msg[0] = 2; /* BOOTREPLY */
    CHECK_EQ(tt_dhcp_parse_request(msg, len, &req), TT_E_MALFORMED);
    msg[0] = 1;
    msg[242] = 9; /* unknown message type */
    CHECK_EQ(tt_dhcp_parse_request(msg, len, &req), TT_E_MALFORMED);
    msg[242] = 1;
    msg[241] = 200; /* option overruns the message */
    CHECK_EQ(tt_dhcp_parse_request(msg, len, &req), TT_E_MALFORMED);
}

static void user_option_validation(void)
{
    const uint8_t ok[] = {0, 6, 4, 1, 1, 1, 1, 0};
    const uint8_t with_end[] = {6, 4, 1, 1, 1, 1, 255};
    const uint8_t owns_type[] = {53, 1, 5};
    const uint8_t overrun[] = {6, 5, 1, 1, 1, 1};
    const uint8_t truncated[] = {6};
    uint8_t too_long[TT_DHCP_USER_OPTIONS_MAX + 1];
    memset(too_long, 0, sizeof(too_long));
    CHECK_EQ(tt_dhcp_validate_user_options(ok, sizeof(ok)), TT_OK);
    CHECK_EQ(tt_dhcp_validate_user_options(NULL, 0), TT_OK);
    CHECK_EQ(tt_dhcp_validate_user_options(with_end, sizeof(with_end)), TT_E_INVALID_PARAMETER);
    CHECK_EQ(tt_dhcp_validate_user_options(owns_type, sizeof(owns_type)), TT_E_INVALID_PARAMETER);
    CHECK_EQ(tt_dhcp_validate_user_options(overrun, sizeof(overrun)), TT_E_INVALID_PARAMETER);
    CHECK_EQ(tt_dhcp_validate_user_options(truncated, 1), TT_E_INVALID_PARAMETER);
    CHECK_EQ(tt_dhcp_validate_user_options(too_long, sizeof(too_long)), TT_E_INVALID_PARAMETER);
    CHECK_EQ(tt_dhcp_validate_user_options(too_long, TT_DHCP_USER_OPTIONS_MAX), TT_OK);
}

/* The largest possible reply still fits the RFC 2131 576-byte datagram. */
static void largest_reply_fits_576(void)
{
    uint8_t opts[TT_DHCP_USER_OPTIONS_MAX];
    for (size_t i = 0; i < sizeof(opts); i += 128) {
        opts[i] = 43; /* vendor specific */
        opts[i + 1] = 126;
        memset(opts + i + 2, 0x5A, 126);
    }
    CHECK_EQ(tt_dhcp_validate_user_options(opts, sizeof(opts)), TT_OK);
    tt_dhcp_server_config c = config();
    c.user_options = opts;
    c.user_options_length = sizeof(opts);
    uint8_t f[PK_FRAME_MAX], out[TT_DHCP_REPLY_FRAME_MAX];
    reply r;
    size_t n = pk_dhcp(f, TT_DHCP_DISCOVER, 1, 0, 0, 0, 0);
    CHECK_EQ(answer(&c, f, n, out, &r), 1);
    CHECK(r.ip.total_length <= 576);
    uint8_t small[TT_DHCP_REPLY_FRAME_MAX - 1];
    size_t len = 0;
    CHECK_EQ(tt_dhcp_handle_frame(&c, f, n, small, sizeof(small), &len), TT_E_BUFFER_TOO_SMALL);
}

static void non_dhcp_frames_not_handled(void)
{
    tt_dhcp_server_config c = config();
    uint8_t f[PK_FRAME_MAX], out[TT_DHCP_REPLY_FRAME_MAX];
    size_t n = pk_ipv4_udp(f, server_mac, 1, 2, 68, 53, (const uint8_t *)"x", 1);
    size_t len = 5;
    CHECK(!tt_dhcp_is_client_frame(f, n));
    CHECK_EQ(tt_dhcp_handle_frame(&c, f, n, out, sizeof(out), &len), TT_E_MALFORMED);
    CHECK_EQ(len, 0);
    n = pk_dhcp(f, TT_DHCP_DISCOVER, 1, 0, 0, 0, 0);
    CHECK(tt_dhcp_is_client_frame(f, n));
}

void suite_dhcp(void)
{
    RUN(discover_gets_offer);
    RUN(broadcast_flag_broadcasts_reply);
    RUN(selecting_request_acked_or_naked);
    RUN(request_for_other_server_ignored);
    RUN(init_reboot_and_renew);
    RUN(inform_acked_without_lease);
    RUN(release_decline_and_relayed_unanswered);
    RUN(malformed_messages_rejected);
    RUN(user_option_validation);
    RUN(largest_reply_fits_576);
    RUN(non_dhcp_frames_not_handled);
}
