/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "../../abi/tuntap_tap_ioctl.h"
#include "../../core/tt_bytes.h"
#include "../../core/tt_ioctl.h"
#include "../support/harness.h"
#include "suites.h"

static const uint8_t mac[6] = {0x02, 0xDE, 0xAD, 0xBE, 0xEF, 0x01};

static void fresh(tt_state *st)
{
    tt_state_init(st, mac, 1500, TT_MEDIA_APPLICATION_CONTROLLED, false);
}

/* decode + execute with in == out, as METHOD_BUFFERED does. */
static tt_status call(tt_state *st, uint32_t code, uint8_t *buf, size_t in_len, size_t out_len,
                      size_t *returned, bool *media_changed)
{
    tt_ioctl_request req;
    tt_status s = tt_ioctl_decode(code, buf, in_len, out_len, &req);
    if (s != TT_OK) {
        return s;
    }
    return tt_ioctl_execute(st, &req, buf, out_len, returned, media_changed);
}

static void get_mac_version_mtu(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[64];
    size_t ret;
    bool changed;
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_GET_MAC, buf, 0, 6, &ret, &changed), TT_OK);
    CHECK_EQ(ret, 6);
    CHECK_MEM(buf, mac, 6);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_GET_VERSION, buf, 0, 12, &ret, &changed), TT_OK);
    CHECK_EQ(ret, 12);
    CHECK_EQ(tt_get_le32(buf), 9);
    CHECK_EQ(tt_get_le32(buf + 4), 27);
    CHECK_EQ(tt_get_le32(buf + 8), 0);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_GET_MTU, buf, 0, 4, &ret, &changed), TT_OK);
    CHECK_EQ(tt_get_le32(buf), 1500);
}

static void short_output_buffers_rejected(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[64];
    size_t ret;
    bool changed;
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_GET_MAC, buf, 0, 5, &ret, &changed), TT_E_BUFFER_TOO_SMALL);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_GET_VERSION, buf, 0, 11, &ret, &changed),
             TT_E_BUFFER_TOO_SMALL);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_GET_MTU, buf, 0, 3, &ret, &changed), TT_E_BUFFER_TOO_SMALL);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_GET_INFO, buf, 0, 0, &ret, &changed), TT_E_BUFFER_TOO_SMALL);
}

static void unknown_and_malformed_codes_rejected(void)
{
    tt_ioctl_request req;
    uint8_t buf[16] = {0};
    CHECK_EQ(tt_ioctl_decode(TUNTAP_TAP_CONTROL_CODE(0), buf, 16, 16, &req), TT_E_INVALID_REQUEST);
    CHECK_EQ(tt_ioctl_decode(TUNTAP_TAP_CONTROL_CODE(12), buf, 16, 16, &req), TT_E_INVALID_REQUEST);
    CHECK_EQ(tt_ioctl_decode(TUNTAP_TAP_IOCTL_GET_MAC | 1u, buf, 16, 16, &req),
             TT_E_INVALID_REQUEST); /* METHOD_IN_DIRECT */
    CHECK_EQ(tt_ioctl_decode(TUNTAP_CTL_CODE(0x12, 1, 0, 0), buf, 16, 16, &req),
             TT_E_INVALID_REQUEST); /* other device type */
    CHECK_EQ(tt_ioctl_decode(TUNTAP_TAP_IOCTL_GET_MAC | (3u << 14), buf, 16, 16, &req),
             TT_E_INVALID_REQUEST); /* access bits */
    CHECK_EQ(tt_ioctl_decode(TUNTAP_TAP_IOCTL_GET_LOG_LINE, buf, 16, 16, &req),
             TT_E_INVALID_REQUEST);
}

static void config_tun_validates_and_applies(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[12];
    size_t ret;
    bool changed;
    tt_put_be32(buf, 0x0A080002);
    tt_put_be32(buf + 4, 0x0A080000);
    tt_put_be32(buf + 8, 0xFFFFFF00);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_TUN, buf, 11, 0, &ret, &changed),
             TT_E_INVALID_PARAMETER);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_TUN, buf, 12, 12, &ret, &changed), TT_OK);
    CHECK_EQ(ret, 1);
    CHECK_EQ(st.mode, TT_MODE_TUN);
    CHECK_EQ(st.tun.local_ip, 0x0A080002);
    CHECK_EQ(st.tun.remote_network, 0x0A080000);
    CHECK_EQ(st.tun.remote_netmask, 0xFFFFFF00);

    fresh(&st);
    tt_put_be32(buf, 0x0A080002);
    tt_put_be32(buf + 4, 0x0A080001); /* host bits set */
    tt_put_be32(buf + 8, 0xFFFFFF00);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_TUN, buf, 12, 0, &ret, &changed),
             TT_E_INVALID_PARAMETER);
    tt_put_be32(buf + 4, 0x0A080000);
    tt_put_be32(buf + 8, 0xFF00FF00); /* not contiguous */
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_TUN, buf, 12, 0, &ret, &changed),
             TT_E_INVALID_PARAMETER);
    CHECK_EQ(st.mode, TT_MODE_TAP); /* failures change nothing */
}

static void config_ack_never_exceeds_output(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[12];
    size_t ret = 99;
    bool changed;
    tt_put_be32(buf, 0x0A080002);
    tt_put_be32(buf + 4, 0x0A080001);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_POINT_TO_POINT, buf, 8, 0, &ret, &changed), TT_OK);
    CHECK_EQ(ret, 0);
    CHECK_EQ(st.tun.remote_netmask, 0xFFFFFFFFu);
    tt_put_be32(buf + 4, 0x0A080002); /* local == remote */
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_POINT_TO_POINT, buf, 8, 0, &ret, &changed),
             TT_E_INVALID_PARAMETER);
}

