/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe_driver.c - the smallest WDM driver: one control device, \\.\TtWineProbe,
 * whose IRP_MJ_DEVICE_CONTROL answers (0x54540000 ^ IoControlCode) in a
 * METHOD_BUFFERED output buffer. Built by mingw-w64 against its ddk/wdm.h
 * (Windows' real IRP layout) and loaded by wine's kernel-driver host
 * (winedevice.exe over wine's ntoskrnl.exe); see probe.sh.
 */
#include <ddk/wdm.h>

NTSTATUS WINAPI DriverEntry(DRIVER_OBJECT *driver, UNICODE_STRING *registry_path);

static NTSTATUS WINAPI probe_dispatch(DEVICE_OBJECT *device, IRP *irp)
{
    IO_STACK_LOCATION *stack = IoGetCurrentIrpStackLocation(irp);
    (void)device;
    irp->IoStatus.Status = STATUS_SUCCESS;
    irp->IoStatus.Information = 0;
    if (stack->MajorFunction == IRP_MJ_DEVICE_CONTROL) {
        if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(ULONG)) {
            irp->IoStatus.Status = STATUS_BUFFER_TOO_SMALL;
        } else {
            *(ULONG *)irp->AssociatedIrp.SystemBuffer =
                0x54540000u ^ stack->Parameters.DeviceIoControl.IoControlCode;
            irp->IoStatus.Information = sizeof(ULONG);
        }
    }
    NTSTATUS status = irp->IoStatus.Status;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

NTSTATUS WINAPI DriverEntry(DRIVER_OBJECT *driver, UNICODE_STRING *registry_path)
{
    UNICODE_STRING name, link;
    DEVICE_OBJECT *device;
    NTSTATUS status;
    (void)registry_path;
    RtlInitUnicodeString(&name, L"\\Device\\TtWineProbe");
    RtlInitUnicodeString(&link, L"\\DosDevices\\TtWineProbe");
    status = IoCreateDevice(driver, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (status != STATUS_SUCCESS) {
        return status;
    }
    status = IoCreateSymbolicLink(&link, &name);
    if (status != STATUS_SUCCESS) {
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = probe_dispatch;
    driver->MajorFunction[IRP_MJ_CLOSE] = probe_dispatch;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = probe_dispatch;
    return STATUS_SUCCESS;
}
