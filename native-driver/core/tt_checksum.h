/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_checksum.h - the Internet checksum (RFC 1071) and the pseudo-headers of
 * UDP over IPv4 (RFC 768) and ICMPv6 over IPv6 (RFC 8200 section 8.1).
 *
 * Sums are accumulated unfolded in a uint32_t; tt_csum_finish folds and
 * complements. Pure functions: no state, no failure, inputs only read.
 */
#ifndef TT_CHECKSUM_H
#define TT_CHECKSUM_H

#include <stddef.h>
#include "tt_types.h"

/* Adds len bytes at data (big-endian 16-bit words, odd tail padded with a
 * zero byte) to sum. len may be 0. When chaining calls, only the last chunk
 * may have an odd length. The result is partially folded, so chains of any
 * length cannot overflow. */
uint32_t tt_csum_add(uint32_t sum, const uint8_t *data, size_t len);

/* Folds the carries and returns the one's complement, ready to store. */
uint16_t tt_csum_finish(uint32_t sum);

/* Checksum of an IPv4 header whose checksum field is treated as-is; a valid
 * header yields 0 and a header with the field zeroed yields the value to
 * store. */
uint16_t tt_ipv4_header_checksum(const uint8_t *header, size_t header_len);

/* Start value for a UDP checksum over IPv4: the RFC 768 pseudo-header
 * (addresses in host order, protocol 17, the UDP length). */
uint32_t tt_csum_ipv4_pseudo(uint32_t src, uint32_t dst, uint8_t protocol,
                             uint16_t l4_length);

/* Start value for an upper-layer checksum over IPv6 (RFC 8200 8.1): the two
 * 16-byte addresses, the 32-bit upper-layer length and the next header. */
uint32_t tt_csum_ipv6_pseudo(const uint8_t src[16], const uint8_t dst[16],
                             uint32_t l4_length, uint8_t next_header);

#endif /* TT_CHECKSUM_H */
