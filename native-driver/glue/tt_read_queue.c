/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_read_queue.h"

/* ---- IO_CSQ callbacks ("Cancel-Safe IRP Queues", WDK docs) -------------- */

static TT_READ_QUEUE *QueueFromCsq(PIO_CSQ Csq)
{
    return CONTAINING_RECORD(Csq, TT_READ_QUEUE, Csq);
}

/* DriverContext[0] holds the read's epoch; [3] belongs to the IO_CSQ. */
static ULONG IrpEpoch(PIRP Irp)
{
    return (ULONG)(ULONG_PTR)Irp->Tail.Overlay.DriverContext[0];
}

/* What CsqPeekNextIrp looks for (its PeekContext); NULL = any IRP. */
typedef struct _TT_PEEK {
    ULONG Epoch;
    BOOLEAN Stale; /* TRUE: an IRP of another epoch; FALSE: of this one */
} TT_PEEK;

static ULONG peek_epoch(const TT_PEEK *Peek)
{
    return Peek == NULL ? 0 : Peek->Epoch;
}

/* One IRP the queue owned has been completed. Nothing of Q may be touched
 * after this: TtReadQueueDrain may be waiting to free it. */
static VOID IrpDone(PTT_READ_QUEUE Q)
{
    if (InterlockedDecrement(&Q->IrpCount) == 0) {
        KeSetEvent(&Q->Drained, IO_NO_INCREMENT, FALSE);
    }
}

static VOID CsqInsertIrp(PIO_CSQ Csq, PIRP Irp)
{
    TT_READ_QUEUE *q = QueueFromCsq(Csq);
    InterlockedIncrement(&q->IrpCount);
    InsertTailList(&q->PendingReads, &Irp->Tail.Overlay.ListEntry);
}

static VOID CsqRemoveIrp(PIO_CSQ Csq, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Csq);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
}

/* Reads are served oldest first; PeekContext (a TT_PEEK, or NULL for any)
 * selects by epoch. */
static PIRP CsqPeekNextIrp(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext)
{
    TT_READ_QUEUE *q = QueueFromCsq(Csq);
    const TT_PEEK *peek = (const TT_PEEK *)PeekContext;
    PLIST_ENTRY next = Irp == NULL ? q->PendingReads.Flink : Irp->Tail.Overlay.ListEntry.Flink;
    for (; next != &q->PendingReads; next = next->Flink) {
        PIRP candidate = CONTAINING_RECORD(next, IRP, Tail.Overlay.ListEntry);
        BOOLEAN stale = IrpEpoch(candidate) != peek_epoch(peek);
        if (peek == NULL || stale == peek->Stale) {
            return candidate;
        }
    }
    return NULL;
}

/* The CSQ lock callbacks acquire in one call and release in another, which
 * a per-function lock analysis cannot follow. */
#ifndef TT_NO_LOCK_ANALYSIS
#define TT_NO_LOCK_ANALYSIS
#endif

static TT_NO_LOCK_ANALYSIS VOID CsqAcquireLock(PIO_CSQ Csq, PKIRQL Irql)
{
    KeAcquireSpinLock(&QueueFromCsq(Csq)->CsqLock, Irql);
}

static TT_NO_LOCK_ANALYSIS VOID CsqReleaseLock(PIO_CSQ Csq, KIRQL Irql)
{
    KeReleaseSpinLock(&QueueFromCsq(Csq)->CsqLock, Irql);
}

static VOID CsqCompleteCanceledIrp(PIO_CSQ Csq, PIRP Irp)
{
    TT_READ_QUEUE *q = QueueFromCsq(Csq);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NETWORK_INCREMENT);
    IrpDone(q);
}

/* ---- packets -------------------------------------------------------------- */

PTT_PACKET TtPacketAllocate(PTT_READ_QUEUE Q, ULONG Length)
{
    PTT_PACKET p = (PTT_PACKET)NdisAllocateMemoryWithTagPriority(
        Q->AllocationHandle, (UINT)(FIELD_OFFSET(TT_PACKET, Data) + Length), TT_POOL_TAG,
        NormalPoolPriority);
    if (p != NULL) {
        p->Length = Length;
    }
    return p;
}

