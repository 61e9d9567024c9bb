/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wdk_fake.c - Linux implementations of the WDK routines declared by the
 * stub ndis.h, following their documented contracts:
 *   - IoCsqInsertIrp marks the IRP pending and inserts it under the CSQ
 *     lock; an IRP already cancelled is handed to CsqCompleteCanceledIrp.
 *   - IoCsqRemoveNextIrp peeks and removes under the lock and returns NULL
 *     when the queue is empty.
 *   - A cancelled queued IRP is removed under the lock, then completed by
 *     CsqCompleteCanceledIrp outside it.
 * Plus counters the tests check: allocations, held locks, completions.
 */
#include "wdk_fake.h"

#include <stdlib.h>
#include <string.h>

long fake_live_allocations;
int fake_fail_allocations;
int fake_locks_held;
int fake_completed_irps;
int fake_assert_failures;

VOID FakeNtAssertFailed(const char *Expression)
{
    (void)Expression;
    fake_assert_failures++;
}

PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP Irp)
{
    return &Irp->Stack;
}

VOID IoMarkIrpPending(PIRP Irp)
{
    Irp->Pending = TRUE;
}

VOID IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost)
{
    (void)PriorityBoost;
    if (Irp->Completed || fake_locks_held != 0) {
        abort(); /* double completion, or completion under a spin lock */
    }
    Irp->Completed = TRUE;
    fake_completed_irps++;
}

PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority)
{
    (void)Priority;
    return Mdl == NULL ? NULL : Mdl->MappedSystemVa;
}

NTSTATUS IoCsqInitialize(PIO_CSQ Csq, IO_CSQ_INSERT_IRP *InsertIrp, IO_CSQ_REMOVE_IRP *RemoveIrp,
                         IO_CSQ_PEEK_NEXT_IRP *PeekNextIrp, IO_CSQ_ACQUIRE_LOCK *AcquireLock,
                         IO_CSQ_RELEASE_LOCK *ReleaseLock,
                         IO_CSQ_COMPLETE_CANCELED_IRP *CompleteCanceledIrp)
{
    Csq->CsqInsertIrp = InsertIrp;
    Csq->CsqRemoveIrp = RemoveIrp;
    Csq->CsqPeekNextIrp = PeekNextIrp;
    Csq->CsqAcquireLock = AcquireLock;
    Csq->CsqReleaseLock = ReleaseLock;
    Csq->CsqCompleteCanceledIrp = CompleteCanceledIrp;
    return STATUS_SUCCESS;
}

VOID IoCsqInsertIrp(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context)
{
    (void)Context;
    KIRQL irql;
    Csq->CsqAcquireLock(Csq, &irql);
    IoMarkIrpPending(Irp);
    if (Irp->Cancel) {
        Csq->CsqReleaseLock(Csq, irql);
        Csq->CsqCompleteCanceledIrp(Csq, Irp);
        return;
    }
    Csq->CsqInsertIrp(Csq, Irp);
    Irp->Tail.Overlay.CsqContext = Csq;
    Csq->CsqReleaseLock(Csq, irql);
}

PIRP IoCsqRemoveNextIrp(PIO_CSQ Csq, PVOID PeekContext)
{
    KIRQL irql;
    Csq->CsqAcquireLock(Csq, &irql);
    PIRP irp = Csq->CsqPeekNextIrp(Csq, NULL, PeekContext);
    if (irp != NULL) {
        Csq->CsqRemoveIrp(Csq, irp);
        irp->Tail.Overlay.CsqContext = NULL;
    }
    Csq->CsqReleaseLock(Csq, irql);
    return irp;
}

BOOLEAN fake_cancel_irp(PIRP irp)
{
    irp->Cancel = TRUE;
    PIO_CSQ csq = (PIO_CSQ)irp->Tail.Overlay.CsqContext;
    if (csq == NULL) {
        return FALSE;
    }
    KIRQL irql;
    csq->CsqAcquireLock(csq, &irql);
    csq->CsqRemoveIrp(csq, irp);
    irp->Tail.Overlay.CsqContext = NULL;
    csq->CsqReleaseLock(csq, irql);
    csq->CsqCompleteCanceledIrp(csq, irp);
    return TRUE;
}

VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock)
{
    *SpinLock = 0;
}

VOID KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql)
{
    if (*SpinLock != 0) {
        abort(); /* recursive acquisition deadlocks on Windows */
    }
    *SpinLock = 1;
    *OldIrql = 0;
    fake_locks_held++;
}

VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    (void)NewIrql;
    if (*SpinLock != 1) {
        abort(); /* release of a lock not held */
    }
    *SpinLock = 0;
    fake_locks_held--;
}

PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                        EX_POOL_PRIORITY Priority)
{
    (void)NdisHandle;
    (void)Tag;
    (void)Priority;
    if (fake_fail_allocations > 0) {
        fake_fail_allocations--;
        return NULL;
    }
    void *p = malloc(Length);
    if (p != NULL) {
        fake_live_allocations++;
    }
    return p;
}

VOID NdisFreeMemoryWithTagPriority(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, ULONG Tag)
{
    (void)NdisHandle;
    (void)Tag;
    free(VirtualAddress);
    fake_live_allocations--;
}

VOID NdisMoveMemory(PVOID Destination, const void *Source, ULONG Length)
{
    memcpy(Destination, Source, Length);
}

VOID NdisZeroMemory(PVOID Destination, ULONG Length)
{
    memset(Destination, 0, Length);
}

void fake_irp_init_read(PIRP irp, PMDL mdl, void *buf, ULONG len)
{
    memset(irp, 0, sizeof(*irp));
    mdl->MappedSystemVa = buf;
    mdl->ByteCount = len;
    irp->MdlAddress = len > 0 ? mdl : NULL;
    irp->Stack.MajorFunction = 3; /* IRP_MJ_READ */
    irp->Stack.Parameters.Read.Length = len;
}

VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    (void)Type;
    Event->Signaled = State;
}

LONG KeSetEvent(PKEVENT Event, LONG Increment, BOOLEAN Wait)
{
    (void)Increment;
    (void)Wait;
    LONG was = Event->Signaled;
    Event->Signaled = 1;
    return was;
}

NTSTATUS KeWaitForSingleObject(PVOID Object, int WaitReason, int WaitMode, BOOLEAN Alertable,
                               PVOID Timeout)
{
    (void)WaitReason;
    (void)WaitMode;
    (void)Alertable;
    (void)Timeout;
    if (((PKEVENT)Object)->Signaled == 0) {
        abort(); /* single-threaded: a wait that is not satisfied never will be */
    }
    return STATUS_SUCCESS;
}
