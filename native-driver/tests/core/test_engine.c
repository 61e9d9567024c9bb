/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "../../abi/tuntap_tap_ioctl.h"
#include "../../core/tt_bytes.h"
#include "../../core/tt_engine.h"
#include "../../core/tt_ether.h"
#include "../../core/tt_ipv4.h"
#include "../support/harness.h"
#include "../support/packets.h"
#include "suites.h"

#define LOCAL_IP 0x0A080002u
#define REMOTE_NET 0x0A080000u
#define REMOTE_MASK 0xFFFFFF00u

static const uint8_t adapter_mac[6] = {0x02, 0x50, 0x51, 0x52, 0x53, 0x54};
static uint8_t reply[TT_ENGINE_REPLY_MAX];

static void tun_state(tt_state *st)
{
    tt_state_init(st, adapter_mac, 1500, TT_MEDIA_ALWAYS_CONNECTED, false);
    st->mode = TT_MODE_TUN;
    st->tun.local_ip = LOCAL_IP;
    st->tun.remote_network = REMOTE_NET;
    st->tun.remote_netmask = REMOTE_MASK;
}

static void tap_state(tt_state *st)
{
    tt_state_init(st, adapter_mac, 1500, TT_MEDIA_ALWAYS_CONNECTED, false);
}

static void tap_passes_frames_unchanged(void)
{
    tt_state st;
    tap_state(&st);
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_ipv4(f, st.peer_mac, LOCAL_IP, 0x08080808, 1, 30);
    tt_host_frame_result r;
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_TO_USER);
    CHECK_EQ(r.user_offset, 0);
    CHECK_EQ(r.user_length, n);
    n = pk_arp_request(f, pk_host_mac, LOCAL_IP, 0x0A080001);
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_TO_USER); /* TAP: ARP is user space's */
}

static void tun_strips_header_and_padding(void)
{
    tt_state st;
    tun_state(&st);
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_ipv4(f, st.peer_mac, LOCAL_IP, 0x0A080001, 1, 8);
    memset(f + n, 0, 60 - n); /* padded to the Ethernet minimum */
    tt_host_frame_result r;
    CHECK_EQ(tt_engine_host_frame(&st, f, 60, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_TO_USER);
    CHECK_EQ(r.user_offset, 14);
    CHECK_EQ(r.user_length, 28);
}

static void tun_ipv6_to_peer_passes(void)
{
    tt_state st;
    tun_state(&st);
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_ipv6(f, st.peer_mac, 16);
    tt_host_frame_result r;
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_TO_USER);
    CHECK_EQ(r.user_length, 56);
}

static void tun_drops_undirected_and_non_ip(void)
{
    tt_state st;
    tun_state(&st);
    uint8_t f[PK_FRAME_MAX];
    const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    size_t n = pk_ipv4(f, bcast, LOCAL_IP, 0x0A0800FF, 17, 8);
    tt_host_frame_result r;
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_DROP);
    CHECK_EQ(r.reason, TT_DROP_NOT_DIRECTED);
    f[12] = 0x88;
    f[13] = 0xCC; /* LLDP */
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.reason, TT_DROP_UNSUPPORTED);
    CHECK_EQ(tt_engine_host_frame(&st, f, 5, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.reason, TT_DROP_MALFORMED);
}

static void tun_answers_arp_for_remote_network(void)
{
    tt_state st;
    tun_state(&st);
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_arp_request(f, pk_host_mac, LOCAL_IP, 0x0A080001);
    tt_host_frame_result r;
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_REPLY);
    CHECK_EQ(r.reply_length, 42);
    CHECK_MEM(reply + 6, st.peer_mac, 6);
    CHECK_MEM(reply + 22, st.peer_mac, 6);
    CHECK_EQ(tt_get_be32(reply + 28), 0x0A080001);
}

static void tun_never_answers_for_own_or_outside_address(void)
{
    tt_state st;
    tun_state(&st);
    uint8_t f[PK_FRAME_MAX];
    tt_host_frame_result r;
    size_t n = pk_arp_request(f, pk_host_mac, 0, LOCAL_IP); /* RFC 5227 probe */
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_DROP);
    n = pk_arp_request(f, pk_host_mac, LOCAL_IP, 0xC0A80001);
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_DROP);
    CHECK_EQ(r.reason, TT_DROP_UNANSWERED);
}

static void tun_point_to_point_answers_only_peer(void)
{
    tt_state st;
    tun_state(&st);
    st.tun.remote_network = 0x0A080001;
    st.tun.remote_netmask = 0xFFFFFFFFu;
    uint8_t f[PK_FRAME_MAX];
    tt_host_frame_result r;
    size_t n = pk_arp_request(f, pk_host_mac, LOCAL_IP, 0x0A080001);
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_REPLY);
    n = pk_arp_request(f, pk_host_mac, LOCAL_IP, 0x0A080003);
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_DROP);
}

static void tun_answers_neighbor_solicitation(void)
{
    tt_state st;
    tun_state(&st);
    const uint8_t src[16] = {0xFE, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    const uint8_t target[16] = {0xFE, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8};
    uint8_t dst[16], f[PK_FRAME_MAX];
    pk_solicited_node(dst, target);
    size_t n = pk_ns(f, src, dst, target, 1);
    tt_host_frame_result r;
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_REPLY);
    CHECK_EQ(r.reply_length, 86);
    CHECK_MEM(reply + 14 + 40 + 26, st.peer_mac, 6);
    const uint8_t unspecified[16] = {0};
    n = pk_ns(f, unspecified, dst, target, 0);
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_DROP); /* DAD */
}