VOID TtPacketFree(PTT_READ_QUEUE Q, PTT_PACKET Packet)
{
    NdisFreeMemoryWithTagPriority(Q->AllocationHandle, Packet, TT_POOL_TAG);
}

VOID TtReadQueueInitialize(PTT_READ_QUEUE Q, NDIS_HANDLE AllocationHandle)
{
    NdisZeroMemory(Q, sizeof(*Q));
    Q->AllocationHandle = AllocationHandle;
    KeInitializeSpinLock(&Q->PairLock);
    KeInitializeSpinLock(&Q->CsqLock);
    InitializeListHead(&Q->PendingReads);
    Q->Epoch = 0;
    Q->IrpCount = 1; /* the bias TtReadQueueDrain drops */
    KeInitializeEvent(&Q->Drained, NotificationEvent, FALSE);
    tt_queue_init(&Q->Packets, Q->Slots, TT_PACKET_QUEUE_SLOTS, TT_PACKET_QUEUE_BYTES);
    IoCsqInitialize(&Q->Csq, CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock,
                    CsqReleaseLock, CsqCompleteCanceledIrp);
}

/* Copies Packet into the read's buffer and completes the IRP; frees the
 * packet. Called with no lock held. */
static VOID CompleteRead(PTT_READ_QUEUE Q, PIRP Irp, PTT_PACKET Packet)
{
    KIRQL irql;
    ULONG capacity = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    /* MdlMappingNoExecute: the frame is data (Windows 8 and later). */
    PVOID buffer = MmGetSystemAddressForMdlSafe(Irp->MdlAddress,
                                                NormalPagePriority | MdlMappingNoExecute);
    NTSTATUS status;
    BOOLEAN too_small = FALSE;
    if (buffer == NULL) {
        status = STATUS_INSUFFICIENT_RESOURCES;
        Irp->IoStatus.Information = 0;
    } else if (Packet->Length > capacity) {
        status = STATUS_BUFFER_OVERFLOW;
        Irp->IoStatus.Information = 0;
        too_small = TRUE;
    } else {
        NdisMoveMemory(buffer, Packet->Data, Packet->Length);
        status = STATUS_SUCCESS;
        Irp->IoStatus.Information = Packet->Length;
    }
    TtPacketFree(Q, Packet);

    KeAcquireSpinLock(&Q->PairLock, &irql);
    if (too_small) {
        Q->ReadsTooSmall++;
    } else if (status == STATUS_SUCCESS) {
        Q->ReadsCompleted++;
    }
    KeReleaseSpinLock(&Q->PairLock, irql);

    Irp->IoStatus.Status = status;
    IoCompleteRequest(Irp, IO_NETWORK_INCREMENT);
    IrpDone(Q);
}

static VOID CompleteCancelled(PTT_READ_QUEUE Q, PIRP Irp)
{
    Irp->IoStatus.Status = STATUS_CANCELLED;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NETWORK_INCREMENT);
    IrpDone(Q);
}

/* Completes reads left from an older epoch, then matches waiting reads of
 * the current epoch with waiting packets until one side is empty. */
static VOID Pump(PTT_READ_QUEUE Q)
{
    for (;;) {
        KIRQL irql;
        void *packet = NULL;
        uint32_t length = 0;
        TT_PEEK peek;
        PIRP irp;
        KeAcquireSpinLock(&Q->PairLock, &irql);
        peek.Epoch = Q->Epoch;
        peek.Stale = TRUE;
        irp = IoCsqRemoveNextIrp(&Q->Csq, &peek);
        if (irp != NULL) {
            KeReleaseSpinLock(&Q->PairLock, irql);
            CompleteCancelled(Q, irp);
            continue;
        }
        if (tt_queue_count(&Q->Packets) == 0) {
            KeReleaseSpinLock(&Q->PairLock, irql);
            return;
        }
        peek.Stale = FALSE;
        irp = IoCsqRemoveNextIrp(&Q->Csq, &peek);
        if (irp == NULL) {
            KeReleaseSpinLock(&Q->PairLock, irql);
            return;
        }
        tt_queue_pop(&Q->Packets, &packet, &length);
        KeReleaseSpinLock(&Q->PairLock, irql);
        CompleteRead(Q, irp, (PTT_PACKET)packet);
    }
}

