/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_read_queue.h - pairs user-space reads with frames from the host.
 *
 * Every frame the host sends that is meant for user space becomes a
 * TT_PACKET. Every ReadFile on the control device is an IRP_MJ_READ. Either
 * may arrive first, so each side is queued and then the two queues are
 * "pumped":
 *   - reads wait in a cancel-safe queue (IO_CSQ), so CancelIoEx, thread
 *     exit and handle cleanup can cancel them at any time;
 *   - packets wait in a bounded tt_queue, and are dropped (and counted)
 *     when it is full;
 *   - the pump takes the oldest read and the oldest packet together under
 *     PairLock, releases it, and completes the read; it repeats until one
 *     side is empty. Every insertion is followed by a pump, so a packet and
 *     a read never wait at the same time once the inserting call returns.
 * PairLock is never held while an IRP is completed; the CSQ's own lock
 * (CsqLock) nests inside PairLock and is taken alone by the cancel path.
 *
 * Epochs (tt_adapter_state.h): the queue serves one open handle at a time.
 * Reads and packets carry the epoch of the handle they belong to; the
 * queue accepts only those of its current epoch, and a pump completes any
 * read left from an older one with STATUS_CANCELLED. TtReadQueueClose ends
 * an epoch.
 *
 * Lifetime: the system's cancel routine for a queued IRP runs outside any
 * driver code path that a rundown could cover, and uses the IO_CSQ until it
 * has called CsqCompleteCanceledIrp ("Cancel-Safe IRP Queues"). The queue
 * therefore counts the IRPs it owns, from insertion to completion, and
 * TtReadQueueDrain waits for that count to reach zero before the memory
 * holding the queue may be freed.
 *
 * Portable: builds against the WDK and tests/stubs. IRQL <= DISPATCH_LEVEL.
 */
#ifndef TT_READ_QUEUE_H
#define TT_READ_QUEUE_H

#include <ndis.h>

#include "../core/tt_queue.h"

/* Pool tag "Tut6" as pool tools display it (bytes 'T','u','t','6'). */
#define TT_POOL_TAG ((ULONG)0x36747554u)
/* Up to 64 frames or 256 KiB wait for a reader; beyond that the oldest
 * frames are kept and new ones dropped, like a full NIC ring. */
#define TT_PACKET_QUEUE_SLOTS 64u
#define TT_PACKET_QUEUE_BYTES (256u * 1024u)

/* A frame on its way to user space. Allocated by TtPacketAllocate. */
typedef struct _TT_PACKET {
    ULONG Length;              /* valid bytes at Data           */
    UCHAR Data[ANYSIZE_ARRAY]; /* Length bytes follow           */
} TT_PACKET, *PTT_PACKET;

typedef struct _TT_READ_QUEUE {
    NDIS_HANDLE AllocationHandle; /* miniport adapter handle for pool calls */
    KSPIN_LOCK PairLock;
    KSPIN_LOCK CsqLock;
    IO_CSQ Csq;
    LIST_ENTRY PendingReads;      /* IRPs, linked by Tail.Overlay.ListEntry */
    ULONG Epoch;                  /* under PairLock; 0 = no handle          */
    volatile LONG IrpCount;       /* owned IRPs + 1 until TtReadQueueDrain   */
    KEVENT Drained;               /* set when IrpCount reaches 0            */
    tt_queue Packets;
    tt_queue_slot Slots[TT_PACKET_QUEUE_SLOTS];
    /* Statistics; written under PairLock, read without it. */
    ULONG64 ReadsCompleted;
    ULONG64 ReadsTooSmall;        /* frame larger than the read buffer      */
    ULONG64 PacketsDropped;       /* queue full or flushed                  */
} TT_READ_QUEUE, *PTT_READ_QUEUE;

/* Initialises Q (embedded in the adapter). AllocationHandle is passed to
 * NdisAllocateMemoryWithTagPriority. Cannot fail. */
VOID TtReadQueueInitialize(PTT_READ_QUEUE Q, NDIS_HANDLE AllocationHandle);

/* Allocates a packet with room for Length bytes (Length set), or returns
 * NULL. The caller owns it until it passes it to TtReadQueueDeliver or
 * frees it with TtPacketFree. */
PTT_PACKET TtPacketAllocate(PTT_READ_QUEUE Q, ULONG Length);
VOID TtPacketFree(PTT_READ_QUEUE Q, PTT_PACKET Packet);

/*
 * Handles an IRP_MJ_READ (direct I/O: the buffer is Irp->MdlAddress) of
 * the handle with Epoch. A zero-length read is completed at once with
 * STATUS_INVALID_PARAMETER, and a read whose Epoch is not the queue's with
 * STATUS_FILE_CLOSED; that status is returned. Otherwise the IRP is marked
 * pending and STATUS_PENDING returned; it is completed, possibly before
 * this returns, with STATUS_SUCCESS (Information = frame length),
 * STATUS_BUFFER_OVERFLOW (frame larger than the buffer: the tap ABI never
 * splits a frame, so the frame is dropped and Information = 0),
 * STATUS_INSUFFICIENT_RESOURCES (buffer could not be mapped) or
 * STATUS_CANCELLED.
 */
NTSTATUS TtReadQueueSubmit(PTT_READ_QUEUE Q, PIRP Irp, ULONG Epoch);

/* Takes ownership of Packet, framed for the handle with Epoch: queues it
 * and pumps (so it completes the oldest pending read, if any), or frees it
 * if the queue is full or Epoch is not the queue's (PacketsDropped counts
 * it). Returns FALSE only for a drop. */
BOOLEAN TtReadQueueDeliver(PTT_READ_QUEUE Q, PTT_PACKET Packet, ULONG Epoch);

/* Starts serving the handle with Epoch (not 0). */
VOID TtReadQueueOpen(PTT_READ_QUEUE Q, ULONG Epoch);

/* Ends the current epoch: completes every pending read with
 * STATUS_CANCELLED and frees every queued packet; later reads and packets
 * of that epoch are refused. Used at cleanup and at halt. */
VOID TtReadQueueClose(PTT_READ_QUEUE Q);

/* Completes every pending read with STATUS_CANCELLED and frees every queued
 * packet, without ending the epoch. */
VOID TtReadQueueFlush(PTT_READ_QUEUE Q);

/* Waits until no IRP the queue took is still being completed or cancelled;
 * after it returns the queue may be freed. Call once, at PASSIVE_LEVEL,
 * after TtReadQueueClose and once no new read can arrive. */
_IRQL_requires_(PASSIVE_LEVEL)
VOID TtReadQueueDrain(PTT_READ_QUEUE Q);

#endif /* TT_READ_QUEUE_H */
