/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_adapter.h - the per-adapter context of the NDIS 6.20 miniport and the
 * entry points shared by the WDK-only glue files.
 *
 * WDK ONLY: this header and tt_driver.c, tt_miniport.c, tt_datapath.c,
 * tt_control_device.c, tt_config.c compile only with the Windows Driver Kit
 * (build/windows/tuntap6.vcxproj, NDIS620_MINIPORT). They are not compiled on
 * Linux; their portable logic lives in tt_adapter_state.c, tt_oid.c,
 * tt_read_queue.c and core/, which are.
 *
 * Locking: Adapter->Lock (an NDIS_SPIN_LOCK) protects State, Core and Oid.
 * It is held only for short, non-blocking work (no IRP completion, no NDIS
 * indication), so every path may take it at IRQL <= DISPATCH_LEVEL.
 * The read queue has its own locks (tt_read_queue.h).
 */
#ifndef TT_ADAPTER_H
#define TT_ADAPTER_H

#include <ndis.h>

#include "../abi/tuntap_tap_ioctl.h"
#include "../core/tt_engine.h"
#include "../core/tt_ioctl.h"
#include "../core/tt_state.h"
#include "tt_adapter_state.h"
#include "tt_oid.h"
#include "tt_read_queue.h"

#define TT_DRIVER_MAJOR_VERSION 1
#define TT_DRIVER_MINOR_VERSION 0

struct _TT_ADAPTER;

/*
 * The control device's state that outlives the adapter. NdisDeregisterDeviceEx
 * frees the device extension ("If NdisRegisterDeviceEx allocated an
 * extension, NdisDeregisterDeviceEx frees the extension"), yet a handle
 * opened before the halt still gets IRP_MJ_CLEANUP and IRP_MJ_CLOSE, and
 * possibly reads, writes and IOCTLs, and an IRP_MJ_CREATE may already be in
 * its dispatch routine while the device is deregistered. So the device has
 * no extension at all: its state lives here, in pool of the miniport driver
 * (not of the adapter), on the driver's list TtDriver.Controls. A file
 * object finds it through FileObject->FsContext; IRP_MJ_CREATE finds it by
 * its device object on that list (under TtDriver.Lock), where Device is set
 * only once everything is ready and cleared before deregistration. A
 * TT_CONTROL is freed at driver unload, when no device object (and so no
 * file object or dispatch routine) of the driver remains.
 *
 * Rundown keeps Adapter valid while a dispatch routine uses it; halt waits
 * for it, after which every request fails with STATUS_DEVICE_REMOVED.
 */
typedef struct _TT_CONTROL {
    struct _TT_CONTROL *Next;   /* TtDriver.Controls, under TtDriver.Lock */
    PDEVICE_OBJECT Device;      /* under TtDriver.Lock; NULL unless usable */
    EX_RUNDOWN_REF Rundown;
    struct _TT_ADAPTER *Adapter;
} TT_CONTROL, *PTT_CONTROL;

/* What the registry says about one adapter (tt_config.c). */
typedef struct _TT_CONFIG {
    ULONG Mtu;
    tt_media_policy MediaPolicy;
    UCHAR Mac[6];
    GUID InstanceGuid;
    WCHAR InstanceIdBuffer[TUNTAP_TAP_GUID_STRING_LENGTH + 1];
    UNICODE_STRING InstanceId; /* "{GUID}", points into InstanceIdBuffer */
} TT_CONFIG, *PTT_CONFIG;

typedef struct _TT_ADAPTER {
    NDIS_HANDLE MiniportHandle;
    NDIS_SPIN_LOCK Lock;
    TT_ADAPTER_STATE State;     /* under Lock */
    tt_state Core;              /* under Lock */
    TT_OID_CONTEXT Oid;         /* under Lock */
    TT_READ_QUEUE Reads;
    NDIS_HANDLE NblPool;
    TT_CONFIG Config;
    NDIS_HANDLE ControlDeviceHandle;
    PDEVICE_OBJECT ControlDevice;
    PTT_CONTROL Control;
} TT_ADAPTER, *PTT_ADAPTER;

