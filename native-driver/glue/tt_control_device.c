/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_control_device.c - the WDM control device user space opens as
 * \\.\Global\{GUID}.tap: create, read, write, device-control, cleanup and
 * close.
 *
 * A miniport does not own its DRIVER_OBJECT's dispatch table (NDIS does),
 * so the device is created with NdisRegisterDeviceEx, which takes its own
 * MajorFunctions table. Only the six majors used are filled; PnP and power
 * entries must stay empty for this device (NDIS_DEVICE_OBJECT_ATTRIBUTES),
 * and DeviceClassGuid is reserved for NDIS (NULL). Access is SYSTEM and
 * Administrators only (DefaultSDDLString).
 * Only one handle may be open at a time (the tap ABI's exclusive open).
 * The device uses direct I/O for reads and writes, buffered for IOCTLs.
 *
 * Lifetimes (tt_adapter.h, TT_CONTROL): dispatch routines reach the
 * adapter through a TT_CONTROL (found by device object at create, then in
 * FileObject->FsContext), under its rundown protection; the device has no
 * extension. FsContext2 holds the handle's epoch (tt_adapter_state.h).
 *
 * WDK ONLY (see tt_adapter.h); on Linux it runs under sim/.
 */
#include "tt_adapter.h"

#include <ntstrsafe.h>
#include <wdmsec.h>

#include "../core/tt_ether.h"
#include "tt_ntstatus_map.h"

/* D:P = protected DACL; GA = generic all; SY = LocalSystem, BA = built-in
 * Administrators. Nobody else can open the device. */
DECLARE_CONST_UNICODE_STRING(TtControlDeviceSddl, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");

_Dispatch_type_(IRP_MJ_CREATE) DRIVER_DISPATCH TtDispatchCreate;
_Dispatch_type_(IRP_MJ_CLEANUP) DRIVER_DISPATCH TtDispatchCleanup;
_Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH TtDispatchClose;
_Dispatch_type_(IRP_MJ_READ) DRIVER_DISPATCH TtDispatchRead;
_Dispatch_type_(IRP_MJ_WRITE) DRIVER_DISPATCH TtDispatchWrite;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) DRIVER_DISPATCH TtDispatchDeviceControl;

static NTSTATUS CompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static PTT_CONTROL FileControl(PIRP Irp)
{
    return (PTT_CONTROL)IoGetCurrentIrpStackLocation(Irp)->FileObject->FsContext;
}

static ULONG FileEpoch(PIRP Irp)
{
    return (ULONG)(ULONG_PTR)IoGetCurrentIrpStackLocation(Irp)->FileObject->FsContext2;
}

/* Returns the adapter with rundown protection held, or NULL once the
 * adapter is halting or halted. */
static PTT_ADAPTER EnterControl(PTT_CONTROL Control)
{
    if (Control == NULL || !ExAcquireRundownProtection(&Control->Rundown)) {
        return NULL;
    }
    return Control->Adapter;
}

static VOID LeaveControl(PTT_CONTROL Control)
{
    ExReleaseRundownProtection(&Control->Rundown);
}

/* The TT_CONTROL of DeviceObject, or NULL while the device is not ready
 * or once it is being removed. */
static PTT_CONTROL FindControl(PDEVICE_OBJECT DeviceObject)
{
    PTT_CONTROL control;
    NdisAcquireSpinLock(&TtDriver.Lock);
    for (control = TtDriver.Controls; control != NULL; control = control->Next) {
        if (control->Device == DeviceObject) {
            break;
        }
    }
    NdisReleaseSpinLock(&TtDriver.Lock);
    return control;
}

_Use_decl_annotations_
NTSTATUS TtDispatchCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    PTT_CONTROL control = FindControl(DeviceObject);
    PTT_ADAPTER adapter;
    ULONG epoch;

    if (control == NULL) {
        /* Not yet ready (TtControlDeviceCreate), or being removed. */
        return CompleteIrp(Irp, STATUS_DEVICE_NOT_READY, 0);
    }
    adapter = EnterControl(control);
    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_DEVICE_REMOVED, 0);
    }
    /* The device has no namespace: "\\.\Global\{GUID}.tap\x" is not it. */
    if (stack->FileObject == NULL || stack->FileObject->FileName.Length != 0) {
        LeaveControl(control);
        return CompleteIrp(Irp, STATUS_OBJECT_NAME_NOT_FOUND, 0);
    }
    NdisAcquireSpinLock(&adapter->Lock);
    epoch = TtStateTryOpen(&adapter->State);
    NdisReleaseSpinLock(&adapter->Lock);
    if (epoch != 0) {
        TtReadQueueOpen(&adapter->Reads, epoch);
        stack->FileObject->FsContext = control;
        stack->FileObject->FsContext2 = (PVOID)(ULONG_PTR)epoch;
    }
    LeaveControl(control);
    /* ERROR_SHARING_VIOLATION tells a second opener "in use", distinct from
     * the ERROR_ACCESS_DENIED that the SDDL gives a non-administrator. */
    return CompleteIrp(Irp, epoch != 0 ? STATUS_SUCCESS : STATUS_SHARING_VIOLATION, 0);
}

