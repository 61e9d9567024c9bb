/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_control_device.c - the WDM control device user space opens as
 * \\.\Global\{GUID}.tap: create, read, write, device-control, cleanup and
 * close.
 *
 * A miniport does not own its DRIVER_OBJECT's dispatch table (NDIS does),
 * so the device is created with NdisRegisterDeviceEx, which takes its own
 * MajorFunctions table and, through DefaultSDDLString and DeviceClassGuid,
 * creates it like IoCreateDeviceSecure. Access is SYSTEM and Administrators
 * only; an administrator may override it for the device class under
 * HKLM\SYSTEM\CurrentControlSet\Control\Class\{class guid}\Properties.
 * Only one handle may be open at a time (the tap ABI's exclusive open).
 * The device uses direct I/O for reads and writes, buffered for IOCTLs.
 *
 * WDK ONLY (see tt_adapter.h). Not compiled on Linux. The read pairing,
 * open gate, IOCTL decoding and status mapping it calls are tested there.
 */
#include "tt_adapter.h"

#include <ntstrsafe.h>
#include <wdmsec.h>

#include "../core/tt_ether.h"
#include "tt_ntstatus_map.h"

/* {2F733458-490B-4E63-B723-66F7DEEC8193}: the control devices' setup class,
 * under which an administrator can store a different security descriptor. */
static const GUID TtControlDeviceClassGuid = {
    0x2f733458, 0x490b, 0x4e63, {0xb7, 0x23, 0x66, 0xf7, 0xde, 0xec, 0x81, 0x93}};

/* D:P = protected DACL; GA = generic all; SY = LocalSystem, BA = built-in
 * Administrators. Nobody else can open the device. */
DECLARE_CONST_UNICODE_STRING(TtControlDeviceSddl, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");

_Dispatch_type_(IRP_MJ_CREATE) DRIVER_DISPATCH TtDispatchCreate;
_Dispatch_type_(IRP_MJ_CLEANUP) DRIVER_DISPATCH TtDispatchCleanup;
_Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH TtDispatchClose;
_Dispatch_type_(IRP_MJ_READ) DRIVER_DISPATCH TtDispatchRead;
_Dispatch_type_(IRP_MJ_WRITE) DRIVER_DISPATCH TtDispatchWrite;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) DRIVER_DISPATCH TtDispatchDeviceControl;
DRIVER_DISPATCH TtDispatchUnsupported;

static NTSTATUS CompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* Enters a dispatch routine: returns the adapter with rundown protection
 * held, or NULL once the adapter is halting. */
static PTT_ADAPTER EnterAdapter(PDEVICE_OBJECT DeviceObject)
{
    PTT_CONTROL_EXTENSION ext =
        (PTT_CONTROL_EXTENSION)NdisGetDeviceReservedExtension(DeviceObject);
    if (ext == NULL || !ExAcquireRundownProtection(&ext->Rundown)) {
        return NULL;
    }
    return ext->Adapter;
}

static VOID LeaveAdapter(PDEVICE_OBJECT DeviceObject)
{
    PTT_CONTROL_EXTENSION ext =
        (PTT_CONTROL_EXTENSION)NdisGetDeviceReservedExtension(DeviceObject);
    ExReleaseRundownProtection(&ext->Rundown);
}

_Use_decl_annotations_
NTSTATUS TtDispatchCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    PTT_ADAPTER adapter = EnterAdapter(DeviceObject);
    BOOLEAN opened;
    NTSTATUS status;

    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_DEVICE_REMOVED, 0);
    }
    /* The device has no namespace: "\\.\Global\{GUID}.tap\x" is not it. */
    if (stack->FileObject != NULL && stack->FileObject->FileName.Length != 0) {
        LeaveAdapter(DeviceObject);
        return CompleteIrp(Irp, STATUS_OBJECT_NAME_NOT_FOUND, 0);
    }
    NdisAcquireSpinLock(&adapter->Lock);
    opened = TtStateTryOpen(&adapter->State);
    NdisReleaseSpinLock(&adapter->Lock);
    /* ERROR_SHARING_VIOLATION tells a second opener "in use", distinct from
     * the ERROR_ACCESS_DENIED that the SDDL gives a non-administrator. */
    status = opened ? STATUS_SUCCESS : STATUS_SHARING_VIOLATION;
    LeaveAdapter(DeviceObject);
    return CompleteIrp(Irp, status, 0);
}

_Use_decl_annotations_
NTSTATUS TtDispatchCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTT_ADAPTER adapter = EnterAdapter(DeviceObject);
    BOOLEAN media_changed;

    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_SUCCESS, 0);
    }
    /* The last user handle is gone: cancel its reads, drop queued frames,
     * and forget its configuration so the next opener starts clean. */
    TtReadQueueFlush(&adapter->Reads);
    NdisAcquireSpinLock(&adapter->Lock);
    media_changed = tt_state_reset_on_close(&adapter->Core);
    NdisReleaseSpinLock(&adapter->Lock);
    if (media_changed) {
        TtIndicateLinkState(adapter);
    }
    LeaveAdapter(DeviceObject);
    return CompleteIrp(Irp, STATUS_SUCCESS, 0);
}

_Use_decl_annotations_
NTSTATUS TtDispatchClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTT_ADAPTER adapter = EnterAdapter(DeviceObject);
    if (adapter != NULL) {
        NdisAcquireSpinLock(&adapter->Lock);
        TtStateClose(&adapter->State);
        NdisReleaseSpinLock(&adapter->Lock);
        LeaveAdapter(DeviceObject);
    }
    return CompleteIrp(Irp, STATUS_SUCCESS, 0);
}

