/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wdk_fake.h - test-side controls of the fake WDK behind tests/stubs/ndis.h.
 */
#ifndef TT_STUB_WDK_FAKE_H
#define TT_STUB_WDK_FAKE_H

#include <ndis.h>

/* Live allocations from NdisAllocateMemoryWithTagPriority (leak check). */
extern long fake_live_allocations;
/* Make the next N allocations fail (0 = none). */
extern int fake_fail_allocations;
/* Spin locks currently held (must be 0 between calls into the glue). */
extern int fake_locks_held;
/* IRPs completed so far. */
extern int fake_completed_irps;
/* NT_ASSERTs that failed so far. */
extern int fake_assert_failures;

/* Prepares a read IRP whose direct-I/O buffer is buf[len]. */
void fake_irp_init_read(PIRP irp, PMDL mdl, void *buf, ULONG len);

/* Cancels irp as the I/O manager would: sets Irp->Cancel and, if a CSQ
 * holds it, runs that CSQ's cancel path (lock, remove, unlock, complete
 * cancelled). Returns TRUE if a CSQ held the IRP. */
BOOLEAN fake_cancel_irp(PIRP irp);

#endif
