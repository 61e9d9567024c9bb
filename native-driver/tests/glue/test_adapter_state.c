/* SPDX-License-Identifier: Apache-2.0 */
#include "../../glue/tt_adapter_state.h"
#include "../support/harness.h"
#include "../stubs/wdk_fake.h"

void suite_adapter_state(void);

static void running(PTT_ADAPTER_STATE s)
{
    TtStateBeginInitialize(s);
    TtStateEndInitialize(s, TRUE);
    TtStateRestart(s);
}

static void initialize_leaves_adapter_paused(void)
{
    TT_ADAPTER_STATE s;
    TtStateBeginInitialize(&s);
    CHECK_EQ(s.State, TtMiniportInitializing);
    CHECK(!TtStateCanSend(&s));
    TtStateEndInitialize(&s, TRUE);
    CHECK_EQ(s.State, TtMiniportPaused);
    CHECK(!TtStateCanSend(&s));
    CHECK(!TtStateBeginReceive(&s));
}

static void failed_initialize_halts(void)
{
    TT_ADAPTER_STATE s;
    TtStateBeginInitialize(&s);
    TtStateEndInitialize(&s, FALSE);
    CHECK_EQ(s.State, TtMiniportHalted);
    CHECK(!TtStateTryOpen(&s));
}

static void restart_and_pause_cycle(void)
{
    TT_ADAPTER_STATE s;
    running(&s);
    CHECK_EQ(s.State, TtMiniportRunning);
    CHECK(TtStateCanSend(&s));
    CHECK_EQ(TtStateRestart(&s), NDIS_STATUS_FAILURE); /* already running */
    CHECK_EQ(TtStatePause(&s), NDIS_STATUS_SUCCESS);
    CHECK_EQ(s.State, TtMiniportPaused);
    CHECK_EQ(fake_assert_failures, 0);
    CHECK_EQ(TtStatePause(&s), NDIS_STATUS_SUCCESS); /* NDIS never does this */
    CHECK_EQ(fake_assert_failures, 1);
    CHECK_EQ(s.State, TtMiniportPaused);
    fake_assert_failures = 0;
    CHECK_EQ(TtStateRestart(&s), NDIS_STATUS_SUCCESS);
    CHECK_EQ(s.State, TtMiniportRunning);
}

static void pause_waits_for_outstanding_receives(void)
{
    TT_ADAPTER_STATE s;
    running(&s);
    CHECK(TtStateBeginReceive(&s));
    CHECK(TtStateBeginReceive(&s));
    CHECK_EQ(TtStatePause(&s), NDIS_STATUS_PENDING);
    CHECK_EQ(s.State, TtMiniportPausing);
    CHECK(!TtStateCanSend(&s));
    CHECK(!TtStateBeginReceive(&s)); /* no new indications while pausing */
    CHECK(!TtStateReceiveReturned(&s));
    CHECK(TtStateReceiveReturned(&s)); /* last one: complete the pause */
    CHECK_EQ(s.State, TtMiniportPaused);
    CHECK(!TtStateReceiveReturned(&s)); /* unbalanced: ignored */
    CHECK_EQ(s.ReceivesOutstanding, 0);
}

static void cancelled_receive_releases_pause(void)
{
    TT_ADAPTER_STATE s;
    running(&s);
    CHECK(TtStateBeginReceive(&s));
    CHECK_EQ(TtStatePause(&s), NDIS_STATUS_PENDING);
    CHECK(TtStateCancelReceive(&s));
    CHECK_EQ(s.State, TtMiniportPaused);
}

static void halt_only_from_paused(void)
{
    TT_ADAPTER_STATE s;
    running(&s);
    CHECK_EQ(TtStateHalt(&s), NDIS_STATUS_FAILURE);
    CHECK_EQ(TtStatePause(&s), NDIS_STATUS_SUCCESS);
    CHECK_EQ(TtStateHalt(&s), NDIS_STATUS_SUCCESS);
    CHECK_EQ(s.State, TtMiniportHalted);
}

static void open_is_exclusive(void)
{
    TT_ADAPTER_STATE s;
    running(&s);
    ULONG first = TtStateTryOpen(&s);
    CHECK(first != 0);
    CHECK_EQ(TtStateTryOpen(&s), 0);
    CHECK_EQ(TtStateActiveEpoch(&s), first);
    CHECK(TtStateCleanup(&s, first));
    CHECK_EQ(TtStateActiveEpoch(&s), 0); /* cleaned up: no more I/O */
    CHECK_EQ(TtStateTryOpen(&s), 0);     /* still taken until close */
    TtStateClose(&s, first);
    ULONG second = TtStateTryOpen(&s);
    CHECK(second != 0 && second != first);
    CHECK(!TtStateCleanup(&s, first)); /* a stale cleanup changes nothing */
    TtStateClose(&s, first);
    CHECK_EQ(TtStateActiveEpoch(&s), second);
}

void suite_adapter_state(void)
{
    RUN(initialize_leaves_adapter_paused);
    RUN(failed_initialize_halts);
    RUN(restart_and_pause_cycle);
    RUN(pause_waits_for_outstanding_receives);
    RUN(cancelled_receive_releases_pause);
    RUN(halt_only_from_paused);
    RUN(open_is_exclusive);
}