_Use_decl_annotations_
NTSTATUS TtDispatchRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTT_ADAPTER adapter = EnterAdapter(DeviceObject);
    NTSTATUS status;
    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_DEVICE_REMOVED, 0);
    }
    /* Completes the IRP itself, now or later. */
    status = TtReadQueueSubmit(&adapter->Reads, Irp);
    LeaveAdapter(DeviceObject);
    return status;
}

_Use_decl_annotations_
NTSTATUS TtDispatchWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG length = stack->Parameters.Write.Length;
    PTT_ADAPTER adapter = EnterAdapter(DeviceObject);
    PUCHAR data;
    PUCHAR frame;
    size_t frame_length = 0;
    tt_status status;

    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_DEVICE_REMOVED, 0);
    }
    if (length == 0 || Irp->MdlAddress == NULL) {
        LeaveAdapter(DeviceObject);
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
        LeaveAdapter(DeviceObject);
        return CompleteIrp(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    }

    /* Validate and frame under the lock: the mode may change concurrently. */
    NdisAcquireSpinLock(&adapter->Lock);
    status = tt_engine_user_write(&adapter->Core, data, length, frame, TT_FRAME_MAX,
                                  &frame_length);
    if (status != TT_OK) {
        adapter->Oid.Counters.RcvError++;
    }
    NdisReleaseSpinLock(&adapter->Lock);
    if (status != TT_OK) {
        NdisFreeMemoryWithTagPriority(adapter->MiniportHandle, frame, TT_POOL_TAG);
        LeaveAdapter(DeviceObject);
        return CompleteIrp(Irp, TtNtStatusFromCore(status), 0);
    }

    /* A frame written while the adapter is paused is dropped (and counted),
     * as a NIC drops what arrives while it is stopped; the write succeeds. */
    (void)TtIndicateOwnedFrame(adapter, frame, (ULONG)frame_length);
    LeaveAdapter(DeviceObject);
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
    PTT_ADAPTER adapter = EnterAdapter(DeviceObject);
    tt_ioctl_request request; /* about 300 bytes of stack */
    size_t returned = 0;
    bool media_changed = false;
    tt_status status;

    if (adapter == NULL) {
        return CompleteIrp(Irp, STATUS_DEVICE_REMOVED, 0);
    }
    status = tt_ioctl_decode(code, buffer, in_length, out_length, &request);
    if (status == TT_OK) {
        NdisAcquireSpinLock(&adapter->Lock);
        status = tt_ioctl_execute(&adapter->Core, &request, buffer, out_length, &returned,
                                  &media_changed);
        NdisReleaseSpinLock(&adapter->Lock);
    }
    if (media_changed) {
        TtIndicateLinkState(adapter);
    }
    LeaveAdapter(DeviceObject);
    return CompleteIrp(Irp, TtNtStatusFromCore(status), status == TT_OK ? returned : 0);
}

_Use_decl_annotations_
NTSTATUS TtDispatchUnsupported(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return CompleteIrp(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
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
    PTT_CONTROL_EXTENSION ext;
    NDIS_STATUS status;
    ULONG i;

    if (!NT_SUCCESS(BuildName(&device_name, device_buffer, sizeof(device_buffer), L"\\Device\\",
                              &Adapter->Config.InstanceId)) ||
        !NT_SUCCESS(BuildName(&link_name, link_buffer, sizeof(link_buffer),
                              L"\\DosDevices\\Global\\", &Adapter->Config.InstanceId))) {
        return NDIS_STATUS_FAILURE;
    }

    for (i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
        dispatch[i] = TtDispatchUnsupported;
    }
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
    attributes.ExtensionSize = sizeof(TT_CONTROL_EXTENSION);
    attributes.DefaultSDDLString = &TtControlDeviceSddl;
    attributes.DeviceClassGuid = &TtControlDeviceClassGuid;

    status = NdisRegisterDeviceEx(TtDriver.MiniportDriverHandle, &attributes,
                                  &Adapter->ControlDevice, &Adapter->ControlDeviceHandle);
    if (status != NDIS_STATUS_SUCCESS) {
        return status;
    }
    ext = (PTT_CONTROL_EXTENSION)NdisGetDeviceReservedExtension(Adapter->ControlDevice);
    ext->Adapter = Adapter;
    ExInitializeRundownProtection(&ext->Rundown);
    Adapter->ControlExtension = ext;
    Adapter->ControlDevice->Flags |= DO_DIRECT_IO;
    Adapter->ControlDevice->Flags &= ~DO_DEVICE_INITIALIZING;
    return NDIS_STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID TtControlDeviceDestroy(PTT_ADAPTER Adapter)
{
    if (Adapter->ControlDeviceHandle == NULL) {
        return;
    }
    /* No dispatch routine is inside, and none can enter, after this. */
    ExWaitForRundownProtectionRelease(&Adapter->ControlExtension->Rundown);
    TtReadQueueFlush(&Adapter->Reads);
    /* The device object lives on (without an adapter) while user space
     * still holds a handle; every IRP on it then fails with
     * STATUS_DEVICE_REMOVED, and the I/O manager deletes it at last close. */
    NdisDeregisterDeviceEx(Adapter->ControlDeviceHandle);
    Adapter->ControlDeviceHandle = NULL;
    Adapter->ControlDevice = NULL;
    Adapter->ControlExtension = NULL;
}
