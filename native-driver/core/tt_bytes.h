/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_bytes.h - byte helpers for core/, which may not call the C library.
 *
 * All accessors take byte pointers and never dereference a wider type, so
 * they are safe on unaligned packet data and independent of host byte order.
 * The caller guarantees that every pointer covers the stated length.
 */
#ifndef TT_BYTES_H
#define TT_BYTES_H

#include "tt_types.h"
#include <stddef.h>

static inline void tt_copy(void *dst, const void *src, size_t len)
{
    uint8_t *d = (uint8_t *)dst;
    const uint8_t *s = (const uint8_t *)src;
    while (len-- > 0) {
        *d++ = *s++;
    }
}

static inline void tt_fill(void *dst, uint8_t value, size_t len)
{
    uint8_t *d = (uint8_t *)dst;
    while (len-- > 0) {
        *d++ = value;
    }
}

static inline bool tt_equal(const void *a, const void *b, size_t len)
{
    const uint8_t *x = (const uint8_t *)a;
    const uint8_t *y = (const uint8_t *)b;
    for (size_t i = 0; i < len; i++) {
        if (x[i] != y[i]) {
            return false;
        }
    }
    return true;
}

static inline uint16_t tt_get_be16(const uint8_t *p)
{
    return (uint16_t)(((uint16_t)p[0] << 8) | p[1]);
}

static inline uint32_t tt_get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline uint32_t tt_get_le32(const uint8_t *p)
{
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[1] << 8) | (uint32_t)p[0];
}

static inline void tt_put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void tt_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void tt_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#endif /* TT_BYTES_H */
