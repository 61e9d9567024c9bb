/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_ioctl.h"

#include "../abi/tuntap_tap_ioctl.h"
#include "tt_bytes.h"

/* A netmask is contiguous when its inverse plus one is a power of two. */
static bool mask_is_contiguous(uint32_t mask)
{
    uint32_t inverse = ~mask;
    return (inverse & (inverse + 1u)) == 0;
}

/* Minimum input and output sizes per function (index = function number). */
static const struct {
    uint32_t in_min;
    uint32_t out_min;
} sizes[] = {
    [1] = {0, TUNTAP_TAP_MAC_SIZE},                 /* GET_MAC               */
    [2] = {0, TUNTAP_TAP_VERSION_SIZE},             /* GET_VERSION           */
    [3] = {0, TUNTAP_TAP_MTU_SIZE},                 /* GET_MTU               */
    [4] = {0, 1},                                   /* GET_INFO              */
    [5] = {TUNTAP_TAP_POINT_TO_POINT_SIZE, 0},      /* CONFIG_POINT_TO_POINT */
    [6] = {TUNTAP_TAP_MEDIA_STATUS_SIZE, 0},        /* SET_MEDIA_STATUS      */
    [7] = {TUNTAP_TAP_DHCP_MASQ_SIZE, 0},           /* CONFIG_DHCP_MASQ      */
    [8] = {0, 0},                                   /* GET_LOG_LINE          */
    [9] = {0, 0},                                   /* CONFIG_DHCP_SET_OPT   */
    [10] = {TUNTAP_TAP_TUN_SIZE, 0},                /* CONFIG_TUN            */
    [11] = {TUNTAP_TAP_PRIORITY_SIZE, 0},           /* PRIORITY_BEHAVIOR     */
};

tt_status tt_ioctl_decode(uint32_t code, const void *in, size_t in_len, size_t out_len,
                          tt_ioctl_request *req)
{
    const uint8_t *p = (const uint8_t *)in;
    if (req == NULL || (in == NULL && in_len != 0)) {
        return TT_E_INVALID_PARAMETER;
    }
    uint32_t fn = TUNTAP_CTL_FUNCTION(code);
    if (code != TUNTAP_TAP_CONTROL_CODE(fn) || fn < 1 || fn > 11 ||
        code == TUNTAP_TAP_IOCTL_GET_LOG_LINE) {
        return TT_E_INVALID_REQUEST;
    }
    if (in_len < sizes[fn].in_min) {
        return TT_E_INVALID_PARAMETER;
    }
    if (out_len < sizes[fn].out_min) {
        return TT_E_BUFFER_TOO_SMALL;
    }
    tt_fill(req, 0, sizeof(*req));
    req->code = code;
    req->function = fn;

    switch (code) {
    case TUNTAP_TAP_IOCTL_CONFIG_POINT_TO_POINT: {
        uint32_t local = tt_get_be32(p);
        uint32_t remote = tt_get_be32(p + 4);
        if (local == 0 || remote == 0 || local == remote) {
            return TT_E_INVALID_PARAMETER;
        }
        req->tun.local_ip = local;
        req->tun.remote_network = remote;
        req->tun.remote_netmask = 0xFFFFFFFFu;
        break;
    }
    case TUNTAP_TAP_IOCTL_CONFIG_TUN: {
        uint32_t local = tt_get_be32(p);
        uint32_t network = tt_get_be32(p + 4);
        uint32_t mask = tt_get_be32(p + 8);
        if (local == 0 || !mask_is_contiguous(mask) || (network & ~mask) != 0) {
            return TT_E_INVALID_PARAMETER;
        }
        req->tun.local_ip = local;
        req->tun.remote_network = network;
        req->tun.remote_netmask = mask;
        break;
    }
    case TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS:
        req->value = tt_get_le32(p);
        if (req->value > 1) {
            return TT_E_INVALID_PARAMETER;
        }
        break;
    case TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR:
        req->value = tt_get_le32(p);
        if (req->value > TUNTAP_TAP_PRIORITY_ADDALWAYS) {
            return TT_E_INVALID_PARAMETER;
        }
        if (req->value != TUNTAP_TAP_PRIORITY_NOPRIORITY) {
            return TT_E_NOT_SUPPORTED; /* 802.1Q priority tagging not implemented */
        }
        break;
    case TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ:
        req->dhcp_client_ip = tt_get_be32(p);
        req->dhcp_netmask = tt_get_be32(p + 4);
        req->dhcp_server_ip = tt_get_be32(p + 8);
        req->dhcp_lease_seconds = tt_get_le32(p + 12);
        if (req->dhcp_client_ip == 0 || req->dhcp_server_ip == 0 ||
            req->dhcp_client_ip == req->dhcp_server_ip || req->dhcp_netmask == 0 ||
            !mask_is_contiguous(req->dhcp_netmask) || req->dhcp_lease_seconds == 0) {
            return TT_E_INVALID_PARAMETER;
        }
        break;
    case TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT:
        if (tt_dhcp_validate_user_options(p, in_len) != TT_OK) {
            return TT_E_INVALID_PARAMETER;
        }
        tt_copy(req->options, p, in_len);
        req->options_length = (uint32_t)in_len;
        break;
    default:
        break; /* the GET_* requests take no input */
    }
    return TT_OK;
}