typedef struct _TT_DRIVER {
    NDIS_HANDLE MiniportDriverHandle;
    NDIS_SPIN_LOCK Lock;
    PTT_CONTROL Controls; /* every TT_CONTROL, freed at unload */
} TT_DRIVER;

extern TT_DRIVER TtDriver;

/* tt_config.c: reads MTU, MediaStatus, NetworkAddress and NetCfgInstanceId.
 * Fails only if NetCfgInstanceId is missing or not a GUID. PASSIVE_LEVEL. */
_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS TtReadConfiguration(NDIS_HANDLE MiniportHandle, PTT_CONFIG Config);

/* tt_control_device.c: creates \Device\{GUID}.tap and its \DosDevices\Global
 * link for Adapter; destroys it: waits for dispatch routines in progress,
 * cancels every pending read, waits for cancellations in flight, and
 * deregisters the device. Open handles then fail with
 * STATUS_DEVICE_REMOVED until they are closed. */
_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS TtControlDeviceCreate(PTT_ADAPTER Adapter);
_IRQL_requires_(PASSIVE_LEVEL)
VOID TtControlDeviceDestroy(PTT_ADAPTER Adapter);
/* Frees every TT_CONTROL (MiniportDriverUnload). */
_IRQL_requires_(PASSIVE_LEVEL)
VOID TtControlDeviceUnload(VOID);

/* tt_datapath.c */
MINIPORT_SEND_NET_BUFFER_LISTS TtMiniportSendNetBufferLists;
MINIPORT_RETURN_NET_BUFFER_LISTS TtMiniportReturnNetBufferLists;
MINIPORT_CANCEL_SEND TtMiniportCancelSend;

/* Indicates a frame to the host as received. Takes ownership of Buffer (a
 * pool block of at least Length bytes from NdisAllocateMemoryWithTagPriority
 * with TT_POOL_TAG) and frees it on every failure. Returns
 * NDIS_STATUS_SUCCESS, NDIS_STATUS_PAUSED (adapter not running) or
 * NDIS_STATUS_RESOURCES. IRQL <= DISPATCH_LEVEL. */
/* ReceiveFlags is NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL when the caller runs at
 * DISPATCH_LEVEL (known from its own context, never from
 * KeGetCurrentIrql), else 0. Nothing is indicated while the packet filter
 * is 0 ("receive indications are disabled"). */
NDIS_STATUS TtIndicateOwnedFrame(PTT_ADAPTER Adapter, PUCHAR Buffer, ULONG Length,
                                 ULONG ReceiveFlags);

/* As TtIndicateOwnedFrame, but copies Frame first; the caller keeps it. */
NDIS_STATUS TtIndicateFrameCopy(PTT_ADAPTER Adapter, const UCHAR *Frame, ULONG Length,
                                ULONG ReceiveFlags);

/* tt_miniport.c: reports the current media state to NDIS
 * (NDIS_STATUS_LINK_STATE). IRQL <= DISPATCH_LEVEL. */
VOID TtIndicateLinkState(PTT_ADAPTER Adapter);

MINIPORT_INITIALIZE TtMiniportInitializeEx;
MINIPORT_HALT TtMiniportHaltEx;
MINIPORT_PAUSE TtMiniportPause;
MINIPORT_RESTART TtMiniportRestart;
MINIPORT_OID_REQUEST TtMiniportOidRequest;
MINIPORT_CANCEL_OID_REQUEST TtMiniportCancelOidRequest;
MINIPORT_SHUTDOWN TtMiniportShutdownEx;
MINIPORT_DEVICE_PNP_EVENT_NOTIFY TtMiniportDevicePnPEventNotify;
MINIPORT_RESET TtMiniportResetEx;

#endif /* TT_ADAPTER_H */