_Use_decl_annotations_
NTSTATUS TtDispatchCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTT_CONTROL control = FileControl(Irp);
    PTT_ADAPTER adapter = EnterControl(control);
    BOOLEAN was_active;
    BOOLEAN media_changed = FALSE;
    UNREFERENCED_PARAMETER(DeviceObject);

    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_SUCCESS, 0);
    }
    /* The handle is going away: from now on its requests are refused and
     * frames framed for it are dropped (its epoch ends). Then its reads are
     * cancelled, queued frames dropped, and its configuration forgotten, so
     * that the next opener starts clean. */
    NdisAcquireSpinLock(&adapter->Lock);
    was_active = TtStateCleanup(&adapter->State, FileEpoch(Irp));
    if (was_active) {
        media_changed = tt_state_reset_on_close(&adapter->Core);
    }
    NdisReleaseSpinLock(&adapter->Lock);
    if (was_active) {
        TtReadQueueClose(&adapter->Reads);
    }
    if (media_changed) {
        TtIndicateLinkState(adapter);
    }
    LeaveControl(control);
    return CompleteIrp(Irp, STATUS_SUCCESS, 0);
}

_Use_decl_annotations_
NTSTATUS TtDispatchClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTT_CONTROL control = FileControl(Irp);
    PTT_ADAPTER adapter = EnterControl(control);
    UNREFERENCED_PARAMETER(DeviceObject);
    if (adapter != NULL) {
        NdisAcquireSpinLock(&adapter->Lock);
        TtStateClose(&adapter->State, FileEpoch(Irp));
        NdisReleaseSpinLock(&adapter->Lock);
        LeaveControl(control);
    }
    return CompleteIrp(Irp, STATUS_SUCCESS, 0);
}

_Use_decl_annotations_
NTSTATUS TtDispatchRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTT_CONTROL control = FileControl(Irp);
    PTT_ADAPTER adapter = EnterControl(control);
    NTSTATUS status;
    UNREFERENCED_PARAMETER(DeviceObject);
    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_DEVICE_REMOVED, 0);
    }
    /* Completes the IRP itself, now or later; refuses it after cleanup. */
    status = TtReadQueueSubmit(&adapter->Reads, Irp, FileEpoch(Irp));
    LeaveControl(control);
    return status;
}

