/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_adapter_state.h"

VOID TtStateBeginInitialize(PTT_ADAPTER_STATE S)
{
    S->State = TtMiniportInitializing;
    S->ReceivesOutstanding = 0;
    S->HandleOpen = FALSE;
    S->OwnerEpoch = 0;
    S->ActiveEpoch = 0;
    S->LastEpoch = 0;
}

VOID TtStateEndInitialize(PTT_ADAPTER_STATE S, BOOLEAN Succeeded)
{
    if (S->State == TtMiniportInitializing) {
        S->State = Succeeded ? TtMiniportPaused : TtMiniportHalted;
    }
}

NDIS_STATUS TtStateRestart(PTT_ADAPTER_STATE S)
{
    if (S->State != TtMiniportPaused) {
        return NDIS_STATUS_FAILURE;
    }
    S->State = TtMiniportRestarting;
    /* Nothing to reacquire: the NBL pool and queues live until halt. */
    S->State = TtMiniportRunning;
    return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS TtStatePause(PTT_ADAPTER_STATE S)
{
    /* MiniportPause may return only SUCCESS or PENDING, and NDIS pauses only
     * a running adapter; anything else is an NDIS bug, left as it is. */
    NT_ASSERT(S->State == TtMiniportRunning);
    if (S->State != TtMiniportRunning) {
        return NDIS_STATUS_SUCCESS;
    }
    if (S->ReceivesOutstanding == 0) {
        S->State = TtMiniportPaused;
        return NDIS_STATUS_SUCCESS;
    }
    S->State = TtMiniportPausing;
    return NDIS_STATUS_PENDING;
}

NDIS_STATUS TtStateHalt(PTT_ADAPTER_STATE S)
{
    /* MiniportHaltEx is only called for a Paused adapter (NDIS 6 docs,
     * "Halting a Miniport Adapter"); an initialization that failed ends in
     * Halted already. */
    if (S->State != TtMiniportPaused) {
        return NDIS_STATUS_FAILURE;
    }
    S->State = TtMiniportHalted;
    return NDIS_STATUS_SUCCESS;
}

BOOLEAN TtStateBeginReceive(PTT_ADAPTER_STATE S)
{
    if (S->State != TtMiniportRunning) {
        return FALSE;
    }
    S->ReceivesOutstanding++;
    return TRUE;
}

BOOLEAN TtStateReceiveReturned(PTT_ADAPTER_STATE S)
{
    if (S->ReceivesOutstanding == 0) {
        return FALSE; /* unbalanced return: ignore rather than wrap */
    }
    S->ReceivesOutstanding--;
    if (S->ReceivesOutstanding == 0 && S->State == TtMiniportPausing) {
        S->State = TtMiniportPaused;
        return TRUE;
    }
    return FALSE;
}

BOOLEAN TtStateCancelReceive(PTT_ADAPTER_STATE S)
{
    return TtStateReceiveReturned(S);
}

BOOLEAN TtStateCanSend(const TT_ADAPTER_STATE *S)
{
    return S->State == TtMiniportRunning;
}

ULONG TtStateTryOpen(PTT_ADAPTER_STATE S)
{
    if (S->HandleOpen || S->State == TtMiniportHalted) {
        return 0;
    }
    S->LastEpoch++;
    if (S->LastEpoch == 0) {
        S->LastEpoch = 1; /* 0 means "none" */
    }
    S->HandleOpen = TRUE;
    S->OwnerEpoch = S->LastEpoch;
    S->ActiveEpoch = S->LastEpoch;
    return S->LastEpoch;
}

BOOLEAN TtStateCleanup(PTT_ADAPTER_STATE S, ULONG Epoch)
{
    if (Epoch == 0 || S->ActiveEpoch != Epoch) {
        return FALSE;
    }
    S->ActiveEpoch = 0;
    return TRUE;
}

VOID TtStateClose(PTT_ADAPTER_STATE S, ULONG Epoch)
{
    if (S->HandleOpen && S->OwnerEpoch == Epoch) {
        S->HandleOpen = FALSE;
        S->OwnerEpoch = 0;
        S->ActiveEpoch = 0;
    }
}

ULONG TtStateActiveEpoch(const TT_ADAPTER_STATE *S)
{
    return S->ActiveEpoch;
}
