/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <wdk_fake.h>

#include "../../glue/tt_ntstatus_map.h"
#include "../../glue/tt_read_queue.h"
#include "../support/harness.h"

void suite_read_queue(void);
void suite_status_map(void);

static TT_READ_QUEUE queue;

static PTT_PACKET packet_of(const char *text)
{
    ULONG len = (ULONG)strlen(text);
    PTT_PACKET p = TtPacketAllocate(&queue, len);
    if (p != NULL) {
        memcpy(p->Data, text, len);
    }
    return p;
}

static void setup(void)
{
    fake_live_allocations = 0;
    fake_fail_allocations = 0;
    fake_completed_irps = 0;
    TtReadQueueInitialize(&queue, NULL);
    TtReadQueueOpen(&queue, 1);
}

static void read_then_packet(void)
{
    setup();
    IRP irp;
    MDL mdl;
    char buf[32];
    fake_irp_init_read(&irp, &mdl, buf, sizeof(buf));
    CHECK_EQ(TtReadQueueSubmit(&queue, &irp, 1), STATUS_PENDING);
    CHECK(irp.Pending && !irp.Completed);
    CHECK(TtReadQueueDeliver(&queue, packet_of("hello"), 1));
    CHECK(irp.Completed);
    CHECK_EQ(irp.IoStatus.Status, STATUS_SUCCESS);
    CHECK_EQ(irp.IoStatus.Information, 5);
    CHECK_MEM(buf, "hello", 5);
    CHECK_EQ(fake_live_allocations, 0);
    CHECK_EQ(fake_locks_held, 0);
}

static void packet_then_read(void)
{
    setup();
    CHECK(TtReadQueueDeliver(&queue, packet_of("first"), 1));
    CHECK(TtReadQueueDeliver(&queue, packet_of("second"), 1));
    IRP irp;
    MDL mdl;
    char buf[32];
    fake_irp_init_read(&irp, &mdl, buf, sizeof(buf));
    CHECK_EQ(TtReadQueueSubmit(&queue, &irp, 1), STATUS_PENDING);
    CHECK(irp.Completed); /* completed at once from the queue */
    CHECK_EQ(irp.IoStatus.Information, 5);
    CHECK_MEM(buf, "first", 5);
    fake_irp_init_read(&irp, &mdl, buf, sizeof(buf));
    TtReadQueueSubmit(&queue, &irp, 1);
    CHECK_EQ(irp.IoStatus.Information, 6);
    CHECK_MEM(buf, "second", 6);
    CHECK_EQ(fake_live_allocations, 0);
}

static void reads_complete_in_order(void)
{
    setup();
    IRP irps[3];
    MDL mdls[3];
    char bufs[3][16];
    for (int i = 0; i < 3; i++) {
        fake_irp_init_read(&irps[i], &mdls[i], bufs[i], 16);
        TtReadQueueSubmit(&queue, &irps[i], 1);
    }
    TtReadQueueDeliver(&queue, packet_of("a"), 1);
    TtReadQueueDeliver(&queue, packet_of("bb"), 1);
    CHECK(irps[0].Completed && irps[1].Completed && !irps[2].Completed);
    CHECK_EQ(irps[0].IoStatus.Information, 1);
    CHECK_EQ(irps[1].IoStatus.Information, 2);
    TtReadQueueFlush(&queue);
    CHECK(irps[2].Completed);
    CHECK_EQ(irps[2].IoStatus.Status, STATUS_CANCELLED);
}

