/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_miniport.c - adapter lifecycle and control: MiniportInitializeEx,
 * HaltEx, Pause, Restart, OID requests, shutdown, PnP events, reset, and
 * link-state indications.
 *
 * WDK ONLY (see tt_adapter.h). Not compiled on Linux. The decisions it
 * delegates (state transitions, OID answers) are in tt_adapter_state.c and
 * tt_oid.c, which are tested on Linux against tests/stubs.
 */
#include "tt_adapter.h"

#include "../core/tt_ether.h"

static VOID FreeAdapter(PTT_ADAPTER Adapter)
{
    if (Adapter->NblPool != NULL) {
        NdisFreeNetBufferListPool(Adapter->NblPool);
    }
    NdisFreeSpinLock(&Adapter->Lock);
    NdisFreeMemoryWithTagPriority(Adapter->MiniportHandle, Adapter, TT_POOL_TAG);
}

static NDIS_STATUS SetRegistrationAttributes(PTT_ADAPTER Adapter)
{
    NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES reg;
    NdisZeroMemory(&reg, sizeof(reg));
    reg.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
    reg.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
    reg.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
    reg.MiniportAdapterContext = Adapter;
    /* No hardware: removal is always safe, and there is no bus to describe. */
    reg.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM |
                         NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK;
    reg.CheckForHangTimeInSeconds = 0;
    reg.InterfaceType = NdisInterfaceInternal;
    return NdisMSetMiniportAttributes(Adapter->MiniportHandle,
                                      (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&reg);
}

static NDIS_STATUS SetGeneralAttributes(PTT_ADAPTER Adapter)
{
    NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES gen;
    NDIS_PM_CAPABILITIES pm;
    BOOLEAN connected = tt_state_media_connected(&Adapter->Core);

    /* Mandatory for NDIS 6.20 and later. No wake-up capability at all (the
     * wake states unspecified), but a power-managed miniport: NDIS pauses it
     * and sends OID_PNP_SET_POWER for sleep instead of halting it, so a
     * client's handle survives sleep and hibernation. */
    NdisZeroMemory(&pm, sizeof(pm));
    pm.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
#if defined(NDIS_SUPPORT_NDIS630)
    pm.Header.Revision = NDIS_PM_CAPABILITIES_REVISION_2;
    pm.Header.Size = NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_2;
#else
    pm.Header.Revision = NDIS_PM_CAPABILITIES_REVISION_1;
    pm.Header.Size = NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_1;
#endif
    pm.MinMagicPacketWakeUp = NdisDeviceStateUnspecified;
    pm.MinPatternWakeUp = NdisDeviceStateUnspecified;
    pm.MinLinkChangeWakeUp = NdisDeviceStateUnspecified;

    NdisZeroMemory(&gen, sizeof(gen));
    gen.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES;
    gen.Header.Revision = NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
    gen.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2;
    gen.MediaType = NdisMedium802_3;
    gen.PhysicalMediumType = NdisPhysicalMediumUnspecified;
    gen.MtuSize = Adapter->Core.mtu;
    gen.MaxXmitLinkSpeed = TT_LINK_SPEED_BPS;
    gen.MaxRcvLinkSpeed = TT_LINK_SPEED_BPS;
    gen.XmitLinkSpeed = connected ? TT_LINK_SPEED_BPS : NDIS_LINK_SPEED_UNKNOWN;
    gen.RcvLinkSpeed = gen.XmitLinkSpeed;
    gen.MediaConnectState = connected ? MediaConnectStateConnected : MediaConnectStateDisconnected;
    gen.MediaDuplexState = MediaDuplexStateFull;
    gen.LookaheadSize = Adapter->Core.mtu;
    gen.PowerManagementCapabilitiesEx = &pm;
    gen.MacOptions = NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA | NDIS_MAC_OPTION_TRANSFERS_NOT_PEND |
                     NDIS_MAC_OPTION_NO_LOOPBACK;
    gen.SupportedPacketFilters = TT_SUPPORTED_PACKET_FILTERS;
    gen.MaxMulticastListSize = TT_MAX_MULTICAST_ADDRESSES;
    gen.MacAddressLength = TT_ETH_ADDR_LEN;
    NdisMoveMemory(gen.PermanentMacAddress, Adapter->Oid.PermanentAddress, TT_ETH_ADDR_LEN);
    NdisMoveMemory(gen.CurrentMacAddress, Adapter->Oid.CurrentAddress, TT_ETH_ADDR_LEN);
    gen.RecvScaleCapabilities = NULL;
    gen.AccessType = NET_IF_ACCESS_BROADCAST;
    gen.DirectionType = NET_IF_DIRECTION_SENDRECEIVE;
    gen.ConnectionType = NET_IF_CONNECTION_DEDICATED;
    /* Reported as Ethernet so that the stack offers DHCP, ARP and bridging
     * exactly as for a NIC; the INF marks the adapter virtual (NCF_VIRTUAL). */
    gen.IfType = IF_TYPE_ETHERNET_CSMACD;
    gen.IfConnectorPresent = FALSE;
    gen.SupportedStatistics = NDIS_STATISTICS_XMIT_OK_SUPPORTED |
                              NDIS_STATISTICS_RCV_OK_SUPPORTED |
                              NDIS_STATISTICS_XMIT_ERROR_SUPPORTED |
                              NDIS_STATISTICS_RCV_ERROR_SUPPORTED |
                              NDIS_STATISTICS_RCV_NO_BUFFER_SUPPORTED |
                              NDIS_STATISTICS_DIRECTED_FRAMES_RCV_SUPPORTED |
                              NDIS_STATISTICS_DIRECTED_FRAMES_XMIT_SUPPORTED |
                              NDIS_STATISTICS_BYTES_RCV_SUPPORTED |
                              NDIS_STATISTICS_BYTES_XMIT_SUPPORTED |
                              NDIS_STATISTICS_GEN_STATISTICS_SUPPORTED;
    gen.SupportedPauseFunctions = NdisPauseFunctionsUnsupported;
    gen.DataBackFillSize = 0;
    gen.ContextBackFillSize = 0;
    gen.SupportedOidList = (PNDIS_OID)TtSupportedOids;
    gen.SupportedOidListLength = (ULONG)(TtSupportedOidCount * sizeof(NDIS_OID));
    gen.AutoNegotiationFlags = NDIS_LINK_STATE_DUPLEX_AUTO_NEGOTIATED;
    return NdisMSetMiniportAttributes(Adapter->MiniportHandle,
                                      (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&gen);
}

static NDIS_STATUS AllocateReceivePool(PTT_ADAPTER Adapter)
{
    NET_BUFFER_LIST_POOL_PARAMETERS params;
    NdisZeroMemory(&params, sizeof(params));
    params.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    params.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    params.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    params.ProtocolId = NDIS_PROTOCOL_ID_DEFAULT;
    params.fAllocateNetBuffer = TRUE; /* one NET_BUFFER per NBL */
    params.ContextSize = 0;
    params.PoolTag = TT_POOL_TAG;
    params.DataSize = 0;              /* data comes from our own MDLs */
    Adapter->NblPool = NdisAllocateNetBufferListPool(Adapter->MiniportHandle, &params);
    return Adapter->NblPool != NULL ? NDIS_STATUS_SUCCESS : NDIS_STATUS_RESOURCES;
}

_Use_decl_annotations_
NDIS_STATUS TtMiniportInitializeEx(NDIS_HANDLE MiniportAdapterHandle,
                                   NDIS_HANDLE MiniportDriverContext,
                                   PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
    PTT_ADAPTER adapter;
    NDIS_STATUS status;

    UNREFERENCED_PARAMETER(MiniportDriverContext);
    UNREFERENCED_PARAMETER(MiniportInitParameters);

    adapter = (PTT_ADAPTER)NdisAllocateMemoryWithTagPriority(
        MiniportAdapterHandle, sizeof(TT_ADAPTER), TT_POOL_TAG, NormalPoolPriority);
    if (adapter == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(adapter, sizeof(*adapter));
    adapter->MiniportHandle = MiniportAdapterHandle;
    NdisAllocateSpinLock(&adapter->Lock);
    TtStateBeginInitialize(&adapter->State);
    TtReadQueueInitialize(&adapter->Reads, MiniportAdapterHandle);

    status = TtReadConfiguration(MiniportAdapterHandle, &adapter->Config);
    if (status != NDIS_STATUS_SUCCESS) {
        goto fail;
    }
#if DBG
    tt_state_init(&adapter->Core, adapter->Config.Mac, adapter->Config.Mtu,
                  adapter->Config.MediaPolicy, true);
#else
    tt_state_init(&adapter->Core, adapter->Config.Mac, adapter->Config.Mtu,
                  adapter->Config.MediaPolicy, false);
#endif
    NdisMoveMemory(adapter->Oid.PermanentAddress, adapter->Config.Mac, 6);
    NdisMoveMemory(adapter->Oid.CurrentAddress, adapter->Config.Mac, 6);
    adapter->Oid.Mtu = adapter->Core.mtu;
    adapter->Oid.Lookahead = adapter->Core.mtu;
    adapter->Oid.MediaConnected = tt_state_media_connected(&adapter->Core);
    adapter->Oid.DriverVersion = (TT_DRIVER_MAJOR_VERSION << 16) | TT_DRIVER_MINOR_VERSION;

    /* Registration attributes must be set before any other attributes
     * (MiniportInitializeEx docs). */
    status = SetRegistrationAttributes(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto fail;
    }
    status = SetGeneralAttributes(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto fail;
    }
    status = AllocateReceivePool(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto fail;
    }
    status = TtControlDeviceCreate(adapter);
    if (status != NDIS_STATUS_SUCCESS) {
        goto fail;
    }

    NdisAcquireSpinLock(&adapter->Lock);
    TtStateEndInitialize(&adapter->State, TRUE); /* now Paused */
    NdisReleaseSpinLock(&adapter->Lock);
    return NDIS_STATUS_SUCCESS;

fail:
    TtStateEndInitialize(&adapter->State, FALSE);
    FreeAdapter(adapter);
    return status;
}

_Use_decl_annotations_
VOID TtMiniportHaltEx(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction)
{
    PTT_ADAPTER adapter = (PTT_ADAPTER)MiniportAdapterContext;
    UNREFERENCED_PARAMETER(HaltAction);

    /* Waits for dispatch routines in progress, cancels pending reads, frees
     * queued frames, waits for cancellations in flight, deregisters the
     * control device. Nothing can reach the adapter after this. */
    TtControlDeviceDestroy(adapter);

    NdisAcquireSpinLock(&adapter->Lock);
    (void)TtStateHalt(&adapter->State); /* NDIS halts only paused adapters */
    NdisReleaseSpinLock(&adapter->Lock);
    FreeAdapter(adapter);
}

_Use_decl_annotations_
NDIS_STATUS TtMiniportPause(NDIS_HANDLE MiniportAdapterContext,
                            PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters)
{
    PTT_ADAPTER adapter = (PTT_ADAPTER)MiniportAdapterContext;
    NDIS_STATUS status;
    UNREFERENCED_PARAMETER(PauseParameters);

    /* Sends are completed synchronously, so only receive indications still
     * owned by NDIS can keep the pause pending; TtMiniportReturnNetBufferLists
     * completes it with NdisMPauseComplete. */
    NdisAcquireSpinLock(&adapter->Lock);
    status = TtStatePause(&adapter->State);
    NdisReleaseSpinLock(&adapter->Lock);
    return status;
}

_Use_decl_annotations_
NDIS_STATUS TtMiniportRestart(NDIS_HANDLE MiniportAdapterContext,
                              PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters)
{
    PTT_ADAPTER adapter = (PTT_ADAPTER)MiniportAdapterContext;
    NDIS_STATUS status;
    UNREFERENCED_PARAMETER(RestartParameters);

    NdisAcquireSpinLock(&adapter->Lock);
    status = TtStateRestart(&adapter->State);
    NdisReleaseSpinLock(&adapter->Lock);
    return status;
}

_Use_decl_annotations_
NDIS_STATUS TtMiniportOidRequest(NDIS_HANDLE MiniportAdapterContext, PNDIS_OID_REQUEST OidRequest)
{
    PTT_ADAPTER adapter = (PTT_ADAPTER)MiniportAdapterContext;
    NDIS_STATUS status;
    /* NDIS_OID_REQUEST's byte counts are UINT; the OID table's are ULONG. */
    ULONG done = 0;
    ULONG needed = 0;

    /* Every OID is answered synchronously from TT_OID_CONTEXT. */
    NdisAcquireSpinLock(&adapter->Lock);
    switch (OidRequest->RequestType) {
    case NdisRequestQueryInformation:
    case NdisRequestQueryStatistics:
        status = TtOidQuery(&adapter->Oid, OidRequest->DATA.QUERY_INFORMATION.Oid,
                            OidRequest->DATA.QUERY_INFORMATION.InformationBuffer,
                            OidRequest->DATA.QUERY_INFORMATION.InformationBufferLength, &done,
                            &needed);
        OidRequest->DATA.QUERY_INFORMATION.BytesWritten = (UINT)done;
        OidRequest->DATA.QUERY_INFORMATION.BytesNeeded = (UINT)needed;
        break;
    case NdisRequestSetInformation:
        status = TtOidSet(&adapter->Oid, OidRequest->DATA.SET_INFORMATION.Oid,
                          OidRequest->DATA.SET_INFORMATION.InformationBuffer,
                          OidRequest->DATA.SET_INFORMATION.InformationBufferLength, &done,
                          &needed);
        OidRequest->DATA.SET_INFORMATION.BytesRead = (UINT)done;
        OidRequest->DATA.SET_INFORMATION.BytesNeeded = (UINT)needed;
        break;
    default:
        status = NDIS_STATUS_NOT_SUPPORTED;
        break;
    }
    NdisReleaseSpinLock(&adapter->Lock);
    return status;
}

_Use_decl_annotations_
VOID TtMiniportCancelOidRequest(NDIS_HANDLE MiniportAdapterContext, PVOID RequestId)
{
    /* Nothing to cancel: no OID request is ever left pending. */
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(RequestId);
}

_Use_decl_annotations_
VOID TtMiniportShutdownEx(NDIS_HANDLE MiniportAdapterContext, NDIS_SHUTDOWN_ACTION ShutdownAction)
{
    /* No hardware to quiesce; user space sees its handle fail as the
     * system goes down. */
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(ShutdownAction);
}

_Use_decl_annotations_
VOID TtMiniportDevicePnPEventNotify(NDIS_HANDLE MiniportAdapterContext,
                                    PNET_DEVICE_PNP_EVENT NetDevicePnPEvent)
{
    /* Surprise removal of a virtual device needs no hardware teardown; the
     * halt that follows releases everything. */
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    UNREFERENCED_PARAMETER(NetDevicePnPEvent);
}

_Use_decl_annotations_
NDIS_STATUS TtMiniportResetEx(NDIS_HANDLE MiniportAdapterContext, PBOOLEAN AddressingReset)
{
    UNREFERENCED_PARAMETER(MiniportAdapterContext);
    *AddressingReset = FALSE; /* filters and addresses are unchanged */
    return NDIS_STATUS_SUCCESS;
}

VOID TtIndicateLinkState(PTT_ADAPTER Adapter)
{
    NDIS_LINK_STATE link;
    NDIS_STATUS_INDICATION indication;
    BOOLEAN connected;

    NdisAcquireSpinLock(&Adapter->Lock);
    connected = tt_state_media_connected(&Adapter->Core);
    Adapter->Oid.MediaConnected = connected;
    NdisReleaseSpinLock(&Adapter->Lock);

    NdisZeroMemory(&link, sizeof(link));
    link.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    link.Header.Revision = NDIS_LINK_STATE_REVISION_1;
    link.Header.Size = NDIS_SIZEOF_LINK_STATE_REVISION_1;
    link.MediaConnectState = connected ? MediaConnectStateConnected : MediaConnectStateDisconnected;
    link.MediaDuplexState = MediaDuplexStateFull;
    link.XmitLinkSpeed = connected ? TT_LINK_SPEED_BPS : NDIS_LINK_SPEED_UNKNOWN;
    link.RcvLinkSpeed = link.XmitLinkSpeed;
    link.PauseFunctions = NdisPauseFunctionsUnsupported;

    NdisZeroMemory(&indication, sizeof(indication));
    indication.Header.Type = NDIS_OBJECT_TYPE_STATUS_INDICATION;
    indication.Header.Revision = NDIS_STATUS_INDICATION_REVISION_1;
    indication.Header.Size = NDIS_SIZEOF_STATUS_INDICATION_REVISION_1;
    indication.SourceHandle = Adapter->MiniportHandle;
    indication.StatusCode = NDIS_STATUS_LINK_STATE;
    indication.StatusBuffer = &link;
    indication.StatusBufferSize = sizeof(link);
    NdisMIndicateStatusEx(Adapter->MiniportHandle, &indication);
}
