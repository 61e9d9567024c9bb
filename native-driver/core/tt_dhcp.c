/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_dhcp.h"

#include "tt_bytes.h"
#include "tt_ether.h"
#include "tt_frame.h"
#include "tt_ipv4.h"

#define BOOTREQUEST 1u
#define BOOTREPLY   2u
#define HTYPE_ETHERNET 1u
#define FLAG_BROADCAST 0x8000u /* RFC 2131 figure 2 */

/* RFC 2132 option codes used here. */
#define OPT_PAD            0u
#define OPT_SUBNET_MASK    1u
#define OPT_REQUESTED_IP   50u
#define OPT_LEASE_TIME     51u
#define OPT_OVERLOAD       52u
#define OPT_MESSAGE_TYPE   53u
#define OPT_SERVER_ID      54u
#define OPT_RENEWAL_T1     58u
#define OPT_REBINDING_T2   59u
#define OPT_END            255u

static const uint8_t magic_cookie[4] = {99, 130, 83, 99}; /* RFC 2131 section 3 */

/* Offsets in the fixed BOOTP header (RFC 2131 figure 1). */
enum {
    BOOTP_OP = 0, BOOTP_HTYPE = 1, BOOTP_HLEN = 2, BOOTP_HOPS = 3,
    BOOTP_XID = 4, BOOTP_SECS = 8, BOOTP_FLAGS = 10, BOOTP_CIADDR = 12,
    BOOTP_YIADDR = 16, BOOTP_SIADDR = 20, BOOTP_GIADDR = 24, BOOTP_CHADDR = 28,
    BOOTP_COOKIE = 236
};

tt_status tt_dhcp_parse_request(const uint8_t *msg, size_t len, tt_dhcp_request *req)
{
    if (msg == NULL || req == NULL || len < TT_BOOTP_OPTIONS_OFFSET) {
        return TT_E_MALFORMED;
    }
    if (msg[BOOTP_OP] != BOOTREQUEST || msg[BOOTP_HTYPE] != HTYPE_ETHERNET ||
        msg[BOOTP_HLEN] != 6 || !tt_equal(msg + BOOTP_COOKIE, magic_cookie, 4)) {
        return TT_E_MALFORMED;
    }
    req->message_type = 0;
    req->xid = tt_get_be32(msg + BOOTP_XID);
    req->flags = tt_get_be16(msg + BOOTP_FLAGS);
    req->ciaddr = tt_get_be32(msg + BOOTP_CIADDR);
    req->giaddr = tt_get_be32(msg + BOOTP_GIADDR);
    tt_copy(req->chaddr, msg + BOOTP_CHADDR, 6);
    req->has_requested_ip = false;
    req->requested_ip = 0;
    req->has_server_id = false;
    req->server_id = 0;

    /* RFC 2132 section 2: pad and end are single octets, every other option
     * is code, length, data. The first occurrence of an option wins. */
    size_t off = TT_BOOTP_OPTIONS_OFFSET;
    while (off < len) {
        uint8_t code = msg[off];
        if (code == OPT_END) {
            break;
        }
        if (code == OPT_PAD) {
            off++;
            continue;
        }
        if (len - off < 2) {
            return TT_E_MALFORMED;
        }
        size_t opt_len = msg[off + 1];
        if (opt_len > len - off - 2) {
            return TT_E_MALFORMED;
        }
        const uint8_t *data = msg + off + 2;
        if (code == OPT_MESSAGE_TYPE && opt_len == 1 && req->message_type == 0) {
            req->message_type = data[0];
        } else if (code == OPT_REQUESTED_IP && opt_len == 4 && !req->has_requested_ip) {
            req->has_requested_ip = true;
            req->requested_ip = tt_get_be32(data);
        } else if (code == OPT_SERVER_ID && opt_len == 4 && !req->has_server_id) {
            req->has_server_id = true;
            req->server_id = tt_get_be32(data);
        }
        off += 2 + opt_len;
    }
    if (req->message_type < TT_DHCP_DISCOVER || req->message_type > TT_DHCP_INFORM) {
        return TT_E_MALFORMED;
    }
    return TT_OK;
}

