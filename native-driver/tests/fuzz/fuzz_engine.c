/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the data-path decisions in both directions. Byte 0 selects the
 * adapter configuration (TAP/TUN, DHCP masquerade on/off); the rest is the
 * frame (host direction) and the packet (user direction).
 */
#include "../../core/tt_engine.h"
#include "../../core/tt_ether.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t mac[6] = {0x02, 0x50, 0x51, 0x52, 0x53, 0x54};
    if (size < 1) {
        return 0;
    }
    tt_state st;
    tt_state_init(&st, mac, 1500, TT_MEDIA_ALWAYS_CONNECTED, false);
    if (data[0] & 1u) {
        st.mode = TT_MODE_TUN;
        st.tun.local_ip = 0x0A080002;
        st.tun.remote_network = (data[0] & 4u) ? 0x0A080000 : 0x0A080001;
        st.tun.remote_netmask = (data[0] & 4u) ? 0xFFFFFF00 : 0xFFFFFFFF;
    }
    if (data[0] & 2u) {
        st.dhcp.enabled = true;
        st.dhcp.client_ip = 0x0A080006;
        st.dhcp.netmask = 0xFFFFFFFC;
        st.dhcp.server_ip = 0x0A080005;
        st.dhcp.lease_seconds = 120;
    }
    const uint8_t *frame_src = data + 1;
    size_t len = size - 1;
    uint8_t *frame = fuzz_dup(frame_src, len);
    uint8_t *reply = (uint8_t *)malloc(TT_ENGINE_REPLY_MAX);

    tt_host_frame_result r;
    FUZZ_ASSERT(tt_engine_host_frame(&st, frame, len, reply, TT_ENGINE_REPLY_MAX, &r) == TT_OK);
    switch (r.verdict) {
    case TT_VERDICT_TO_USER:
        FUZZ_ASSERT(r.user_offset <= len && r.user_length <= len - r.user_offset);
        if (st.mode == TT_MODE_TUN) {
            FUZZ_ASSERT(r.user_offset == 14 && r.user_length >= 20);
        }
        break;
    case TT_VERDICT_REPLY:
        FUZZ_ASSERT(r.reply_length >= 14 && r.reply_length <= TT_ENGINE_REPLY_MAX);
        break;
    case TT_VERDICT_DROP:
        FUZZ_ASSERT(r.reason != TT_DROP_NONE);
        break;
    }

    size_t cap = tt_engine_user_frame_length(&st, len);
    uint8_t *out = (uint8_t *)malloc(cap > 0 ? cap : 1);
    size_t out_len = 0;
    if (tt_engine_user_write(&st, frame, len, out, cap, &out_len) == TT_OK) {
        FUZZ_ASSERT(out_len == cap);
        FUZZ_ASSERT(out_len <= TT_FRAME_MAX);
    }
    free(out);
    free(reply);
    free(frame);
    return 0;
}
