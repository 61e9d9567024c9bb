/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_engine.h"

#include "tt_arp.h"
#include "tt_bytes.h"
#include "tt_ether.h"
#include "tt_frame.h"
#include "tt_ipv4.h"
#include "tt_ipv6_nd.h"

static void set_drop(tt_host_frame_result *res, tt_drop_reason reason)
{
    res->verdict = TT_VERDICT_DROP;
    res->reason = reason;
}

static void set_reply(tt_host_frame_result *res, size_t len)
{
    res->verdict = TT_VERDICT_REPLY;
    res->reason = TT_DROP_NONE;
    res->reply_length = len;
}

/* ARP: answer for addresses the driver stands in for (RFC 826 "proxy" use).
 * Returns true if the frame was consumed (answered or dropped). */
static bool handle_arp(const tt_state *st, const uint8_t *frame, const tt_frame_info *info,
                       uint8_t *reply, size_t reply_cap, tt_host_frame_result *res)
{
    tt_arp_view arp;
    if (tt_arp_parse(frame + info->payload_offset, info->payload_length, &arp) != TT_OK) {
        if (st->mode == TT_MODE_TUN) {
            set_drop(res, TT_DROP_MALFORMED);
            return true;
        }
        return false; /* TAP: not ours to judge; user space sees it */
    }
    const uint8_t *answer_mac = NULL;
    if (arp.op == TT_ARP_OP_REQUEST) {
        if (st->mode == TT_MODE_TUN && arp.target_ip != st->tun.local_ip &&
            tt_state_in_remote_network(st, arp.target_ip)) {
            answer_mac = st->peer_mac;
        } else if (st->dhcp.enabled && arp.target_ip == st->dhcp.server_ip &&
                   arp.target_ip != 0) {
            answer_mac = st->dhcp_server_mac;
        }
    }
    size_t n = 0;
    if (answer_mac != NULL &&
        tt_arp_build_reply(&arp, answer_mac, reply, reply_cap, &n) == TT_OK) {
        set_reply(res, n);
        return true;
    }
    if (st->mode == TT_MODE_TUN) {
        set_drop(res, TT_DROP_UNANSWERED); /* no ARP crosses a layer-3 tunnel */
        return true;
    }
    return false;
}

/* TUN mode IPv6: answer Neighbor Solicitations; otherwise pass or drop. */
static void handle_tun_ipv6(const tt_state *st, const uint8_t *frame, const tt_frame_info *info,
                            uint8_t *reply, size_t reply_cap, tt_host_frame_result *res)
{
    tt_ipv6_view ip;
    if (tt_ipv6_parse(frame + info->payload_offset, info->payload_length, &ip) != TT_OK) {
        set_drop(res, TT_DROP_MALFORMED);
        return;
    }
    tt_nd_solicitation ns;
    if (ip.next_header == TT_IPV6_NEXT_ICMPV6 && ip.payload_length >= 1 &&
        ip.payload[0] == TT_ICMPV6_NS) {
        size_t n = 0;
        if (tt_nd_parse_solicitation(&ip, &ns) != TT_OK) {
            set_drop(res, TT_DROP_MALFORMED);
        } else if (ns.source_unspecified) {
            /* DAD probe: silence means "address is free" (RFC 4862 5.4). */
            set_drop(res, TT_DROP_UNANSWERED);
        } else if (tt_nd_build_advertisement(&ip, &ns, frame + 6, st->peer_mac, reply,
                                             reply_cap, &n) == TT_OK) {
            set_reply(res, n);
        } else {
            set_drop(res, TT_DROP_UNANSWERED);
        }
        return;
    }
    if (info->dest != TT_DEST_UNICAST || !tt_equal(frame, st->peer_mac, 6)) {
        set_drop(res, TT_DROP_NOT_DIRECTED);
        return;
    }
    res->verdict = TT_VERDICT_TO_USER;
    res->user_offset = info->payload_offset;
    res->user_length = TT_IPV6_HEADER_LEN + ip.payload_length;
}

static void handle_tun_ipv4(const tt_state *st, const uint8_t *frame, const tt_frame_info *info,
                            tt_host_frame_result *res)
{
    tt_ipv4_view ip;
    if (tt_ipv4_parse(frame + info->payload_offset, info->payload_length, &ip) != TT_OK) {
        set_drop(res, TT_DROP_MALFORMED);
        return;
    }
    if (info->dest != TT_DEST_UNICAST || !tt_equal(frame, st->peer_mac, 6)) {
        set_drop(res, TT_DROP_NOT_DIRECTED);
        return;
    }
    res->verdict = TT_VERDICT_TO_USER;
    res->user_offset = info->payload_offset;
    res->user_length = ip.total_length; /* drops Ethernet padding */
}

