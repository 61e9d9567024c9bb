/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_adapter_state.h - the miniport adapter state machine and the exclusive
 * open gate of the control device.
 *
 * States follow "Miniport Adapter States and Operations" (NDIS 6 docs):
 *   Halted -> Initializing -> Paused <-> Restarting -> Running
 *   Running -> Pausing -> Paused -> Halted
 * Sends are accepted and receives indicated only while Running. A pause
 * cannot complete while receive NET_BUFFER_LISTs indicated by this miniport
 * are still owned by NDIS, so Pause returns NDIS_STATUS_PENDING until the
 * last one comes back through MiniportReturnNetBufferLists.
 *
 * Portable: builds against the WDK and against tests/stubs. Not thread-safe;
 * every call is made with the adapter lock held (glue/tt_adapter.h).
 */
#ifndef TT_ADAPTER_STATE_H
#define TT_ADAPTER_STATE_H

#include <ndis.h>

typedef enum _TT_MINIPORT_STATE {
    TtMiniportHalted = 0,
    TtMiniportInitializing,
    TtMiniportPaused,
    TtMiniportRestarting,
    TtMiniportRunning,
    TtMiniportPausing
} TT_MINIPORT_STATE;

/*
 * Opens are numbered ("epochs", never 0). The open handle's epoch is
 * active from IRP_MJ_CREATE until its IRP_MJ_CLEANUP; after that, requests
 * still arriving on that handle (DispatchCleanup docs: a driver "can
 * receive additional requests" while cleaning up) are refused, and frames
 * framed for it are dropped, so nothing of one client reaches the next.
 * The handle stays taken (exclusive open) until IRP_MJ_CLOSE.
 */
typedef struct _TT_ADAPTER_STATE {
    TT_MINIPORT_STATE State;
    ULONG ReceivesOutstanding; /* indicated NBLs not yet returned by NDIS    */
    BOOLEAN HandleOpen;        /* the control device has its one open handle */
    ULONG OwnerEpoch;          /* epoch of that handle                       */
    ULONG ActiveEpoch;         /* OwnerEpoch until its cleanup, then 0       */
    ULONG LastEpoch;           /* the last epoch handed out                  */
} TT_ADAPTER_STATE, *PTT_ADAPTER_STATE;

/* Halted -> Initializing. */
VOID TtStateBeginInitialize(PTT_ADAPTER_STATE S);

/* Initializing -> Paused on success (NDIS starts adapters paused), or back
 * to Halted on failure. */
VOID TtStateEndInitialize(PTT_ADAPTER_STATE S, BOOLEAN Succeeded);

/* Paused -> Running (through Restarting; this miniport restarts
 * synchronously). NDIS_STATUS_SUCCESS, or NDIS_STATUS_FAILURE if NDIS broke
 * the protocol (not Paused); the state is then unchanged. */
NDIS_STATUS TtStateRestart(PTT_ADAPTER_STATE S);

/* Running -> Pausing. NDIS_STATUS_SUCCESS when nothing is outstanding (now
 * Paused), NDIS_STATUS_PENDING when the caller must later call
 * NdisMPauseComplete (TtStateReceiveReturned says when). Never FAILURE:
 * called when not Running (which NDIS never does) it fails NT_ASSERT and
 * returns NDIS_STATUS_SUCCESS with the state unchanged. */
NDIS_STATUS TtStatePause(PTT_ADAPTER_STATE S);

/* Paused -> Halted. NDIS_STATUS_FAILURE (unchanged) from any other state. */
NDIS_STATUS TtStateHalt(PTT_ADAPTER_STATE S);

/* Reserves one receive indication: TRUE and counted if Running; FALSE (and
 * the caller must not indicate) otherwise. */
BOOLEAN TtStateBeginReceive(PTT_ADAPTER_STATE S);

/* Undoes TtStateBeginReceive for an indication that was never made. Same
 * result as TtStateReceiveReturned. */
BOOLEAN TtStateCancelReceive(PTT_ADAPTER_STATE S);

/* NDIS returned one indicated NBL. Returns TRUE exactly once per pending
 * pause: when this was the last outstanding receive while Pausing; the
 * state is then Paused and the caller must call NdisMPauseComplete. */
BOOLEAN TtStateReceiveReturned(PTT_ADAPTER_STATE S);

/* Whether MiniportSendNetBufferLists may accept data (Running). */
BOOLEAN TtStateCanSend(const TT_ADAPTER_STATE *S);

/* Exclusive open: the new handle's epoch (never 0) if the handle was free
 * and is now taken, else 0. */
ULONG TtStateTryOpen(PTT_ADAPTER_STATE S);

/* IRP_MJ_CLEANUP of the handle with Epoch: it may no longer do I/O.
 * Returns TRUE if Epoch was the active one (the caller then resets the
 * adapter for the next opener). */
BOOLEAN TtStateCleanup(PTT_ADAPTER_STATE S, ULONG Epoch);

/* IRP_MJ_CLOSE of the handle with Epoch: releases the exclusive open. */
VOID TtStateClose(PTT_ADAPTER_STATE S, ULONG Epoch);

/* The epoch that may do I/O now, or 0 (no handle, or it is cleaning up). */
ULONG TtStateActiveEpoch(const TT_ADAPTER_STATE *S);

#endif /* TT_ADAPTER_STATE_H */