_Use_decl_annotations_
NTSTATUS TtDispatchWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG length = stack->Parameters.Write.Length;
    PTT_CONTROL control = FileControl(Irp);
    PTT_ADAPTER adapter = EnterControl(control);
    PUCHAR data;
    PUCHAR frame;
    size_t frame_length = 0;
    BOOLEAN active;
    tt_status status;
    UNREFERENCED_PARAMETER(DeviceObject);

    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_DEVICE_REMOVED, 0);
    }
    if (length == 0 || Irp->MdlAddress == NULL) {
        LeaveControl(control);
        return CompleteIrp(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    data = (PUCHAR)MmGetSystemAddressForMdlSafe(Irp->MdlAddress,
                                                NormalPagePriority | MdlMappingNoExecute);
    frame = (PUCHAR)NdisAllocateMemoryWithTagPriority(adapter->MiniportHandle, TT_FRAME_MAX,
                                                      TT_POOL_TAG, NormalPoolPriority);
    if (data == NULL || frame == NULL) {
        if (frame != NULL) {
            NdisFreeMemoryWithTagPriority(adapter->MiniportHandle, frame, TT_POOL_TAG);
        }
        LeaveControl(control);
        return CompleteIrp(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    }

    /* Validate and frame under the lock: the mode may change concurrently,
     * and a handle being cleaned up may not write any more. */
    NdisAcquireSpinLock(&adapter->Lock);
    active = FileEpoch(Irp) != 0 && TtStateActiveEpoch(&adapter->State) == FileEpoch(Irp);
    status = TT_OK;
    if (active) {
        status = tt_engine_user_write(&adapter->Core, data, length, frame, TT_FRAME_MAX,
                                      &frame_length);
        if (status != TT_OK) {
            adapter->Oid.Counters.RcvError++;
        }
    }
    NdisReleaseSpinLock(&adapter->Lock);
    if (!active || status != TT_OK) {
        NdisFreeMemoryWithTagPriority(adapter->MiniportHandle, frame, TT_POOL_TAG);
        LeaveControl(control);
        return CompleteIrp(Irp, active ? TtNtStatusFromCore(status) : STATUS_FILE_CLOSED, 0);
    }

    /* A frame written while the adapter is paused is dropped (and counted),
     * as a NIC drops what arrives while it is stopped; the write succeeds.
     * Dispatch routines run at PASSIVE_LEVEL. */
    (void)TtIndicateOwnedFrame(adapter, frame, (ULONG)frame_length, 0);
    LeaveControl(control);
    return CompleteIrp(Irp, STATUS_SUCCESS, length);
}

_Use_decl_annotations_
NTSTATUS TtDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG code = stack->Parameters.DeviceIoControl.IoControlCode;
    ULONG in_length = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out_length = stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID buffer = Irp->AssociatedIrp.SystemBuffer; /* METHOD_BUFFERED: in and out */
    PTT_CONTROL control = FileControl(Irp);
    PTT_ADAPTER adapter = EnterControl(control);
    tt_ioctl_request request; /* about 300 bytes of stack */
    size_t returned = 0;
    bool media_changed = false;
    BOOLEAN active = TRUE;
    tt_status status;
    UNREFERENCED_PARAMETER(DeviceObject);

    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_DEVICE_REMOVED, 0);
    }
    status = tt_ioctl_decode(code, buffer, in_length, out_length, &request);
    if (status == TT_OK) {
        NdisAcquireSpinLock(&adapter->Lock);
        /* After cleanup the handle may not reconfigure the adapter that
         * the next opener will get. */
        active = FileEpoch(Irp) != 0 && TtStateActiveEpoch(&adapter->State) == FileEpoch(Irp);
        if (active) {
            status = tt_ioctl_execute(&adapter->Core, &request, buffer, out_length, &returned,
                                      &media_changed);
        }
        NdisReleaseSpinLock(&adapter->Lock);
    }
    if (media_changed) {
        TtIndicateLinkState(adapter);
    }
    LeaveControl(control);
    if (!active) {
        return CompleteIrp(Irp, STATUS_FILE_CLOSED, 0);
    }
    return CompleteIrp(Irp, TtNtStatusFromCore(status), status == TT_OK ? returned : 0);
}

/* Builds Prefix + "{GUID}" + ".tap" into Buffer (Capacity bytes). */
static NTSTATUS BuildName(PUNICODE_STRING Name, PWCHAR Buffer, USHORT Capacity, PCWSTR Prefix,
                          PCUNICODE_STRING InstanceId)
{
    RtlInitEmptyUnicodeString(Name, Buffer, Capacity);
    return RtlUnicodeStringPrintf(Name, L"%ws%wZ%ws", Prefix, InstanceId, L".tap");
}

