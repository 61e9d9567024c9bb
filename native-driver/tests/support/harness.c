/* SPDX-License-Identifier: Apache-2.0 */
#include "harness.h"

int harness_passed;
int harness_failed;
bool harness_current_failed;

void harness_fail(const char *file, int line, const char *what, long long a, long long b)
{
    harness_current_failed = true;
    printf("    FAIL %s:%d: %s (%lld vs %lld)\n", file, line, what, a, b);
}

void harness_run(const char *name, void (*fn)(void))
{
    harness_current_failed = false;
    fn();
    if (harness_current_failed) {
        harness_failed++;
        printf("  not ok %s\n", name);
    } else {
        harness_passed++;
        printf("  ok %s\n", name);
    }
    fflush(stdout);
}

int harness_finish(const char *suite)
{
    printf("RESULT %s passed=%d failed=%d\n", suite, harness_passed, harness_failed);
    fflush(stdout);
    return harness_failed == 0 ? 0 : 1;
}