tt_status tt_dhcp_validate_user_options(const uint8_t *opts, size_t len)
{
    if (len > TT_DHCP_USER_OPTIONS_MAX || (opts == NULL && len != 0)) {
        return TT_E_INVALID_PARAMETER;
    }
    size_t off = 0;
    while (off < len) {
        uint8_t code = opts[off];
        if (code == OPT_PAD) {
            off++;
            continue;
        }
        if (code == OPT_END || code == OPT_LEASE_TIME || code == OPT_OVERLOAD ||
            code == OPT_MESSAGE_TYPE || code == OPT_SERVER_ID ||
            code == OPT_RENEWAL_T1 || code == OPT_REBINDING_T2) {
            return TT_E_INVALID_PARAMETER;
        }
        if (len - off < 2 || opts[off + 1] > len - off - 2) {
            return TT_E_INVALID_PARAMETER;
        }
        off += 2u + opts[off + 1];
    }
    return TT_OK;
}

/* Appends option code/len/value; the caller has reserved room. */
static size_t put_option_u32(uint8_t *p, uint8_t code, uint32_t value)
{
    p[0] = code;
    p[1] = 4;
    tt_put_be32(p + 2, value);
    return 6;
}

/* The server's decision for one request (RFC 2131 4.3). */
static uint8_t choose_reply(const tt_dhcp_server_config *cfg, const tt_dhcp_request *req)
{
    if (req->giaddr != 0) {
        return 0; /* relayed: there is no relay on a virtual point-to-point link */
    }
    switch (req->message_type) {
    case TT_DHCP_DISCOVER:
        return TT_DHCP_OFFER;
    case TT_DHCP_REQUEST:
        if (req->has_server_id) {
            /* SELECTING (4.3.2): the client answers some server's OFFER. */
            if (req->server_id != cfg->server_ip) {
                return 0;
            }
            return (req->has_requested_ip && req->requested_ip == cfg->client_ip)
                       ? TT_DHCP_ACK : TT_DHCP_NAK;
        }
        if (req->has_requested_ip) {
            /* INIT-REBOOT: verify a remembered address. */
            return req->requested_ip == cfg->client_ip ? TT_DHCP_ACK : TT_DHCP_NAK;
        }
        /* RENEWING / REBINDING: the address is in ciaddr. */
        return req->ciaddr == cfg->client_ip ? TT_DHCP_ACK : TT_DHCP_NAK;
    case TT_DHCP_INFORM:
        return TT_DHCP_ACK;
    default:
        return 0; /* DECLINE, RELEASE: nothing to send */
    }
}

