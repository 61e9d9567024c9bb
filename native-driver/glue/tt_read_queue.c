/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_read_queue.h"

/* ---- IO_CSQ callbacks ("Cancel-Safe IRP Queues", WDK docs) -------------- */

static TT_READ_QUEUE *QueueFromCsq(PIO_CSQ Csq)
{
    return CONTAINING_RECORD(Csq, TT_READ_QUEUE, Csq);
}

static VOID CsqInsertIrp(PIO_CSQ Csq, PIRP Irp)
{
    InsertTailList(&QueueFromCsq(Csq)->PendingReads, &Irp->Tail.Overlay.ListEntry);
}

static VOID CsqRemoveIrp(PIO_CSQ Csq, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Csq);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
}

/* Reads are served oldest first; no peek context is used. */
static PIRP CsqPeekNextIrp(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext)
{
    TT_READ_QUEUE *q = QueueFromCsq(Csq);
    PLIST_ENTRY next = Irp == NULL ? q->PendingReads.Flink : Irp->Tail.Overlay.ListEntry.Flink;
    UNREFERENCED_PARAMETER(PeekContext);
    return next == &q->PendingReads ? NULL : CONTAINING_RECORD(next, IRP, Tail.Overlay.ListEntry);
}

static VOID CsqAcquireLock(PIO_CSQ Csq, PKIRQL Irql)
{
    KeAcquireSpinLock(&QueueFromCsq(Csq)->CsqLock, Irql);
}

static VOID CsqReleaseLock(PIO_CSQ Csq, KIRQL Irql)
{
    KeReleaseSpinLock(&QueueFromCsq(Csq)->CsqLock, Irql);
}

static VOID CsqCompleteCanceledIrp(PIO_CSQ Csq, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Csq);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NETWORK_INCREMENT);
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
}

/* Matches waiting reads with waiting packets until one side is empty. */
static VOID Pump(PTT_READ_QUEUE Q)
{
    for (;;) {
        KIRQL irql;
        void *packet = NULL;
        uint32_t length = 0;
        KeAcquireSpinLock(&Q->PairLock, &irql);
        if (tt_queue_count(&Q->Packets) == 0) {
            KeReleaseSpinLock(&Q->PairLock, irql);
            return;
        }
        PIRP irp = IoCsqRemoveNextIrp(&Q->Csq, NULL);
        if (irp == NULL) {
            KeReleaseSpinLock(&Q->PairLock, irql);
            return;
        }
        tt_queue_pop(&Q->Packets, &packet, &length);
        KeReleaseSpinLock(&Q->PairLock, irql);
        CompleteRead(Q, irp, (PTT_PACKET)packet);
    }
}

NTSTATUS TtReadQueueSubmit(PTT_READ_QUEUE Q, PIRP Irp)
{
    if (IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length == 0 ||
        Irp->MdlAddress == NULL) {
        Irp->IoStatus.Status = STATUS_INVALID_PARAMETER;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NETWORK_INCREMENT);
        return STATUS_INVALID_PARAMETER;
    }
    /* Marks the IRP pending. If it was cancelled already, the CSQ completes
     * it through CsqCompleteCanceledIrp; that is a pending completion too. */
    IoCsqInsertIrp(&Q->Csq, Irp, NULL);
    Pump(Q);
    return STATUS_PENDING;
}

BOOLEAN TtReadQueueDeliver(PTT_READ_QUEUE Q, PTT_PACKET Packet)
{
    KIRQL irql;
    KeAcquireSpinLock(&Q->PairLock, &irql);
    if (tt_queue_push(&Q->Packets, Packet, Packet->Length) != TT_OK) {
        Q->PacketsDropped++;
        KeReleaseSpinLock(&Q->PairLock, irql);
        TtPacketFree(Q, Packet);
        return FALSE;
    }
    KeReleaseSpinLock(&Q->PairLock, irql);
    Pump(Q);
    return TRUE;
}

VOID TtReadQueueFlush(PTT_READ_QUEUE Q)
{
    PIRP irp;
    while ((irp = IoCsqRemoveNextIrp(&Q->Csq, NULL)) != NULL) {
        irp->IoStatus.Status = STATUS_CANCELLED;
        irp->IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NETWORK_INCREMENT);
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
