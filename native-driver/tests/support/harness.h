/* SPDX-License-Identifier: Apache-2.0 */
/*
 * harness.h - the minimal test harness shared by the core and glue suites.
 *
 * A test is a void function using CHECK*; the first failing check reports
 * file:line and ends the test. RUN(fn) counts it. harness_finish() prints
 * "RESULT <suite> passed=N failed=M" (parsed by tests/check.sh) and returns
 * the process exit status. Uses only hosted C99, so the same binary builds
 * with gcc on Linux and with mingw-w64 for wine.
 */
#ifndef TT_HARNESS_H
#define TT_HARNESS_H

#include <stdbool.h>
#include <stdio.h>

extern int harness_passed;
extern int harness_failed;
extern bool harness_current_failed;

void harness_fail(const char *file, int line, const char *what, long long a, long long b);
void harness_run(const char *name, void (*fn)(void));
int harness_finish(const char *suite);

#define RUN(fn) harness_run(#fn, fn)

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (!(cond)) {                                                        \
            harness_fail(__FILE__, __LINE__, #cond, 0, 0);                    \
            return;                                                           \
        }                                                                     \
    } while (0)

#define CHECK_EQ(a, b)                                                        \
    do {                                                                      \
        long long check_a_ = (long long)(a);                                  \
        long long check_b_ = (long long)(b);                                  \
        if (check_a_ != check_b_) {                                           \
            harness_fail(__FILE__, __LINE__, #a " == " #b, check_a_, check_b_); \
            return;                                                           \
        }                                                                     \
    } while (0)

#define CHECK_MEM(a, b, n) CHECK(memcmp((a), (b), (n)) == 0)

#endif /* TT_HARNESS_H */
