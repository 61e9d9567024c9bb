/* SPDX-License-Identifier: Apache-2.0 */
/* sim_kernel.h - shared between the simulation's kernel and NDIS halves. */
#ifndef TT_SIM_KERNEL_H
#define TT_SIM_KERNEL_H

#include <pthread.h>

#include "sim_internal.h"

#define SIM_IRP_MAGIC 0x49525053u

struct sim_device {
    DEVICE_OBJECT dev;
    PDRIVER_DISPATCH major[IRP_MJ_MAXIMUM_FUNCTION + 1];
    void *extension; /* separate block: NdisDeregisterDeviceEx frees it */
    char name[160];
    char link[160];
    int deleted;
    int open_files;
    struct sim_device *next;
};

struct tts_file {
    FILE_OBJECT fo;
    struct sim_device *device;
    WCHAR *name_buffer;
    long refs; /* the handle + requests in flight */
    tts_machine *machine;
};

struct sim_irp {
    IRP irp;
    IO_STACK_LOCATION stack;
    MDL mdl;
    uint32_t magic;
    struct tts_file *file;
    void *system_buffer;
    void *user_out;
    uint32_t user_out_len;
    uint32_t in_len;       /* METHOD_BUFFERED input bytes at the start of system_buffer */
    uint32_t fill_seed;    /* the fill of the rest of system_buffer (sim_fill_byte) */
    int dispatch_pending;  /* the dispatch routine returned STATUS_PENDING */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int completed;
    int marked_pending;
    NTSTATUS status;
    ULONG_PTR information;
};

extern int sim_abort_on_violation;
extern int sim_fail_allocations;

unsigned sim_violation_count(char *buf, size_t len);
void sim_violation_reset(void);
void sim_set_irql(KIRQL irql);
int sim_spin_locks_held(void);
void sim_require_irql_at_most(KIRQL max, const char *routine);
void sim_require_passive(const char *routine);
void sim_require_no_spin_lock(const char *what);
void sim_check_handle(NDIS_HANDLE handle, const char *routine);
long sim_pool_live(NDIS_HANDLE owner);
void sim_wide_to_ascii(const WCHAR *w, size_t n, char *out, size_t cap);
void sim_kernel_reset_thread(void);

struct sim_irp *sim_irp_new(struct tts_file *file, UCHAR major);
/* METHOD_BUFFERED: one system buffer of max(in_len, out_len) bytes, the input copied to its start and the
 * rest filled with a pattern (sim_fill_byte), as pool memory is not zeroed; at completion Information bytes
 * go back to out, after a check that they were written. */
void sim_irp_buffered(struct sim_irp *si, const void *in, uint32_t in_len, void *out, uint32_t out_len);
uint8_t sim_fill_byte(uint32_t seed, uint32_t index);
void sim_irp_delete(struct sim_irp *si);
NTSTATUS sim_dispatch(struct sim_irp *si);
NTSTATUS sim_irp_wait(struct sim_irp *si, uint32_t timeout_ms, ULONG_PTR *information);
int sim_irp_completed(struct sim_irp *si);
BOOLEAN sim_cancel_irp(struct sim_irp *si);
void sim_device_publish(struct sim_device *d);
void sim_device_unpublish(struct sim_device *d);
void sim_device_file_failed(struct sim_device *d);
struct sim_device *sim_device_lookup(const char *path, const char **rest);

#endif /* TT_SIM_KERNEL_H */
