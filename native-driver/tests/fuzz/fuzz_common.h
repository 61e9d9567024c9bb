/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_common.h - shared pieces of the libFuzzer targets.
 *
 * Each target feeds arbitrary bytes to one parser and then checks the
 * invariants its header promises (lengths within buffers, consistent
 * views). ASan catches any read or write outside the exact-size heap
 * buffers used here; FUZZ_ASSERT turns a broken invariant into a crash
 * that libFuzzer reports and saves.
 */
#ifndef TT_FUZZ_COMMON_H
#define TT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                     \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "invariant violated: %s (%s:%d)\n", #cond,        \
                    __FILE__, __LINE__);                                      \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* True if [p, p + n) lies inside [base, base + len). */
static inline int fuzz_within(const uint8_t *base, size_t len, const uint8_t *p, size_t n)
{
    return p >= base && n <= len && (size_t)(p - base) <= len - n;
}

/* A heap copy of exactly len bytes (at least one allocated), so that ASan
 * flags any access past the end. Free with free(). */
static inline uint8_t *fuzz_dup(const uint8_t *data, size_t len)
{
    uint8_t *p = (uint8_t *)malloc(len > 0 ? len : 1);
    if (p == NULL) {
        abort();
    }
    if (len > 0) {
        memcpy(p, data, len);
    }
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* TT_FUZZ_COMMON_H */
