/* SPDX-License-Identifier: Apache-2.0 */
/* Runner of the glue/ logic tests (portable glue files + tests/stubs). */
#include "../support/harness.h"

void suite_adapter_state(void);
void suite_oid(void);
void suite_read_queue(void);
void suite_status_map(void);

int main(void)
{
    suite_adapter_state();
    suite_oid();
    suite_read_queue();
    suite_status_map();
    return harness_finish("glue");
}
