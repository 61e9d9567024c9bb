/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_driver.c - DriverEntry: registers the NDIS 6.20 miniport driver.
 *
 * WDK ONLY (see tt_adapter.h). Not compiled on Linux.
 */
#include "tt_adapter.h"

TT_DRIVER TtDriver;

DRIVER_INITIALIZE DriverEntry;
MINIPORT_UNLOAD TtMiniportDriverUnload;

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, TtMiniportDriverUnload)
#endif

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NDIS_MINIPORT_DRIVER_CHARACTERISTICS chars;
    NDIS_STATUS status;

    /* Non-executable non-paged pool for every allocation on Windows 8+. */
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
    NdisAllocateSpinLock(&TtDriver.Lock);
    TtDriver.Controls = NULL;

    NdisZeroMemory(&chars, sizeof(chars));
    chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
    chars.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
    chars.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
    chars.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION; /* 6 */
    chars.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION; /* 20 with NDIS620_MINIPORT */
    chars.MajorDriverVersion = TT_DRIVER_MAJOR_VERSION;
    chars.MinorDriverVersion = TT_DRIVER_MINOR_VERSION;
    /* A virtual miniport with its own WDM control device. */
    chars.Flags = NDIS_WDM_DRIVER;

    chars.InitializeHandlerEx = TtMiniportInitializeEx;
    chars.HaltHandlerEx = TtMiniportHaltEx;
    chars.UnloadHandler = TtMiniportDriverUnload;
    chars.PauseHandler = TtMiniportPause;
    chars.RestartHandler = TtMiniportRestart;
    chars.OidRequestHandler = TtMiniportOidRequest;
    chars.CancelOidRequestHandler = TtMiniportCancelOidRequest;
    chars.SendNetBufferListsHandler = TtMiniportSendNetBufferLists;
    chars.ReturnNetBufferListsHandler = TtMiniportReturnNetBufferLists;
    chars.CancelSendHandler = TtMiniportCancelSend;
    chars.DevicePnPEventNotifyHandler = TtMiniportDevicePnPEventNotify;
    chars.ShutdownHandlerEx = TtMiniportShutdownEx;
    chars.ResetHandlerEx = TtMiniportResetEx;
    chars.CheckForHangHandlerEx = NULL; /* nothing can hang: no hardware */

    status = NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &chars,
                                         &TtDriver.MiniportDriverHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        NdisFreeSpinLock(&TtDriver.Lock);
        return (NTSTATUS)status;
    }
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID TtMiniportDriverUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    PAGED_CODE();
    /* NDIS has halted every adapter (and so deregistered every control
     * device), and the driver is unloaded only once no device object of
     * its own remains, so no file object refers to a TT_CONTROL any more. */
    TtControlDeviceUnload();
    NdisMDeregisterMiniportDriver(TtDriver.MiniportDriverHandle);
    NdisFreeSpinLock(&TtDriver.Lock);
}
