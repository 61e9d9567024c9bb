/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes tt_ipv6_parse, tt_nd_parse_solicitation and the NA builder. */
#include "../../core/tt_checksum.h"
#include "../../core/tt_ipv6_nd.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t requester[6] = {0x02, 9, 9, 9, 9, 9};
    static const uint8_t responder[6] = {0x06, 1, 2, 3, 4, 5};
    tt_ipv6_view ip;
    if (tt_ipv6_parse(data, size, &ip) != TT_OK) {
        return 0;
    }
    FUZZ_ASSERT(fuzz_within(data, size, ip.payload, ip.payload_length));
    FUZZ_ASSERT(fuzz_within(data, size, ip.src, 16) && fuzz_within(data, size, ip.dst, 16));
    tt_nd_solicitation ns;
    if (tt_nd_parse_solicitation(&ip, &ns) != TT_OK) {
        return 0;
    }
    FUZZ_ASSERT(fuzz_within(ip.payload, ip.payload_length, ns.target, 16));
    FUZZ_ASSERT(ns.target[0] != 0xFF);
    uint8_t *out = (uint8_t *)malloc(TT_ND_NA_FRAME_LEN);
    size_t len = 0;
    tt_status s = tt_nd_build_advertisement(&ip, &ns, requester, responder, out,
                                            TT_ND_NA_FRAME_LEN, &len);
    if (ns.source_unspecified) {
        FUZZ_ASSERT(s == TT_E_INVALID_PARAMETER);
    } else {
        FUZZ_ASSERT(s == TT_OK && len == TT_ND_NA_FRAME_LEN);
        const uint8_t *v6 = out + 14;
        uint32_t sum = tt_csum_ipv6_pseudo(v6 + 8, v6 + 24, TT_ND_NA_LEN, 58);
        FUZZ_ASSERT(tt_csum_finish(tt_csum_add(sum, v6 + 40, TT_ND_NA_LEN)) == 0);
    }
    free(out);
    return 0;
}