static void small_read_buffer_overflows(void)
{
    setup();
    IRP irp;
    MDL mdl;
    char buf[4];
    fake_irp_init_read(&irp, &mdl, buf, sizeof(buf));
    TtReadQueueDeliver(&queue, packet_of("too long"), 1);
    TtReadQueueSubmit(&queue, &irp, 1);
    CHECK_EQ(irp.IoStatus.Status, STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(irp.IoStatus.Information, 0);
    CHECK(queue.ReadsTooSmall == 1);
    CHECK_EQ(fake_live_allocations, 0); /* the frame was dropped */
}

static void zero_length_read_rejected(void)
{
    setup();
    IRP irp;
    MDL mdl;
    fake_irp_init_read(&irp, &mdl, NULL, 0);
    CHECK_EQ(TtReadQueueSubmit(&queue, &irp, 1), STATUS_INVALID_PARAMETER);
    CHECK(irp.Completed && !irp.Pending);
}

static void cancel_removes_pending_read(void)
{
    setup();
    IRP a, b;
    MDL ma, mb;
    char ba[16], bb[16];
    fake_irp_init_read(&a, &ma, ba, 16);
    fake_irp_init_read(&b, &mb, bb, 16);
    TtReadQueueSubmit(&queue, &a, 1);
    TtReadQueueSubmit(&queue, &b, 1);
    CHECK(fake_cancel_irp(&a));
    CHECK(a.Completed);
    CHECK_EQ(a.IoStatus.Status, STATUS_CANCELLED);
    TtReadQueueDeliver(&queue, packet_of("x"), 1);
    CHECK(b.Completed); /* the packet skipped the cancelled read */
    CHECK_EQ(b.IoStatus.Status, STATUS_SUCCESS);
    CHECK_EQ(fake_completed_irps, 2);
}

static void already_cancelled_read_completes_cancelled(void)
{
    setup();
    IRP irp;
    MDL mdl;
    char buf[16];
    fake_irp_init_read(&irp, &mdl, buf, 16);
    irp.Cancel = TRUE;
    CHECK_EQ(TtReadQueueSubmit(&queue, &irp, 1), STATUS_PENDING);
    CHECK(irp.Pending && irp.Completed);
    CHECK_EQ(irp.IoStatus.Status, STATUS_CANCELLED);
    CHECK(TtReadQueueDeliver(&queue, packet_of("kept"), 1));
    CHECK_EQ(tt_queue_count(&queue.Packets), 1);
    TtReadQueueFlush(&queue);
    CHECK_EQ(fake_live_allocations, 0);
}

static void full_queue_drops_and_frees(void)
{
    setup();
    for (ULONG i = 0; i < TT_PACKET_QUEUE_SLOTS; i++) {
        CHECK(TtReadQueueDeliver(&queue, packet_of("p"), 1));
    }
    CHECK(!TtReadQueueDeliver(&queue, packet_of("dropped"), 1));
    CHECK(queue.PacketsDropped == 1);
    CHECK_EQ(fake_live_allocations, TT_PACKET_QUEUE_SLOTS);
    TtReadQueueFlush(&queue);
    CHECK_EQ(fake_live_allocations, 0);
    CHECK_EQ(fake_locks_held, 0);
}

static void allocation_failure_is_null(void)
{
    setup();
    fake_fail_allocations = 1;
    CHECK(TtPacketAllocate(&queue, 10) == NULL);
    PTT_PACKET p = TtPacketAllocate(&queue, 10);
    CHECK(p != NULL && p->Length == 10);
    TtPacketFree(&queue, p);
    CHECK_EQ(fake_live_allocations, 0);
}

/* A handle's epoch ends at cleanup: its late reads and frames are refused,
 * and the next handle's epoch starts clean. */
static void closed_epoch_refuses_reads_and_frames(void)
{
    setup();
    IRP pending, late, next;
    MDL m1, m2, m3;
    char b1[16], b2[16], b3[16];
    fake_irp_init_read(&pending, &m1, b1, 16);
    CHECK_EQ(TtReadQueueSubmit(&queue, &pending, 1), STATUS_PENDING);
    CHECK(TtReadQueueDeliver(&queue, packet_of("old"), 1) == FALSE || pending.Completed);
    fake_irp_init_read(&pending, &m1, b1, 16);
    CHECK_EQ(TtReadQueueSubmit(&queue, &pending, 1), STATUS_PENDING);
    TtReadQueueClose(&queue);
    CHECK(pending.Completed);
    CHECK_EQ(pending.IoStatus.Status, STATUS_CANCELLED);
    fake_irp_init_read(&late, &m2, b2, 16);
    CHECK_EQ(TtReadQueueSubmit(&queue, &late, 1), STATUS_FILE_CLOSED);
    CHECK(late.Completed);
    CHECK(!TtReadQueueDeliver(&queue, packet_of("stale"), 1));
    TtReadQueueOpen(&queue, 2);
    CHECK(!TtReadQueueDeliver(&queue, packet_of("stale"), 1));
    CHECK(TtReadQueueDeliver(&queue, packet_of("fresh"), 2));
    fake_irp_init_read(&next, &m3, b3, 16);
    CHECK_EQ(TtReadQueueSubmit(&queue, &next, 2), STATUS_PENDING);
    CHECK(next.Completed);
    CHECK_MEM(b3, "fresh", 5);
    CHECK_EQ(fake_live_allocations, 0);
}

/* Every IRP the queue took is accounted for: drain returns at once when
 * all have been completed (the single-threaded fake aborts otherwise). */
static void drain_after_everything_completed(void)
{
    setup();
    IRP a, b;
    MDL ma, mb;
    char ba[16], bb[16];
    fake_irp_init_read(&a, &ma, ba, 16);
    fake_irp_init_read(&b, &mb, bb, 16);
    TtReadQueueSubmit(&queue, &a, 1);
    TtReadQueueSubmit(&queue, &b, 1);
    CHECK_EQ(queue.IrpCount, 3);
    CHECK(fake_cancel_irp(&a));
    CHECK_EQ(queue.IrpCount, 2);
    TtReadQueueClose(&queue);
    CHECK_EQ(queue.IrpCount, 1);
    TtReadQueueDrain(&queue);
    CHECK_EQ(queue.IrpCount, 0);
}

void suite_read_queue(void)
{
    RUN(closed_epoch_refuses_reads_and_frames);
    RUN(drain_after_everything_completed);
    RUN(read_then_packet);
    RUN(packet_then_read);
    RUN(reads_complete_in_order);
    RUN(small_read_buffer_overflows);
    RUN(zero_length_read_rejected);
    RUN(cancel_removes_pending_read);
    RUN(already_cancelled_read_completes_cancelled);
    RUN(full_queue_drops_and_frees);
    RUN(allocation_failure_is_null);
}

static void core_status_mapping(void)
{
    CHECK_EQ(TtNtStatusFromCore(TT_OK), STATUS_SUCCESS);
    CHECK_EQ(TtNtStatusFromCore(TT_E_INVALID_REQUEST), STATUS_INVALID_DEVICE_REQUEST);
    CHECK_EQ(TtNtStatusFromCore(TT_E_BUFFER_TOO_SMALL), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(TtNtStatusFromCore(TT_E_INVALID_PARAMETER), STATUS_INVALID_PARAMETER);
    CHECK_EQ(TtNtStatusFromCore(TT_E_MALFORMED), STATUS_INVALID_PARAMETER);
    CHECK_EQ(TtNtStatusFromCore(TT_E_NOT_SUPPORTED), STATUS_NOT_SUPPORTED);
    CHECK_EQ(TtNtStatusFromCore(TT_E_INVALID_STATE), STATUS_INVALID_DEVICE_STATE);
    CHECK_EQ(TtNtStatusFromCore(TT_E_QUEUE_FULL), STATUS_INSUFFICIENT_RESOURCES);
}

void suite_status_map(void)
{
    RUN(core_status_mapping);
}
