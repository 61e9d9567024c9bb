/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_checksum.h"

uint32_t tt_csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
    size_t i = 0;
    /* Fold as we go so that the 32-bit accumulator cannot overflow however
     * many calls are chained (RFC 1071 section 2, "deferred carries"). */
    for (; i + 1 < len; i += 2) {
        sum += ((uint32_t)data[i] << 8) | data[i + 1];
        sum = (sum & 0xFFFFu) + (sum >> 16);
    }
    if (i < len) {
        sum += (uint32_t)data[i] << 8;
        sum = (sum & 0xFFFFu) + (sum >> 16);
    }
    return sum;
}

uint16_t tt_csum_finish(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xFFFFu) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

uint16_t tt_ipv4_header_checksum(const uint8_t *header, size_t header_len)
{
    return tt_csum_finish(tt_csum_add(0, header, header_len));
}

uint32_t tt_csum_ipv4_pseudo(uint32_t src, uint32_t dst, uint8_t protocol,
                             uint16_t l4_length)
{
    uint32_t sum = 0;
    sum += src >> 16;
    sum += src & 0xFFFFu;
    sum += dst >> 16;
    sum += dst & 0xFFFFu;
    sum += protocol;
    sum += l4_length;
    return sum;
}

uint32_t tt_csum_ipv6_pseudo(const uint8_t src[16], const uint8_t dst[16],
                             uint32_t l4_length, uint8_t next_header)
{
    uint32_t sum = tt_csum_add(0, src, 16);
    sum = tt_csum_add(sum, dst, 16);
    sum += l4_length >> 16;
    sum += l4_length & 0xFFFFu;
    sum += next_header;
    return sum;
}