_Use_decl_annotations_
NDIS_STATUS TtControlDeviceCreate(PTT_ADAPTER Adapter)
{
    PDRIVER_DISPATCH dispatch[IRP_MJ_MAXIMUM_FUNCTION + 1];
    NDIS_DEVICE_OBJECT_ATTRIBUTES attributes;
    UNICODE_STRING device_name;
    UNICODE_STRING link_name;
    WCHAR device_buffer[64];
    WCHAR link_buffer[64];
    PTT_CONTROL control;
    NDIS_STATUS status;

    if (!NT_SUCCESS(BuildName(&device_name, device_buffer, (USHORT)sizeof(device_buffer),
                              L"\\Device\\", &Adapter->Config.InstanceId)) ||
        !NT_SUCCESS(BuildName(&link_name, link_buffer, (USHORT)sizeof(link_buffer),
                              L"\\DosDevices\\Global\\", &Adapter->Config.InstanceId))) {
        return NDIS_STATUS_FAILURE;
    }

    /* Everything a dispatch routine needs exists before the device does. */
    control = (PTT_CONTROL)NdisAllocateMemoryWithTagPriority(
        TtDriver.MiniportDriverHandle, (UINT)sizeof(TT_CONTROL), TT_POOL_TAG, NormalPoolPriority);
    if (control == NULL) {
        return NDIS_STATUS_RESOURCES;
    }
    NdisZeroMemory(control, sizeof(*control));
    ExInitializeRundownProtection(&control->Rundown);
    control->Adapter = Adapter;

    /* Only the majors used; PnP and power must stay NULL for this device. */
    NdisZeroMemory(dispatch, sizeof(dispatch));
    dispatch[IRP_MJ_CREATE] = TtDispatchCreate;
    dispatch[IRP_MJ_CLEANUP] = TtDispatchCleanup;
    dispatch[IRP_MJ_CLOSE] = TtDispatchClose;
    dispatch[IRP_MJ_READ] = TtDispatchRead;
    dispatch[IRP_MJ_WRITE] = TtDispatchWrite;
    dispatch[IRP_MJ_DEVICE_CONTROL] = TtDispatchDeviceControl;

    NdisZeroMemory(&attributes, sizeof(attributes));
    attributes.Header.Type = NDIS_OBJECT_TYPE_DEVICE_OBJECT_ATTRIBUTES;
    attributes.Header.Revision = NDIS_DEVICE_OBJECT_ATTRIBUTES_REVISION_1;
    attributes.Header.Size = NDIS_SIZEOF_DEVICE_OBJECT_ATTRIBUTES_REVISION_1;
    attributes.DeviceName = &device_name;
    attributes.SymbolicName = &link_name;
    attributes.MajorFunctions = dispatch;
    attributes.ExtensionSize = 0; /* see TT_CONTROL */
    attributes.DefaultSDDLString = &TtControlDeviceSddl;
    attributes.DeviceClassGuid = NULL; /* reserved for NDIS */

    status = NdisRegisterDeviceEx(TtDriver.MiniportDriverHandle, &attributes,
                                  &Adapter->ControlDevice, &Adapter->ControlDeviceHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        NdisFreeMemoryWithTagPriority(TtDriver.MiniportDriverHandle, control, TT_POOL_TAG);
        Adapter->ControlDeviceHandle = NULL;
        return status;
    }
    Adapter->Control = control;
    Adapter->ControlDevice->Flags |= DO_DIRECT_IO;
    Adapter->ControlDevice->Flags &= ~(ULONG)DO_DEVICE_INITIALIZING;
    /* Published last: until now IRP_MJ_CREATE answers STATUS_DEVICE_NOT_READY. */
    NdisAcquireSpinLock(&TtDriver.Lock);
    control->Device = Adapter->ControlDevice;
    control->Next = TtDriver.Controls;
    TtDriver.Controls = control;
    NdisReleaseSpinLock(&TtDriver.Lock);
    return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID TtControlDeviceDestroy(PTT_ADAPTER Adapter)
{
    if (Adapter->ControlDeviceHandle == NULL) {
        return;
    }
    /* New creates no longer find the device (its address may be reused once
     * it is deleted) ... */
    NdisAcquireSpinLock(&TtDriver.Lock);
    Adapter->Control->Device = NULL;
    NdisReleaseSpinLock(&TtDriver.Lock);
    /* ... and no dispatch routine is inside, and none can enter, after this. */
    ExWaitForRundownProtectionRelease(&Adapter->Control->Rundown);
    /* Cancel pending reads, drop queued frames, and wait until no cancel
     * routine can still be using the queue that the adapter embeds. */
    TtReadQueueClose(&Adapter->Reads);
    TtReadQueueDrain(&Adapter->Reads);
    /* Open handles keep reaching Adapter->Control through FsContext and get
     * STATUS_DEVICE_REMOVED. */
    NdisDeregisterDeviceEx(Adapter->ControlDeviceHandle);
    Adapter->ControlDeviceHandle = NULL;
    Adapter->ControlDevice = NULL;
    Adapter->Control = NULL;
}

_Use_decl_annotations_
VOID TtControlDeviceUnload(VOID)
{
    PTT_CONTROL control = TtDriver.Controls;
    TtDriver.Controls = NULL;
    while (control != NULL) {
        PTT_CONTROL next = control->Next;
        NdisFreeMemoryWithTagPriority(TtDriver.MiniportDriverHandle, control, TT_POOL_TAG);
        control = next;
    }
}
