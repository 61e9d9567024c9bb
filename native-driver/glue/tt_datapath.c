/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_datapath.c - NET_BUFFER_LIST send and receive paths.
 *
 * Send (host -> adapter): every NET_BUFFER is copied into a TT_PACKET, then
 * core/tt_engine decides: to user space (TtReadQueueDeliver), answered
 * locally (ARP/ND/DHCP reply indicated back up), or dropped. The NBLs are
 * completed before returning, so a pause never waits for sends.
 * Receive (adapter -> host): a frame in a pool block is described by an MDL
 * and a NET_BUFFER_LIST from the adapter's pool and indicated; NDIS returns
 * it through TtMiniportReturnNetBufferLists, which frees all three.
 *
 * WDK ONLY (see tt_adapter.h). Not compiled on Linux; the decisions are in
 * core/tt_engine.c and glue/tt_read_queue.c, which are.
 */
#include "tt_adapter.h"

#include "../core/tt_ether.h"

_Use_decl_annotations_
NDIS_STATUS TtIndicateOwnedFrame(PTT_ADAPTER Adapter, PUCHAR Buffer, ULONG Length,
                                 ULONG ReceiveFlags)
{
    PMDL mdl;
    PNET_BUFFER_LIST nbl;
    BOOLEAN running = FALSE;
    BOOLEAN filtered;

    NdisAcquireSpinLock(&Adapter->Lock);
    /* OID_GEN_CURRENT_PACKET_FILTER: "When the packet filter is zero,
     * receive indications are disabled." */
    filtered = Adapter->Oid.PacketFilter == 0;
    if (!filtered) {
        running = TtStateBeginReceive(&Adapter->State);
    }
    if (!running) {
        Adapter->Oid.Counters.RcvNoBuffer++;
    }
    NdisReleaseSpinLock(&Adapter->Lock);
    if (!running) {
        NdisFreeMemoryWithTagPriority(Adapter->MiniportHandle, Buffer, TT_POOL_TAG);
        /* no indications outside Running, nor with a zero filter */
        return filtered ? NDIS_STATUS_SUCCESS : NDIS_STATUS_PAUSED;
    }

    mdl = NdisAllocateMdl(Adapter->MiniportHandle, Buffer, Length);
    nbl = mdl == NULL ? NULL
                      : NdisAllocateNetBufferAndNetBufferList(Adapter->NblPool, 0, 0, mdl, 0,
                                                              Length);
    if (nbl == NULL) {
        BOOLEAN complete_pause;
        if (mdl != NULL) {
            NdisFreeMdl(mdl);
        }
        NdisFreeMemoryWithTagPriority(Adapter->MiniportHandle, Buffer, TT_POOL_TAG);
        NdisAcquireSpinLock(&Adapter->Lock);
        Adapter->Oid.Counters.RcvNoBuffer++;
        complete_pause = TtStateCancelReceive(&Adapter->State);
        NdisReleaseSpinLock(&Adapter->Lock);
        if (complete_pause) {
            NdisMPauseComplete(Adapter->MiniportHandle);
        }
        return NDIS_STATUS_RESOURCES;
    }
    nbl->SourceHandle = Adapter->MiniportHandle;

    NdisAcquireSpinLock(&Adapter->Lock);
    Adapter->Oid.Counters.RcvOk++;
    Adapter->Oid.Counters.RcvBytes += Length;
    NdisReleaseSpinLock(&Adapter->Lock);

    /* Ownership passes to NDIS until TtMiniportReturnNetBufferLists. */
    NdisMIndicateReceiveNetBufferLists(Adapter->MiniportHandle, nbl, NDIS_DEFAULT_PORT_NUMBER, 1,
                                       ReceiveFlags & NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL);
    return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
NDIS_STATUS TtIndicateFrameCopy(PTT_ADAPTER Adapter, const UCHAR *Frame, ULONG Length,
                                ULONG ReceiveFlags)
{
    PUCHAR buffer = (PUCHAR)NdisAllocateMemoryWithTagPriority(Adapter->MiniportHandle, Length,
                                                              TT_POOL_TAG, NormalPoolPriority);
    if (buffer == NULL) {
        NdisAcquireSpinLock(&Adapter->Lock);
        Adapter->Oid.Counters.RcvNoBuffer++;
        NdisReleaseSpinLock(&Adapter->Lock);
        return NDIS_STATUS_RESOURCES;
    }
    NdisMoveMemory(buffer, Frame, Length);
    return TtIndicateOwnedFrame(Adapter, buffer, Length, ReceiveFlags);
}

_Use_decl_annotations_
VOID TtMiniportReturnNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
                                    PNET_BUFFER_LIST NetBufferLists, ULONG ReturnFlags)
{
    PTT_ADAPTER adapter = (PTT_ADAPTER)MiniportAdapterContext;
    PNET_BUFFER_LIST nbl = NetBufferLists;
    UNREFERENCED_PARAMETER(ReturnFlags);

    while (nbl != NULL) {
        PNET_BUFFER_LIST next = NET_BUFFER_LIST_NEXT_NBL(nbl);
        PMDL mdl = NET_BUFFER_FIRST_MDL(NET_BUFFER_LIST_FIRST_NB(nbl));
        PVOID buffer = NULL;
        ULONG length = 0;
        BOOLEAN complete_pause;

        NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;
        NdisQueryMdl(mdl, &buffer, &length, NormalPagePriority);
        NdisFreeNetBufferList(nbl);
        NdisFreeMdl(mdl);
        if (buffer != NULL) {
            NdisFreeMemoryWithTagPriority(adapter->MiniportHandle, buffer, TT_POOL_TAG);
        }

        NdisAcquireSpinLock(&adapter->Lock);
        complete_pause = TtStateReceiveReturned(&adapter->State);
        NdisReleaseSpinLock(&adapter->Lock);
        if (complete_pause) {
            NdisMPauseComplete(adapter->MiniportHandle);
        }
        nbl = next;
    }
}

