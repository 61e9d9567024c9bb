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
 * Handles an IRP_MJ_READ (direct I/O: the buffer is Irp->MdlAddress).
 * A zero-length read is completed at once with STATUS_INVALID_PARAMETER,
 * which is returned. Otherwise the IRP is marked pending and
 * STATUS_PENDING returned; it is completed, possibly before this returns,
 * with STATUS_SUCCESS (Information = frame length), STATUS_BUFFER_OVERFLOW
 * (frame larger than the buffer: the tap ABI never splits a frame, so the
 * frame is dropped and Information = 0), STATUS_INSUFFICIENT_RESOURCES
 * (buffer could not be mapped) or STATUS_CANCELLED.
 */
NTSTATUS TtReadQueueSubmit(PTT_READ_QUEUE Q, PIRP Irp);

/* Takes ownership of Packet: queues it and pumps (so it completes the
 * oldest pending read, if any), or frees it if the queue is full
 * (PacketsDropped counts it). Returns FALSE only for a drop. */
BOOLEAN TtReadQueueDeliver(PTT_READ_QUEUE Q, PTT_PACKET Packet);

/* Completes every pending read with STATUS_CANCELLED and frees every queued
 * packet. Used when the handle is cleaned up and when the adapter halts. */
VOID TtReadQueueFlush(PTT_READ_QUEUE Q);

#endif /* TT_READ_QUEUE_H */
