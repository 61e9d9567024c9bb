/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes tt_ipv4_parse and tt_udp_parse. */
#include "../../core/tt_ipv4.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tt_ipv4_view ip;
    if (tt_ipv4_parse(data, size, &ip) != TT_OK) {
        return 0;
    }
    FUZZ_ASSERT(ip.header == data);
    FUZZ_ASSERT(ip.header_length >= 20 && ip.header_length <= 60);
    FUZZ_ASSERT(ip.total_length <= size && ip.total_length >= ip.header_length);
    FUZZ_ASSERT(fuzz_within(data, size, ip.payload, ip.payload_length));
    FUZZ_ASSERT(ip.header_length + ip.payload_length == ip.total_length);
    tt_udp_view udp;
    if (tt_udp_parse(&ip, &udp) == TT_OK) {
        FUZZ_ASSERT(ip.protocol == TT_IPV4_PROTO_UDP && !ip.is_fragment);
        FUZZ_ASSERT(fuzz_within(ip.payload, ip.payload_length, udp.payload, udp.payload_length));
    }
    return 0;
}
