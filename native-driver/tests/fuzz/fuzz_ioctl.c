/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes IOCTL decoding and execution. Input: byte 0 picks the code (one of
 * the eleven, or raw bytes 1..4 as a code when >= 12), byte 1 the output
 * buffer length, the rest is the input buffer. A second request starts at
 * the input's midpoint and runs on the same state, so that sequences such as
 * CONFIG_DHCP_MASQ followed by CONFIG_DHCP_SET_OPT are reached.
 */
#include <string.h>

#include "../../abi/tuntap_tap_ioctl.h"
#include "../../core/tt_ether.h"
#include "../../core/tt_ioctl.h"
#include "fuzz_common.h"

static void one_request(tt_state *st, const uint8_t *data, size_t size)
{
    if (size < 2) {
        return;
    }
    uint32_t code;
    size_t header = 2;
    if (data[0] >= 1 && data[0] <= 11) {
        code = TUNTAP_TAP_CONTROL_CODE(data[0]);
    } else if (size >= 6) {
        code = (uint32_t)data[2] | ((uint32_t)data[3] << 8) | ((uint32_t)data[4] << 16) |
               ((uint32_t)data[5] << 24);
        header = 6;
    } else {
        return;
    }
    size_t out_len = data[1];
    const uint8_t *in = data + header;
    size_t in_len = size - header;
    uint8_t *in_copy = fuzz_dup(in, in_len);
    uint8_t *out = (uint8_t *)malloc(out_len > 0 ? out_len : 1);

    tt_ioctl_request req;
    tt_status s = tt_ioctl_decode(code, in_len > 0 ? in_copy : NULL, in_len, out_len, &req);
    if (s == TT_OK) {
        size_t returned = 0;
        bool changed = false;
        s = tt_ioctl_execute(st, &req, out_len > 0 ? out : NULL, out_len, &returned, &changed);
        FUZZ_ASSERT(returned <= out_len);
        if (s != TT_OK) {
            FUZZ_ASSERT(s == TT_E_INVALID_STATE);
        }
    }
    FUZZ_ASSERT(st->mtu >= TT_MTU_MIN && st->mtu <= TT_MTU_MAX);
    FUZZ_ASSERT(st->dhcp.user_options_length <= TT_DHCP_USER_OPTIONS_MAX);
    if (st->mode == TT_MODE_TUN) {
        FUZZ_ASSERT((st->tun.remote_network & ~st->tun.remote_netmask) == 0);
    }
    free(in_copy);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t mac[6] = {0x02, 1, 2, 3, 4, 5};
    tt_state st;
    tt_state_init(&st, mac, 1500, TT_MEDIA_APPLICATION_CONTROLLED, false);
    /* Enable DHCP first so that SET_OPT requests reach their validation. */
    if (size > 0 && (data[0] & 0x80u) != 0) {
        st.dhcp.enabled = true;
    }
    one_request(&st, data, size);
    if (size > 8) {
        one_request(&st, data + size / 2, size - size / 2);
    }
    return 0;
}
