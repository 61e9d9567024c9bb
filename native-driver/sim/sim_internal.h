/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sim_internal.h - what the simulation's own tests may reach beyond
 * tuntapsim.h: rule violations, interleaving hooks, and raw access to file
 * objects (to model requests that arrive while a handle is being closed).
 */
#ifndef TT_SIM_INTERNAL_H
#define TT_SIM_INTERNAL_H

#include <ndis.h>

#include "tuntapsim.h"

/* Reports a broken rule. id is a short name (TUNTAPSIM_IGNORE=id,id lists
 * rules to ignore, for showing one defect at a time). */
void sim_violation(const char *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Interleaving hooks; NULL = none. Called on the thread doing the work. */
/* Inside the system cancel routine of a cancel-safe queue, after it has
 * claimed the IRP (IoSetCancelRoutine returned it) and before it takes the
 * queue's lock: where the IRP is neither in the queue nor completed. */
extern void (*sim_hook_csq_cancel_claimed)(PIRP irp);
/* Inside NdisRegisterDeviceEx, after the device and its symbolic link exist
 * and before NdisRegisterDeviceEx returns to the driver. */
extern void (*sim_hook_device_registered)(PDEVICE_OBJECT device);

/* Takes one more reference on the file, as an I/O request in flight does;
 * tts_file_release drops it (and sends IRP_MJ_CLOSE if it was the last). */
void sim_file_reference(tts_file *file);
void sim_file_release(tts_file *file);

/* Number of IRPs dispatched to the driver that it has not completed. */
long sim_irps_outstanding(void);
/* Number of threads blocked in a wait of the driver's (KeWaitForSingleObject,
 * ExWaitForRundownProtectionRelease). */
long sim_driver_waiters(void);

/* The NdisMSetMiniportAttributes general attributes' PM capabilities were
 * given (non-NULL). */
int sim_adapter_power_managed(tts_machine *machine);

#endif /* TT_SIM_INTERNAL_H */