/* Handles one frame the host sent. Returns the NDIS_STATUS for its NBL. */
static NDIS_STATUS SendOneBuffer(PTT_ADAPTER Adapter, PNET_BUFFER Nb, ULONG ReceiveFlags)
{
    ULONG length = NET_BUFFER_DATA_LENGTH(Nb);
    PTT_PACKET packet;
    PVOID data;
    tt_host_frame_result result;
    tt_status status;
    ULONG epoch;
    /* Largest local answer (a DHCP reply); 590 bytes of kernel stack. */
    UCHAR reply[TT_ENGINE_REPLY_MAX];

    if (length < TT_ETH_HEADER_LEN || length > TT_FRAME_MAX) {
        NdisAcquireSpinLock(&Adapter->Lock);
        Adapter->Oid.Counters.XmitError++;
        NdisReleaseSpinLock(&Adapter->Lock);
        return NDIS_STATUS_INVALID_LENGTH;
    }
    packet = TtPacketAllocate(&Adapter->Reads, length);
    if (packet == NULL) {
        NdisAcquireSpinLock(&Adapter->Lock);
        Adapter->Oid.Counters.XmitDiscards++;
        NdisReleaseSpinLock(&Adapter->Lock);
        return NDIS_STATUS_RESOURCES;
    }
    /* Contiguous data is returned in place; a chained MDL is copied into
     * packet->Data. */
    data = NdisGetDataBuffer(Nb, length, packet->Data, 1, 0);
    if (data == NULL) {
        TtPacketFree(&Adapter->Reads, packet);
        return NDIS_STATUS_FAILURE;
    }
    if (data != packet->Data) {
        NdisMoveMemory(packet->Data, data, length);
    }

    NdisAcquireSpinLock(&Adapter->Lock);
    /* The frame is framed for this handle only (tt_adapter_state.h). */
    epoch = TtStateActiveEpoch(&Adapter->State);
    if (epoch == 0) {
        /* Nobody reads: like a cable with no one at the far end. */
        Adapter->Oid.Counters.XmitDiscards++;
        NdisReleaseSpinLock(&Adapter->Lock);
        TtPacketFree(&Adapter->Reads, packet);
        return NDIS_STATUS_SUCCESS;
    }
    status = tt_engine_host_frame(&Adapter->Core, packet->Data, length, reply, sizeof(reply),
                                  &result);
    if (status != TT_OK) {
        result.verdict = TT_VERDICT_DROP;
    }
    if (result.verdict == TT_VERDICT_TO_USER) {
        Adapter->Oid.Counters.XmitOk++;
        Adapter->Oid.Counters.XmitBytes += length;
    } else if (result.verdict == TT_VERDICT_DROP) {
        Adapter->Oid.Counters.XmitDiscards++;
    }
    NdisReleaseSpinLock(&Adapter->Lock);

    switch (result.verdict) {
    case TT_VERDICT_TO_USER:
        if (result.user_offset != 0) {
            /* TUN mode: strip the Ethernet header (regions overlap). */
            RtlMoveMemory(packet->Data, packet->Data + result.user_offset, result.user_length);
        }
        packet->Length = (ULONG)result.user_length;
        /* A drop (queue full, or the handle was cleaned up meanwhile) is
         * counted there. */
        TtReadQueueDeliver(&Adapter->Reads, packet, epoch);
        break;
    case TT_VERDICT_REPLY:
        TtPacketFree(&Adapter->Reads, packet);
        (void)TtIndicateFrameCopy(Adapter, reply, (ULONG)result.reply_length, ReceiveFlags);
        break;
    default:
        TtPacketFree(&Adapter->Reads, packet);
        break;
    }
    return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID TtMiniportSendNetBufferLists(NDIS_HANDLE MiniportAdapterContext,
                                  PNET_BUFFER_LIST NetBufferLists, NDIS_PORT_NUMBER PortNumber,
                                  ULONG SendFlags)
{
    PTT_ADAPTER adapter = (PTT_ADAPTER)MiniportAdapterContext;
    PNET_BUFFER_LIST nbl;
    BOOLEAN can_send;
    UNREFERENCED_PARAMETER(PortNumber);

    NdisAcquireSpinLock(&adapter->Lock);
    can_send = TtStateCanSend(&adapter->State);
    NdisReleaseSpinLock(&adapter->Lock);

    for (nbl = NetBufferLists; nbl != NULL; nbl = NET_BUFFER_LIST_NEXT_NBL(nbl)) {
        NDIS_STATUS status = NDIS_STATUS_SUCCESS;
        PNET_BUFFER nb;
        if (!can_send) {
            /* MiniportSendNetBufferLists docs: fail sends while paused. */
            status = NDIS_STATUS_PAUSED;
        } else {
            for (nb = NET_BUFFER_LIST_FIRST_NB(nbl); nb != NULL; nb = NET_BUFFER_NEXT_NB(nb)) {
                NDIS_STATUS one = SendOneBuffer(adapter, nb,
                                                NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags)
                                                    ? NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL
                                                    : 0);
                if (one != NDIS_STATUS_SUCCESS) {
                    status = one;
                }
            }
        }
        NET_BUFFER_LIST_STATUS(nbl) = status;
    }
    NdisMSendNetBufferListsComplete(adapter->MiniportHandle, NetBufferLists,
                                    NDIS_TEST_SEND_AT_DISPATCH_LEVEL(SendFlags)
                                        ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL
                                        : 0);
}

_Use_decl_annotations_
VOID TtMiniportCancelSend(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId)
{
    /* Sends are completed before TtMiniportSendNetBufferLists returns, so
     * there is never anything to cancel. */
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(CancelId);
}