static void media_status_reports_changes(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[4];
    size_t ret;
    bool changed;
    tt_put_le32(buf, 1);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS, buf, 4, 4, &ret, &changed), TT_OK);
    CHECK(changed);
    CHECK(tt_state_media_connected(&st));
    tt_put_le32(buf, 1);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS, buf, 4, 4, &ret, &changed), TT_OK);
    CHECK(!changed);
    tt_put_le32(buf, 2);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS, buf, 4, 4, &ret, &changed),
             TT_E_INVALID_PARAMETER);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS, buf, 3, 4, &ret, &changed),
             TT_E_INVALID_PARAMETER);
}

static void dhcp_masq_then_options(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[64];
    size_t ret;
    bool changed;
    const uint8_t opts[] = {6, 4, 10, 8, 0, 1};
    memcpy(buf, opts, sizeof(opts));
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT, buf, sizeof(opts), 0, &ret, &changed),
             TT_E_INVALID_STATE);
    tt_put_be32(buf, 0x0A080006);
    tt_put_be32(buf + 4, 0xFFFFFFFC);
    tt_put_be32(buf + 8, 0x0A080005);
    tt_put_le32(buf + 12, 86400);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ, buf, 16, 16, &ret, &changed), TT_OK);
    CHECK(st.dhcp.enabled);
    CHECK_EQ(st.dhcp.lease_seconds, 86400);
    CHECK_EQ(st.dhcp.server_ip, 0x0A080005);
    memcpy(buf, opts, sizeof(opts));
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT, buf, sizeof(opts), 0, &ret, &changed),
             TT_OK);
    CHECK_EQ(st.dhcp.user_options_length, sizeof(opts));
    CHECK_MEM(st.dhcp.user_options, opts, sizeof(opts));
    buf[0] = 53; /* server-owned option */
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT, buf, 3, 0, &ret, &changed),
             TT_E_INVALID_PARAMETER);
    CHECK_EQ(st.dhcp.user_options_length, sizeof(opts));
}

static void dhcp_masq_rejects_bad_values(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[16];
    size_t ret;
    bool changed;
    const struct { uint32_t ip, mask, server, lease; } bad[] = {
        {0, 0xFFFFFF00, 0x0A000001, 60},          /* no client address */
        {0x0A000002, 0, 0x0A000001, 60},          /* no mask */
        {0x0A000002, 0xFF00FF00, 0x0A000001, 60}, /* holes in mask */
        {0x0A000002, 0xFFFFFF00, 0x0A000002, 60}, /* server == client */
        {0x0A000002, 0xFFFFFF00, 0x0A000001, 0},  /* zero lease */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tt_put_be32(buf, bad[i].ip);
        tt_put_be32(buf + 4, bad[i].mask);
        tt_put_be32(buf + 8, bad[i].server);
        tt_put_le32(buf + 12, bad[i].lease);
        CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ, buf, 16, 0, &ret, &changed),
                 TT_E_INVALID_PARAMETER);
    }
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ, buf, 15, 0, &ret, &changed),
             TT_E_INVALID_PARAMETER);
    CHECK(!st.dhcp.enabled);
}

static void priority_behavior(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[4];
    size_t ret;
    bool changed;
    tt_put_le32(buf, TUNTAP_TAP_PRIORITY_NOPRIORITY);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR, buf, 4, 0, &ret, &changed), TT_OK);
    tt_put_le32(buf, TUNTAP_TAP_PRIORITY_ENABLED);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR, buf, 4, 0, &ret, &changed),
             TT_E_NOT_SUPPORTED);
    tt_put_le32(buf, 3);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR, buf, 4, 0, &ret, &changed),
             TT_E_INVALID_PARAMETER);
}

static void get_info_truncates_and_terminates(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[128];
    size_t ret;
    bool changed;
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_GET_INFO, buf, 0, sizeof(buf), &ret, &changed), TT_OK);
    CHECK_EQ(ret, strlen((char *)buf) + 1);
    CHECK(strstr((char *)buf, "mode=TAP") != NULL);
    CHECK(strstr((char *)buf, "mtu=1500") != NULL);
    memset(buf, 'X', sizeof(buf));
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_GET_INFO, buf, 0, 5, &ret, &changed), TT_OK);
    CHECK_EQ(ret, 5);
    CHECK_EQ(buf[4], 0);
    CHECK_EQ(buf[5], 'X');
}

static void long_inputs_accepted(void)
{
    tt_state st;
    fresh(&st);
    uint8_t buf[32] = {0};
    size_t ret;
    bool changed;
    tt_put_le32(buf, 1);
    CHECK_EQ(call(&st, TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS, buf, 32, 0, &ret, &changed), TT_OK);
}

void suite_ioctl(void)
{
    RUN(get_mac_version_mtu);
    RUN(short_output_buffers_rejected);
    RUN(unknown_and_malformed_codes_rejected);
    RUN(config_tun_validates_and_applies);
    RUN(config_ack_never_exceeds_output);
    RUN(media_status_reports_changes);
    RUN(dhcp_masq_then_options);
    RUN(dhcp_masq_rejects_bad_values);
    RUN(priority_behavior);
    RUN(get_info_truncates_and_terminates);
    RUN(long_inputs_accepted);
}
