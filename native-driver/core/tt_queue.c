/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_queue.h"

void tt_queue_init(tt_queue *q, tt_queue_slot *slots, uint32_t capacity, uint64_t byte_limit)
{
    q->slots = slots;
    q->capacity = capacity;
    q->head = 0;
    q->count = 0;
    q->bytes = 0;
    q->byte_limit = byte_limit;
    q->stats.enqueued = 0;
    q->stats.dequeued = 0;
    q->stats.dropped_full = 0;
    q->stats.dropped_bytes = 0;
}

tt_status tt_queue_push(tt_queue *q, void *packet, uint32_t length)
{
    if (q->count >= q->capacity) {
        q->stats.dropped_full++;
        return TT_E_QUEUE_FULL;
    }
    if (q->byte_limit != 0 && q->bytes + length > q->byte_limit) {
        q->stats.dropped_bytes++;
        return TT_E_QUEUE_FULL;
    }
    uint32_t tail = (q->head + q->count) % q->capacity;
    q->slots[tail].packet = packet;
    q->slots[tail].length = length;
    q->count++;
    q->bytes += length;
    q->stats.enqueued++;
    return TT_OK;
}

bool tt_queue_pop(tt_queue *q, void **packet, uint32_t *length)
{
    if (q->count == 0) {
        return false;
    }
    tt_queue_slot *slot = &q->slots[q->head];
    *packet = slot->packet;
    *length = slot->length;
    slot->packet = NULL;
    slot->length = 0;
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    q->bytes -= *length;
    q->stats.dequeued++;
    return true;
}

bool tt_queue_peek_length(const tt_queue *q, uint32_t *length)
{
    if (q->count == 0) {
        return false;
    }
    *length = q->slots[q->head].length;
    return true;
}