tt_status tt_dhcp_respond(const tt_dhcp_server_config *cfg, const tt_dhcp_request *req,
                          uint8_t *out, size_t cap, size_t *out_len)
{
    if (cfg == NULL || req == NULL || out == NULL || out_len == NULL ||
        cfg->user_options_length > TT_DHCP_USER_OPTIONS_MAX ||
        (cfg->user_options == NULL && cfg->user_options_length != 0)) {
        return TT_E_INVALID_PARAMETER;
    }
    *out_len = 0;
    if (cap < TT_DHCP_REPLY_FRAME_MAX) {
        return TT_E_BUFFER_TOO_SMALL;
    }
    uint8_t type = choose_reply(cfg, req);
    if (type == 0) {
        return TT_OK;
    }
    bool inform = req->message_type == TT_DHCP_INFORM;
    bool nak = type == TT_DHCP_NAK;

    /* Destination (RFC 2131 4.1, giaddr is 0 here): NAKs are broadcast;
     * otherwise unicast to ciaddr if set, broadcast if the client asked,
     * else unicast to the new address at chaddr. */
    static const uint8_t broadcast_mac[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    uint32_t dst_ip;
    const uint8_t *dst_mac;
    if (nak || (req->ciaddr == 0 && (req->flags & FLAG_BROADCAST) != 0)) {
        dst_ip = 0xFFFFFFFFu;
        dst_mac = broadcast_mac;
    } else if (req->ciaddr != 0) {
        dst_ip = req->ciaddr;
        dst_mac = req->chaddr;
    } else {
        dst_ip = cfg->client_ip;
        dst_mac = req->chaddr;
    }

    uint8_t *ip = out + TT_ETH_HEADER_LEN;
    uint8_t *udp = ip + TT_IPV4_MIN_HEADER_LEN;
    uint8_t *msg = udp + TT_UDP_HEADER_LEN;
    tt_fill(msg, 0, TT_BOOTP_OPTIONS_OFFSET);

    /* Fixed fields, RFC 2131 table 3. */
    msg[BOOTP_OP] = BOOTREPLY;
    msg[BOOTP_HTYPE] = HTYPE_ETHERNET;
    msg[BOOTP_HLEN] = 6;
    tt_put_be32(msg + BOOTP_XID, req->xid);
    tt_put_be16(msg + BOOTP_FLAGS, req->flags);
    if (!nak) {
        tt_put_be32(msg + BOOTP_CIADDR, req->ciaddr);
    }
    if (!nak && !inform) {
        tt_put_be32(msg + BOOTP_YIADDR, cfg->client_ip);
    }
    tt_put_be32(msg + BOOTP_GIADDR, req->giaddr);
    tt_copy(msg + BOOTP_CHADDR, req->chaddr, 6);
    tt_copy(msg + BOOTP_COOKIE, magic_cookie, 4);

    /* Options, table 3: NAK carries only type and server id; INFORM's ACK no
     * lease times. T1 and T2 are the RFC 2131 4.4.5 defaults (0.5, 0.875). */
    uint8_t *opt = msg + TT_BOOTP_OPTIONS_OFFSET;
    size_t n = 0;
    opt[n++] = OPT_MESSAGE_TYPE;
    opt[n++] = 1;
    opt[n++] = type;
    n += put_option_u32(opt + n, OPT_SERVER_ID, cfg->server_ip);
    if (!nak) {
        if (!inform) {
            uint32_t lease = cfg->lease_seconds;
            n += put_option_u32(opt + n, OPT_LEASE_TIME, lease);
            n += put_option_u32(opt + n, OPT_RENEWAL_T1, lease / 2u);
            n += put_option_u32(opt + n, OPT_REBINDING_T2,
                                (uint32_t)(((uint64_t)lease * 7u) / 8u));
        }
        n += put_option_u32(opt + n, OPT_SUBNET_MASK, cfg->netmask);
        tt_copy(opt + n, cfg->user_options, cfg->user_options_length);
        n += cfg->user_options_length;
    }
    opt[n++] = OPT_END;

    size_t msg_len = TT_BOOTP_OPTIONS_OFFSET + n;
    if (msg_len < TT_BOOTP_MIN_LEN) {
        tt_fill(msg + msg_len, OPT_PAD, TT_BOOTP_MIN_LEN - msg_len);
        msg_len = TT_BOOTP_MIN_LEN;
    }

    tt_udp_write_header(udp, cfg->server_ip, dst_ip, TT_DHCP_SERVER_PORT,
                        TT_DHCP_CLIENT_PORT, msg_len);
    tt_ipv4_write_header(ip, TT_IPV4_PROTO_UDP, 64, cfg->server_ip, dst_ip,
                         TT_UDP_HEADER_LEN + msg_len);
    tt_copy(out, dst_mac, 6);
    tt_copy(out + 6, cfg->server_mac, 6);
    tt_put_be16(out + 12, TT_ETHERTYPE_IPV4);
    *out_len = TT_ETH_HEADER_LEN + TT_IPV4_MIN_HEADER_LEN + TT_UDP_HEADER_LEN + msg_len;
    return TT_OK;
}

bool tt_dhcp_is_client_frame(const uint8_t *frame, size_t len)
{
    tt_frame_info info;
    if (tt_frame_classify(frame, len, &info) != TT_OK || info.kind != TT_FRAME_IPV4) {
        return false;
    }
    const uint8_t *ip = frame + info.payload_offset;
    if (info.payload_length < TT_IPV4_MIN_HEADER_LEN || (ip[0] >> 4) != 4 ||
        ip[9] != TT_IPV4_PROTO_UDP) {
        return false;
    }
    size_t ihl = (size_t)(ip[0] & 0x0Fu) * 4u;
    if (ihl < TT_IPV4_MIN_HEADER_LEN || info.payload_length < ihl + TT_UDP_HEADER_LEN) {
        return false;
    }
    return tt_get_be16(ip + ihl + 2) == TT_DHCP_SERVER_PORT;
}

tt_status tt_dhcp_handle_frame(const tt_dhcp_server_config *cfg, const uint8_t *frame,
                               size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    if (out_len == NULL) {
        return TT_E_INVALID_PARAMETER;
    }
    *out_len = 0;
    tt_frame_info info;
    tt_ipv4_view ip;
    tt_udp_view udp;
    tt_dhcp_request req;
    if (tt_frame_classify(frame, len, &info) != TT_OK || info.kind != TT_FRAME_IPV4 ||
        tt_ipv4_parse(frame + info.payload_offset, info.payload_length, &ip) != TT_OK ||
        tt_udp_parse(&ip, &udp) != TT_OK || udp.dst_port != TT_DHCP_SERVER_PORT ||
        udp.src_port != TT_DHCP_CLIENT_PORT ||
        tt_dhcp_parse_request(udp.payload, udp.payload_length, &req) != TT_OK) {
        return TT_E_MALFORMED;
    }
    return tt_dhcp_respond(cfg, &req, out, cap, out_len);
}
