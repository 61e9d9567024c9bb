/* SPDX-License-Identifier: Apache-2.0 */
/*
 * layout_probe.c - sizes and offsets of the I/O manager's structures that
 * glue/ dereferences, compiled twice: against sim/wdk (the stand-in the
 * simulation and glue/ are built with) and against mingw-w64's ddk/wdm.h
 * (Windows' layout, which wine's ntoskrnl.exe uses). Prints one line.
 */
#ifdef PROBE_REAL
#include <ddk/wdm.h>
#else
#include <ndis.h>
#endif
#include <stddef.h>
#include <stdio.h>

int main(void)
{
    printf("IRP %u, SystemBuffer@%u, IoStatus@%u, Cancel@%u, UserBuffer@%u, CurrentStackLocation@%u; "
           "IO_STACK_LOCATION %u; DEVICE_OBJECT %u, DeviceExtension@%u; FILE_OBJECT %u, FsContext@%u\n",
           (unsigned)sizeof(IRP), (unsigned)offsetof(IRP, AssociatedIrp.SystemBuffer),
           (unsigned)offsetof(IRP, IoStatus), (unsigned)offsetof(IRP, Cancel),
           (unsigned)offsetof(IRP, UserBuffer), (unsigned)offsetof(IRP, Tail.Overlay.CurrentStackLocation),
           (unsigned)sizeof(IO_STACK_LOCATION), (unsigned)sizeof(DEVICE_OBJECT),
           (unsigned)offsetof(DEVICE_OBJECT, DeviceExtension), (unsigned)sizeof(FILE_OBJECT),
           (unsigned)offsetof(FILE_OBJECT, FsContext));
    return 0;
}
