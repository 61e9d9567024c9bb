/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tuntapsim.h - C API of libtuntapsim.so: the tuntap6 driver's real glue/
 * and core/ code running on Linux under a user-mode NDIS and I/O manager.
 *
 * What it is for: tests of a Windows backend (for example through JNA) that
 * drive the real driver code without Windows. Each call below names the
 * Windows call it mirrors; the driver code behind it is the code that the
 * WDK build compiles (the .c files of glue/ and core/), linked against the simulation in
 * sim/ instead of ntoskrnl.exe and ndis.sys.
 *
 * What the simulation does: it plays NDIS (driver registration, adapter
 * initialize/restart/pause/halt, power transitions, OID requests, send and
 * receive with NET_BUFFER_LIST/NET_BUFFER/MDL ownership) and the I/O manager
 * (device objects, file objects, IRP dispatch and completion, cancellation,
 * cancel-safe queues) as Microsoft documents them, poisons memory that the
 * driver frees or hands back, and checks the documented rules (IRQL, call
 * order, ownership, completion). A broken rule is a "violation": it is
 * printed to stderr, counted (tts_violations) and, if TUNTAPSIM_ABORT=1 is
 * in the environment or TTS_FLAG_ABORT_ON_VIOLATION is given, aborts.
 *
 * Threads: every call may be made from any thread; the driver code runs on
 * the calling thread, as a dispatch routine runs on the caller's thread on
 * Windows. Calls into the same tts_file from several threads are allowed
 * (one thread reading, one writing, one cancelling). One tts_machine exists
 * at a time per process.
 *
 * Status values are NTSTATUS codes (uint32_t): 0 = STATUS_SUCCESS,
 * 0x103 = STATUS_PENDING, 0xC0000120 = STATUS_CANCELLED, ... Win32 callers
 * see them through RtlNtStatusToDosError.
 *
 * Stability: the functions and structures here are a stable interface;
 * new functions may be added, existing ones do not change.
 */
#ifndef TUNTAPSIM_H
#define TUNTAPSIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef TTS_EXPORT
#define TTS_EXPORT
#endif

#define TTS_API_VERSION 1

#define TTS_STATUS_SUCCESS 0x00000000u
#define TTS_STATUS_PENDING 0x00000103u
#define TTS_STATUS_TIMEOUT 0x00000102u
#define TTS_STATUS_CANCELLED 0xC0000120u

typedef struct tts_machine tts_machine; /* NDIS + I/O manager + one adapter */
typedef struct tts_file tts_file;       /* an open handle (a FILE_OBJECT)  */
typedef struct tts_io tts_io;           /* one request (an OVERLAPPED)     */

/* tts_config.flags */
#define TTS_FLAG_ABORT_ON_VIOLATION 0x1u
/* Keep received NET_BUFFER_LISTs until tts_host_return_all (a slow
 * protocol); by default they are copied and returned at once. */
#define TTS_FLAG_HOLD_RECEIVES 0x2u
/* Do not set a packet filter after restart (as before TCP/IP binds). */
#define TTS_FLAG_NO_PACKET_FILTER 0x4u

typedef struct tts_config {
    const char *instance_guid; /* NetCfgInstanceId "{XXXXXXXX-...}"; NULL = a fixed one */
    uint32_t mtu;              /* registry MTU; 0 = not set (driver default) */
    uint32_t media_status;     /* registry MediaStatus: 0 app-controlled, 1 always */
    const uint8_t *network_address; /* 6 bytes (registry NetworkAddress) or NULL */
    uint32_t flags;            /* TTS_FLAG_* */
} tts_config;

/* The API version this library implements (TTS_API_VERSION). */
TTS_EXPORT int tts_api_version(void);

/* Loads the driver (DriverEntry -> NdisMRegisterMiniportDriver), adds one
 * adapter (MiniportInitializeEx, then MiniportRestart) and, unless
 * TTS_FLAG_NO_PACKET_FILTER, sets OID_GEN_CURRENT_PACKET_FILTER as TCP/IP
 * does when it binds. Mirrors: installing the device and PnP start.
 * Returns NULL (and writes the reason to stderr) if initialization failed. */
TTS_EXPORT tts_machine *tts_machine_create(const tts_config *config);

/* Halts the adapter if it is not halted, unloads the driver, frees
 * everything. Open files must have been closed. Mirrors: device removal and
 * driver unload. Returns the number of violations seen over the machine's
 * life. */
TTS_EXPORT unsigned tts_machine_destroy(tts_machine *machine);

/* Violations so far; the first one's text is copied to buf (may be NULL). */
TTS_EXPORT unsigned tts_violations(tts_machine *machine, char *buf, size_t buf_len);

/* The device path user space opens: "\\.\Global\{GUID}.tap". */
TTS_EXPORT const char *tts_device_path(tts_machine *machine);

/* ---- user side: the control device -------------------------------------- */

/* CreateFile(path, GENERIC_READ|GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
 * FILE_FLAG_OVERLAPPED, NULL): IRP_MJ_CREATE. Returns the NTSTATUS;
 * *file is set only on success. */
TTS_EXPORT uint32_t tts_open(tts_machine *machine, const char *path, tts_file **file);

/* DeviceIoControl(file, code, in, in_len, out, out_len, &returned, NULL):
 * IRP_MJ_DEVICE_CONTROL, waited for. Returns the NTSTATUS; *returned (may
 * be NULL) gets IoStatus.Information. */
