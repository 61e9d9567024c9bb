/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes tt_arp_parse and tt_arp_build_reply. */
#include "../../core/tt_arp.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t mac[6] = {0x02, 1, 2, 3, 4, 5};
    tt_arp_view arp;
    if (tt_arp_parse(data, size, &arp) != TT_OK) {
        return 0;
    }
    FUZZ_ASSERT(size >= TT_ARP_PACKET_LEN);
    uint8_t *out = (uint8_t *)malloc(TT_ARP_FRAME_LEN);
    size_t len = 0;
    tt_status s = tt_arp_build_reply(&arp, mac, out, TT_ARP_FRAME_LEN, &len);
    FUZZ_ASSERT(s == (arp.op == TT_ARP_OP_REQUEST ? TT_OK : TT_E_INVALID_PARAMETER));
    if (s == TT_OK) {
        FUZZ_ASSERT(len == TT_ARP_FRAME_LEN);
        tt_arp_view back;
        FUZZ_ASSERT(tt_arp_parse(out + 14, len - 14, &back) == TT_OK);
        FUZZ_ASSERT(back.op == TT_ARP_OP_REPLY && back.sender_ip == arp.target_ip &&
                    back.target_ip == arp.sender_ip);
    }
    free(out);
    return 0;
}