static void dhcp_masquerade_in_tap_mode(void)
{
    tt_state st;
    tap_state(&st);
    st.dhcp.enabled = true;
    st.dhcp.client_ip = 0x0A080006;
    st.dhcp.netmask = 0xFFFFFFFC;
    st.dhcp.server_ip = 0x0A080005;
    st.dhcp.lease_seconds = 60;
    uint8_t f[PK_FRAME_MAX];
    size_t n = pk_dhcp(f, 1, 77, 0, 0, 0, 0);
    tt_host_frame_result r;
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_REPLY);
    CHECK_MEM(reply + 6, st.dhcp_server_mac, 6);
    n = pk_arp_request(f, pk_host_mac, 0x0A080006, 0x0A080005);
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_REPLY);
    CHECK_MEM(reply + 22, st.dhcp_server_mac, 6);
    n = pk_dhcp(f, 7, 77, 0x0A080006, 0, 0, 0x0A080005); /* RELEASE */
    CHECK_EQ(tt_engine_host_frame(&st, f, n, reply, sizeof(reply), &r), TT_OK);
    CHECK_EQ(r.verdict, TT_VERDICT_DROP);
}

static void host_frame_caller_errors(void)
{
    tt_state st;
    tap_state(&st);
    uint8_t f[60] = {0};
    tt_host_frame_result r;
    CHECK_EQ(tt_engine_host_frame(&st, f, 60, reply, TT_ENGINE_REPLY_MAX - 1, &r),
             TT_E_BUFFER_TOO_SMALL);
    CHECK_EQ(tt_engine_host_frame(NULL, f, 60, reply, sizeof(reply), &r), TT_E_INVALID_PARAMETER);
}

static void tun_write_gets_ethernet_header(void)
{
    tt_state st;
    tun_state(&st);
    uint8_t f[PK_FRAME_MAX], out[PK_FRAME_MAX];
    size_t n = pk_ipv4(f, st.peer_mac, 0x0A080001, LOCAL_IP, 1, 12);
    size_t len = 0;
    CHECK_EQ(tt_engine_user_frame_length(&st, n - 14), n);
    CHECK_EQ(tt_engine_user_write(&st, f + 14, n - 14, out, sizeof(out), &len), TT_OK);
    CHECK_EQ(len, n);
    CHECK_MEM(out, adapter_mac, 6);
    CHECK_MEM(out + 6, st.peer_mac, 6);
    CHECK_EQ(tt_get_be16(out + 12), TT_ETHERTYPE_IPV4);
    CHECK_MEM(out + 14, f + 14, n - 14);
    n = pk_ipv6(f, adapter_mac, 8);
    CHECK_EQ(tt_engine_user_write(&st, f + 14, n - 14, out, sizeof(out), &len), TT_OK);
    CHECK_EQ(tt_get_be16(out + 12), TT_ETHERTYPE_IPV6);
}

static void tun_write_rejects_bad_packets(void)
{
    tt_state st;
    tun_state(&st);
    uint8_t pkt[1600] = {0x45};
    uint8_t out[PK_FRAME_MAX];
    size_t len;
    CHECK_EQ(tt_engine_user_write(&st, pkt, 19, out, sizeof(out), &len), TT_E_INVALID_PARAMETER);
    CHECK_EQ(tt_engine_user_write(&st, pkt, 1501, out, sizeof(out), &len), TT_E_INVALID_PARAMETER);
    CHECK_EQ(tt_engine_user_write(&st, pkt, 1500, out, sizeof(out), &len), TT_OK);
    CHECK_EQ(tt_engine_user_write(&st, pkt, 1500, out, 1513, &len), TT_E_BUFFER_TOO_SMALL);
    pkt[0] = 0x60;
    CHECK_EQ(tt_engine_user_write(&st, pkt, 39, out, sizeof(out), &len), TT_E_INVALID_PARAMETER);
    pkt[0] = 0x50;
    CHECK_EQ(tt_engine_user_write(&st, pkt, 100, out, sizeof(out), &len), TT_E_INVALID_PARAMETER);
}

static void tap_write_limits(void)
{
    tt_state st;
    tap_state(&st);
    uint8_t f[1600] = {0};
    uint8_t out[PK_FRAME_MAX];
    size_t len;
    CHECK_EQ(tt_engine_user_write(&st, f, 13, out, sizeof(out), &len), TT_E_INVALID_PARAMETER);
    CHECK_EQ(tt_engine_user_write(&st, f, 1514, out, sizeof(out), &len), TT_OK);
    CHECK_EQ(len, 1514);
    CHECK_EQ(tt_engine_user_write(&st, f, 1515, out, sizeof(out), &len), TT_E_INVALID_PARAMETER);
    f[12] = 0x81; /* 802.1Q tag adds 4 bytes */
    CHECK_EQ(tt_engine_user_write(&st, f, 1518, out, sizeof(out), &len), TT_OK);
    CHECK_EQ(tt_engine_user_write(&st, f, 1519, out, sizeof(out), &len), TT_E_INVALID_PARAMETER);
}

void suite_engine(void)
{
    RUN(tap_passes_frames_unchanged);
    RUN(tun_strips_header_and_padding);
    RUN(tun_ipv6_to_peer_passes);
    RUN(tun_drops_undirected_and_non_ip);
    RUN(tun_answers_arp_for_remote_network);
    RUN(tun_never_answers_for_own_or_outside_address);
    RUN(tun_point_to_point_answers_only_peer);
    RUN(tun_answers_neighbor_solicitation);
    RUN(dhcp_masquerade_in_tap_mode);
    RUN(host_frame_caller_errors);
    RUN(tun_write_gets_ethernet_header);
    RUN(tun_write_rejects_bad_packets);
    RUN(tap_write_limits);
}