TTS_EXPORT uint32_t tts_ioctl(tts_file *file, uint32_t code, const void *in, uint32_t in_len, void *out,
                   uint32_t out_len, uint32_t *returned);

/* ReadFile(file, buf, len, NULL, &overlapped): IRP_MJ_READ. buf must stay
 * valid until the request completes. Returns the request (never NULL);
 * query it with tts_io_wait. */
TTS_EXPORT tts_io *tts_read(tts_file *file, void *buf, uint32_t len);

/* WriteFile(file, buf, len, NULL, &overlapped): IRP_MJ_WRITE. */
TTS_EXPORT tts_io *tts_write(tts_file *file, const void *buf, uint32_t len);

/* GetOverlappedResultEx(file, &overlapped, &information, timeout_ms, FALSE):
 * waits up to timeout_ms (0 = poll, UINT32_MAX = for ever). Returns the
 * request's NTSTATUS, or TTS_STATUS_PENDING if it has not completed (the
 * timeout expired). *information (may be NULL) gets IoStatus.Information. */
TTS_EXPORT uint32_t tts_io_wait(tts_io *io, uint32_t timeout_ms, uint32_t *information);

/* Whether ReadFile/WriteFile would have returned ERROR_IO_PENDING: the dispatch routine returned
 * STATUS_PENDING, even if the request has completed since. Otherwise the I/O manager reports the
 * request's outcome at once. */
TTS_EXPORT int tts_io_pended(tts_io *io);

/* CancelIoEx(file, &overlapped): IoCancelIrp on the request. Returns 1 if
 * the request was still pending when the cancel was issued, else 0. */
TTS_EXPORT int tts_io_cancel(tts_io *io);

/* Releases a completed request (the I/O completion that frees the IRP and
 * drops its file reference). A request that has not completed is cancelled
 * and waited for first. */
TTS_EXPORT void tts_io_free(tts_io *io);

/* CloseHandle(file): IRP_MJ_CLEANUP now; IRP_MJ_CLOSE once the last
 * request on the file is freed (at once if none is outstanding). */
TTS_EXPORT void tts_close(tts_file *file);

/* ---- network side: what the host's stack does ---------------------------- */

/* The stack sends one Ethernet frame: NDIS builds a NET_BUFFER_LIST with
 * one NET_BUFFER over an MDL, calls MiniportSendNetBufferLists and waits
 * for NdisMSendNetBufferListsComplete. Returns the NBL's completion status
 * (an NDIS_STATUS), or NDIS_STATUS_PAUSED (0xC023002A) without calling the
 * miniport when the adapter is not running, as NDIS does. */
TTS_EXPORT uint32_t tts_host_send(tts_machine *machine, const void *frame, uint32_t len);

/* Takes the oldest frame the miniport indicated to the stack
 * (NdisMIndicateReceiveNetBufferLists), copying up to cap bytes. Returns
 * its full length, or -1 if none is waiting. */
TTS_EXPORT int32_t tts_host_receive(tts_machine *machine, void *buf, uint32_t cap);

/* Returns every NBL kept under TTS_FLAG_HOLD_RECEIVES to the miniport
 * (MiniportReturnNetBufferLists). Returns how many were returned. */
TTS_EXPORT uint32_t tts_host_return_all(tts_machine *machine);

/* OID requests as the stack issues them (MiniportOidRequest, PASSIVE_LEVEL).
 * Return the NDIS_STATUS; *bytes gets BytesWritten/BytesRead (may be NULL),
 * *needed gets BytesNeeded (may be NULL). */
TTS_EXPORT uint32_t tts_oid_query(tts_machine *machine, uint32_t oid, void *buf, uint32_t len,
                       uint32_t *bytes, uint32_t *needed);
TTS_EXPORT uint32_t tts_oid_set(tts_machine *machine, uint32_t oid, const void *buf, uint32_t len,
                     uint32_t *bytes, uint32_t *needed);

/* The last link state the miniport indicated (NDIS_STATUS_LINK_STATE):
 * 1 connected, 0 disconnected, -1 never indicated. */
TTS_EXPORT int tts_link_connected(tts_machine *machine);

/* ---- adapter lifecycle, as NDIS drives it --------------------------------- */

/* MiniportPause; waits for NdisMPauseComplete if it pended (so, under
 * TTS_FLAG_HOLD_RECEIVES, call tts_host_return_all from another thread or
 * first). Returns the NDIS_STATUS of the pause. */
TTS_EXPORT uint32_t tts_pause(tts_machine *machine);
/* MiniportRestart. */
TTS_EXPORT uint32_t tts_restart(tts_machine *machine);
/* Pause if running, then MiniportHaltEx (disable, uninstall or removal). */
TTS_EXPORT void tts_halt(tts_machine *machine);
/* After a halt: MiniportInitializeEx and MiniportRestart again (enable).
 * Returns the NDIS_STATUS of the initialization. */
TTS_EXPORT uint32_t tts_reinitialize(tts_machine *machine);
/* System sleep: as NDIS does for the adapter's reported power management
 * capabilities: pause, then OID_PNP_QUERY_POWER and OID_PNP_SET_POWER(D3)
 * for a power-managed miniport, or halt for one without. */
TTS_EXPORT uint32_t tts_sleep(tts_machine *machine);
/* Wake: OID_PNP_SET_POWER(D0) and restart, or re-initialize after a halt. */
TTS_EXPORT uint32_t tts_wake(tts_machine *machine);

#ifdef __cplusplus
}
#endif

#endif /* TUNTAPSIM_H */