/* Tiny text builder for GET_INFO: always NUL-terminates, truncates. */
typedef struct text_buf {
    char *p;
    size_t cap;
    size_t len;
} text_buf;

static void text_append(text_buf *t, const char *s)
{
    while (*s != '\0' && t->len + 1 < t->cap) {
        t->p[t->len++] = *s++;
    }
    t->p[t->len] = '\0';
}

static void text_append_u32(text_buf *t, uint32_t v)
{
    char digits[11];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    char s[11];
    for (int i = 0; i < n; i++) {
        s[i] = digits[n - 1 - i];
    }
    s[n] = '\0';
    text_append(t, s);
}

tt_status tt_ioctl_execute(tt_state *st, const tt_ioctl_request *req, void *out,
                           size_t out_len, size_t *bytes_returned, bool *media_changed)
{
    uint8_t *o = (uint8_t *)out;
    if (st == NULL || req == NULL || bytes_returned == NULL || media_changed == NULL ||
        (out == NULL && out_len != 0) || req->function < 1 || req->function > 11) {
        return TT_E_INVALID_PARAMETER;
    }
    if (out_len < sizes[req->function].out_min) {
        return TT_E_BUFFER_TOO_SMALL;
    }
    *media_changed = false;
    /* Configuration requests report one byte, as tap0901 does, but never
     * more than the caller's output buffer holds. */
    size_t config_ack = out_len >= 1 ? 1 : 0;
    *bytes_returned = 0;

    switch (req->code) {
    case TUNTAP_TAP_IOCTL_GET_MAC:
        tt_copy(o, st->mac, TUNTAP_TAP_MAC_SIZE);
        *bytes_returned = TUNTAP_TAP_MAC_SIZE;
        break;
    case TUNTAP_TAP_IOCTL_GET_VERSION:
        tt_put_le32(o, TUNTAP_TAP_ABI_VERSION_MAJOR);
        tt_put_le32(o + 4, TUNTAP_TAP_ABI_VERSION_MINOR);
        tt_put_le32(o + 8, st->debug_build ? 1u : 0u);
        *bytes_returned = TUNTAP_TAP_VERSION_SIZE;
        break;
    case TUNTAP_TAP_IOCTL_GET_MTU:
        tt_put_le32(o, st->mtu);
        *bytes_returned = TUNTAP_TAP_MTU_SIZE;
        break;
    case TUNTAP_TAP_IOCTL_GET_INFO: {
        /* Fields assigned, not a non-constant initializer (MSVC C4204). */
        text_buf t;
        t.p = (char *)o;
        t.cap = out_len;
        t.len = 0;
        text_append(&t, TUNTAP_TAP_COMPONENT_ID " mode=");
        text_append(&t, st->mode == TT_MODE_TUN ? "TUN" : "TAP");
        text_append(&t, " media=");
        text_append(&t, tt_state_media_connected(st) ? "connected" : "disconnected");
        text_append(&t, " mtu=");
        text_append_u32(&t, st->mtu);
        text_append(&t, " dhcp=");
        text_append(&t, st->dhcp.enabled ? "on" : "off");
        *bytes_returned = t.len + 1;
        break;
    }
    case TUNTAP_TAP_IOCTL_CONFIG_POINT_TO_POINT:
    case TUNTAP_TAP_IOCTL_CONFIG_TUN:
        st->mode = TT_MODE_TUN;
        st->tun = req->tun;
        *bytes_returned = config_ack;
        break;
    case TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS: {
        bool before = tt_state_media_connected(st);
        st->media_requested = req->value == 1;
        *media_changed = before != tt_state_media_connected(st);
        *bytes_returned = config_ack;
        break;
    }
    case TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ:
        st->dhcp.enabled = true;
        st->dhcp.client_ip = req->dhcp_client_ip;
        st->dhcp.netmask = req->dhcp_netmask;
        st->dhcp.server_ip = req->dhcp_server_ip;
        st->dhcp.lease_seconds = req->dhcp_lease_seconds;
        st->dhcp.user_options_length = 0; /* a new configuration starts clean */
        *bytes_returned = config_ack;
        break;
    case TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT:
        if (!st->dhcp.enabled) {
            return TT_E_INVALID_STATE;
        }
        tt_copy(st->dhcp.user_options, req->options, req->options_length);
        st->dhcp.user_options_length = req->options_length;
        *bytes_returned = config_ack;
        break;
    case TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR:
        st->priority_behavior = req->value;
        *bytes_returned = config_ack;
        break;
    default:
        return TT_E_INVALID_REQUEST;
    }
    return TT_OK;
}