tt_status tt_engine_host_frame(const tt_state *st, const uint8_t *frame, size_t len,
                               uint8_t *reply, size_t reply_cap, tt_host_frame_result *res)
{
    if (st == NULL || res == NULL || reply == NULL || (frame == NULL && len != 0)) {
        return TT_E_INVALID_PARAMETER;
    }
    if (reply_cap < TT_ENGINE_REPLY_MAX) {
        return TT_E_BUFFER_TOO_SMALL;
    }
    res->verdict = TT_VERDICT_DROP;
    res->reason = TT_DROP_NONE;
    res->user_offset = 0;
    res->user_length = 0;
    res->reply_length = 0;

    tt_frame_info info;
    if (tt_frame_classify(frame, len, &info) != TT_OK) {
        set_drop(res, TT_DROP_MALFORMED);
        return TT_OK;
    }

    if (st->dhcp.enabled && tt_dhcp_is_client_frame(frame, len)) {
        tt_dhcp_server_config cfg = tt_state_dhcp_config(st);
        size_t n = 0;
        tt_status s = tt_dhcp_handle_frame(&cfg, frame, len, reply, reply_cap, &n);
        if (s == TT_OK && n > 0) {
            set_reply(res, n);
        } else {
            set_drop(res, s == TT_OK ? TT_DROP_UNANSWERED : TT_DROP_MALFORMED);
        }
        return TT_OK;
    }

    if (info.kind == TT_FRAME_ARP && handle_arp(st, frame, &info, reply, reply_cap, res)) {
        return TT_OK;
    }

    if (st->mode == TT_MODE_TUN) {
        switch (info.kind) {
        case TT_FRAME_IPV4:
            handle_tun_ipv4(st, frame, &info, res);
            break;
        case TT_FRAME_IPV6:
            handle_tun_ipv6(st, frame, &info, reply, reply_cap, res);
            break;
        default:
            set_drop(res, TT_DROP_UNSUPPORTED);
            break;
        }
        return TT_OK;
    }

    res->verdict = TT_VERDICT_TO_USER;
    res->user_offset = 0;
    res->user_length = len;
    return TT_OK;
}

size_t tt_engine_user_frame_length(const tt_state *st, size_t len)
{
    return st->mode == TT_MODE_TUN ? TT_ETH_HEADER_LEN + len : len;
}

tt_status tt_engine_user_write(const tt_state *st, const uint8_t *data, size_t len,
                               uint8_t *frame, size_t cap, size_t *frame_len)
{
    if (st == NULL || frame == NULL || frame_len == NULL || (data == NULL && len != 0)) {
        return TT_E_INVALID_PARAMETER;
    }
    if (st->mode == TT_MODE_TAP) {
        if (len < TT_ETH_HEADER_LEN) {
            return TT_E_INVALID_PARAMETER;
        }
        size_t max = TT_ETH_HEADER_LEN + st->mtu;
        if (tt_get_be16(data + 12) == TT_ETHERTYPE_VLAN) {
            max += TT_ETH_VLAN_TAG_LEN;
        }
        if (len > max) {
            return TT_E_INVALID_PARAMETER;
        }
        if (cap < len) {
            return TT_E_BUFFER_TOO_SMALL;
        }
        tt_copy(frame, data, len);
        *frame_len = len;
        return TT_OK;
    }

    uint16_t ethertype;
    if (len >= TT_IPV4_MIN_HEADER_LEN && (data[0] >> 4) == 4) {
        ethertype = TT_ETHERTYPE_IPV4;
    } else if (len >= TT_IPV6_HEADER_LEN && (data[0] >> 4) == 6) {
        ethertype = TT_ETHERTYPE_IPV6;
    } else {
        return TT_E_INVALID_PARAMETER;
    }
    if (len > st->mtu) {
        return TT_E_INVALID_PARAMETER;
    }
    if (cap < TT_ETH_HEADER_LEN + len) {
        return TT_E_BUFFER_TOO_SMALL;
    }
    /* The packet arrives "from the peer": that is the MAC the host's ARP and
     * ND caches hold for every remote address. */
    tt_copy(frame, st->mac, 6);
    tt_copy(frame + 6, st->peer_mac, 6);
    tt_put_be16(frame + 12, ethertype);
    tt_copy(frame + TT_ETH_HEADER_LEN, data, len);
    *frame_len = TT_ETH_HEADER_LEN + len;
    return TT_OK;
}