NTSTATUS TtReadQueueSubmit(PTT_READ_QUEUE Q, PIRP Irp, ULONG Epoch)
{
    KIRQL irql;
    BOOLEAN current;
    if (IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length == 0 ||
        Irp->MdlAddress == NULL) {
        Irp->IoStatus.Status = STATUS_INVALID_PARAMETER;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NETWORK_INCREMENT);
        return STATUS_INVALID_PARAMETER;
    }
    KeAcquireSpinLock(&Q->PairLock, &irql);
    current = Epoch != 0 && Epoch == Q->Epoch;
    KeReleaseSpinLock(&Q->PairLock, irql);
    if (!current) {
        /* The handle has been cleaned up: no more reads for it. */
        Irp->IoStatus.Status = STATUS_FILE_CLOSED;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NETWORK_INCREMENT);
        return STATUS_FILE_CLOSED;
    }
    /* If the epoch ends between the check and the insertion, the pump
     * below (or the flush of TtReadQueueClose) completes the IRP. */
    Irp->Tail.Overlay.DriverContext[0] = (PVOID)(ULONG_PTR)Epoch;
    /* Marks the IRP pending. If it was cancelled already, the CSQ completes
     * it through CsqCompleteCanceledIrp; that is a pending completion too. */
    IoCsqInsertIrp(&Q->Csq, Irp, NULL);
    Pump(Q);
    return STATUS_PENDING;
}

BOOLEAN TtReadQueueDeliver(PTT_READ_QUEUE Q, PTT_PACKET Packet, ULONG Epoch)
{
    KIRQL irql;
    KeAcquireSpinLock(&Q->PairLock, &irql);
    if (Epoch == 0 || Epoch != Q->Epoch ||
        tt_queue_push(&Q->Packets, Packet, Packet->Length) != TT_OK) {
        Q->PacketsDropped++;
        KeReleaseSpinLock(&Q->PairLock, irql);
        TtPacketFree(Q, Packet);
        return FALSE;
    }
    KeReleaseSpinLock(&Q->PairLock, irql);
    Pump(Q);
    return TRUE;
}

VOID TtReadQueueOpen(PTT_READ_QUEUE Q, ULONG Epoch)
{
    KIRQL irql;
    KeAcquireSpinLock(&Q->PairLock, &irql);
    Q->Epoch = Epoch;
    KeReleaseSpinLock(&Q->PairLock, irql);
}

VOID TtReadQueueClose(PTT_READ_QUEUE Q)
{
    KIRQL irql;
    KeAcquireSpinLock(&Q->PairLock, &irql);
    Q->Epoch = 0;
    KeReleaseSpinLock(&Q->PairLock, irql);
    TtReadQueueFlush(Q);
}

_Use_decl_annotations_
VOID TtReadQueueDrain(PTT_READ_QUEUE Q)
{
    if (InterlockedDecrement(&Q->IrpCount) != 0) {
        (void)KeWaitForSingleObject(&Q->Drained, Executive, KernelMode, FALSE, NULL);
    }
}

VOID TtReadQueueFlush(PTT_READ_QUEUE Q)
{
    PIRP irp;
    while ((irp = IoCsqRemoveNextIrp(&Q->Csq, NULL)) != NULL) {
        CompleteCancelled(Q, irp);
    }
    for (;;) {
        KIRQL irql;
        void *packet = NULL;
        uint32_t length = 0;
        KeAcquireSpinLock(&Q->PairLock, &irql);
        BOOLEAN got = tt_queue_pop(&Q->Packets, &packet, &length);
        if (got) {
            Q->PacketsDropped++;
        }
        KeReleaseSpinLock(&Q->PairLock, irql);
        if (!got) {
            break;
        }
        TtPacketFree(Q, (PTT_PACKET)packet);
    }
}
