/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_queue.h - bounded FIFO of packets waiting for a user-space read.
 *
 * The queue stores opaque packet pointers and lengths; it never allocates
 * or frees. It is bounded twice: by slot count (the storage the caller
 * provides) and by total queued bytes, so a stalled reader cannot pin
 * unbounded kernel memory. Refusals are counted as drops.
 *
 * Not thread-safe: the glue serialises every call under the adapter's
 * queue lock.
 */
#ifndef TT_QUEUE_H
#define TT_QUEUE_H

#include "tt_types.h"
#include <stddef.h>

#include "tt_status.h"

typedef struct tt_queue_slot {
    void *packet;
    uint32_t length;
} tt_queue_slot;

typedef struct tt_queue_stats {
    uint64_t enqueued;
    uint64_t dequeued;
    uint64_t dropped_full;  /* refused: no free slot    */
    uint64_t dropped_bytes; /* refused: byte budget hit */
} tt_queue_stats;

typedef struct tt_queue {
    tt_queue_slot *slots; /* borrowed storage, capacity entries */
    uint32_t capacity;
    uint32_t head;        /* index of the oldest entry */
    uint32_t count;
    uint64_t bytes;       /* sum of queued lengths     */
    uint64_t byte_limit;
    tt_queue_stats stats;
} tt_queue;

/*
 * Initialises q over caller-owned storage slots[capacity] (capacity >= 1),
 * which must outlive q. byte_limit caps the queued bytes (0 = no byte cap).
 */
void tt_queue_init(tt_queue *q, tt_queue_slot *slots, uint32_t capacity, uint64_t byte_limit);

/*
 * Appends packet. On TT_OK the queue holds the pointer until it is popped;
 * the packet's memory stays owned by the caller's allocator. On
 * TT_E_QUEUE_FULL the packet was refused (a drop is counted) and the caller
 * must still dispose of it.
 */
tt_status tt_queue_push(tt_queue *q, void *packet, uint32_t length);

/* Removes the oldest packet into *packet and *length and returns true, or returns
 * false if the queue is empty. */
bool tt_queue_pop(tt_queue *q, void **packet, uint32_t *length);

/* Length of the oldest packet without removing it; false if empty. */
bool tt_queue_peek_length(const tt_queue *q, uint32_t *length);

static inline uint32_t tt_queue_count(const tt_queue *q) { return q->count; }

#endif /* TT_QUEUE_H */
