// SPDX-License-Identifier: Apache-2.0
/*
 * sim_kernel.c - the kernel half of the simulation: IRQL, spin locks,
 * events, rundown protection, pool, MDLs, strings, and the I/O manager
 * (device and file objects, IRP dispatch, completion, cancellation and
 * cancel-safe queues). Each routine follows its WDK documentation page and
 * reports a violation where the page states a rule the caller broke.
 */
#define _GNU_SOURCE
#include "sim_kernel.h"

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#if defined(__SANITIZE_ADDRESS__)
#define SIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_ASAN 1
#endif
#endif
#ifdef SIM_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) __asan_poison_memory_region((p), (n))
#define UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct TtSimIrqlCapability TtSimSpinLockIrql;
void (*sim_hook_csq_cancel_claimed)(PIRP irp);
void (*sim_hook_device_registered)(PDEVICE_OBJECT device);

/* ---- violations ------------------------------------------------------------ */
static pthread_mutex_t violation_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned violation_count;
static char violation_first[512];
int sim_abort_on_violation;

static int ignored(const char *id)
{
    const char *list = getenv("TUNTAPSIM_IGNORE");
    size_t n = strlen(id);
    while (list != NULL && *list != '\0') {
        const char *end = strchr(list, ',');
        size_t len = end == NULL ? strlen(list) : (size_t)(end - list);
        if (len == n && strncmp(list, id, n) == 0) {
            return 1;
        }
        list = end == NULL ? NULL : end + 1;
    }
    return 0;
}

void sim_violation(const char *id, const char *fmt, ...)
{
    char text[400];
    va_list ap;
    if (ignored(id)) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&violation_mu);
    if (violation_count++ == 0) {
        snprintf(violation_first, sizeof(violation_first), "[%s] %s", id, text);
    }
    pthread_mutex_unlock(&violation_mu);
    fprintf(stderr, "tuntapsim: RULE BROKEN [%s]: %s\n", id, text);
    if (sim_abort_on_violation) {
        abort();
    }
}

unsigned sim_violation_count(char *buf, size_t len)
{
    unsigned n;
    pthread_mutex_lock(&violation_mu);
    n = violation_count;
    if (buf != NULL && len > 0) {
        snprintf(buf, len, "%s", violation_first);
    }
    pthread_mutex_unlock(&violation_mu);
    return n;
}

VOID SimNtAssertFailed(const char *Expression, const char *File, int Line)
{
    sim_violation("assert", "NT_ASSERT(%s) failed at %s:%d", Expression, File, Line);
}

void sim_violation_reset(void)
{
    pthread_mutex_lock(&violation_mu);
    violation_count = 0;
    violation_first[0] = '\0';
    pthread_mutex_unlock(&violation_mu);
}

/* ---- IRQL ------------------------------------------------------------------------ */
static __thread KIRQL t_irql;
static __thread int t_spin_locks; /* driver spin locks this thread holds */
static __thread char t_token;
static long driver_waiters;

KIRQL KeGetCurrentIrql(VOID)
{
    return t_irql;
}

void sim_set_irql(KIRQL irql)
{
    t_irql = irql;
}

int sim_spin_locks_held(void)
{
    return t_spin_locks;
}

void sim_require_irql_at_most(KIRQL max, const char *routine)
{
    if (t_irql > max) {
        sim_violation("irql", "%s called at IRQL %d; documented maximum %d", routine, t_irql,
                      max);
    }
}

void sim_require_passive(const char *routine)
{
    if (t_irql != PASSIVE_LEVEL) {
        sim_violation("irql", "%s called at IRQL %d; it requires PASSIVE_LEVEL", routine,
                      t_irql);
    }
}

void sim_require_no_spin_lock(const char *what)
{
    if (t_spin_locks != 0) {
        sim_violation("spin-lock-held", "%s while holding %d driver spin lock(s)", what,
                      t_spin_locks);
    }
}

void TtSimPagedCode(const char *Function)
{
    if (t_irql > APC_LEVEL) {
        sim_violation("irql", "PAGED_CODE in %s at IRQL %d", Function, t_irql);
    }
}

long sim_driver_waiters(void)
{
    return __atomic_load_n(&driver_waiters, __ATOMIC_SEQ_CST);
}

static void pause_briefly(void)
{
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
}

/* ---- spin locks ------------------------------------------------------------------ */
#define SPIN_FREED ((ULONG_PTR)0xDEADDEADu)

static void spin_acquire(PKSPIN_LOCK lock, const char *routine)
{
    ULONG_PTR me = (ULONG_PTR)&t_token;
    ULONG_PTR cur = __atomic_load_n(&lock->Value, __ATOMIC_RELAXED);
    if (cur == me) {
        sim_violation("spin-lock-recursion", "%s: this thread already holds the lock (deadlock)",
                      routine);
        abort();
    }
    if (cur == SPIN_FREED) {
        sim_violation("spin-lock-freed", "%s on a freed spin lock", routine);
    }
    for (;;) {
        ULONG_PTR expected = 0;
        if (__atomic_compare_exchange_n(&lock->Value, &expected, me, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            break;
        }
        sched_yield();
    }
    t_spin_locks++;
}

static void spin_release(PKSPIN_LOCK lock, const char *routine)
{
    if (__atomic_load_n(&lock->Value, __ATOMIC_RELAXED) != (ULONG_PTR)&t_token) {
        sim_violation("spin-lock-owner", "%s of a lock this thread does not hold", routine);
        return;
    }
    __atomic_store_n(&lock->Value, 0, __ATOMIC_RELEASE);
    t_spin_locks--;
}

VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock)
{
    SpinLock->Value = 0;
}

VOID KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql)
{
    sim_require_irql_at_most(DISPATCH_LEVEL, "KeAcquireSpinLock");
    KIRQL old = t_irql;
    spin_acquire(SpinLock, "KeAcquireSpinLock");
    t_irql = DISPATCH_LEVEL;
    *OldIrql = old;
}

VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    spin_release(SpinLock, "KeReleaseSpinLock");
    t_irql = NewIrql;
}

VOID NdisAllocateSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
    SpinLock->SpinLock.Value = 0;
    SpinLock->OldIrql = 0;
}

VOID NdisFreeSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
    if (SpinLock->SpinLock.Value != 0) {
        sim_violation("spin-lock-freed", "NdisFreeSpinLock on a held lock");
    }
    SpinLock->SpinLock.Value = SPIN_FREED;
}

VOID NdisAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisAcquireSpinLock");
    KIRQL old = t_irql;
    spin_acquire(&SpinLock->SpinLock, "NdisAcquireSpinLock");
    t_irql = DISPATCH_LEVEL;
    SpinLock->OldIrql = old;
}

VOID NdisReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
    KIRQL old = SpinLock->OldIrql;
    spin_release(&SpinLock->SpinLock, "NdisReleaseSpinLock");
    t_irql = old;
}

/* ---- events ------------------------------------------------------------------------ */
VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    Event->Type = (LONG)Type;
    __atomic_store_n(&Event->Signaled, State ? 1 : 0, __ATOMIC_SEQ_CST);
}

LONG KeSetEvent(PKEVENT Event, LONG Increment, BOOLEAN Wait)
{
    (void)Increment;
    (void)Wait;
    sim_require_irql_at_most(DISPATCH_LEVEL, "KeSetEvent");
    return __atomic_exchange_n(&Event->Signaled, 1, __ATOMIC_SEQ_CST);
}

VOID KeClearEvent(PKEVENT Event)
{
    __atomic_store_n(&Event->Signaled, 0, __ATOMIC_SEQ_CST);
}

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                               BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    PKEVENT event = (PKEVENT)Object;
    (void)WaitReason;
    (void)WaitMode;
    (void)Alertable;
    sim_require_irql_at_most(Timeout != NULL && Timeout->QuadPart == 0 ? DISPATCH_LEVEL
                                                                       : APC_LEVEL,
                             "KeWaitForSingleObject");
    sim_require_no_spin_lock("KeWaitForSingleObject");
    __atomic_add_fetch(&driver_waiters, 1, __ATOMIC_SEQ_CST);
    for (;;) {
        if (event->Type == SynchronizationEvent) {
            LONG one = 1;
            if (__atomic_compare_exchange_n(&event->Signaled, &one, 0, 0, __ATOMIC_SEQ_CST,
                                            __ATOMIC_SEQ_CST)) {
                break;
            }
        } else if (__atomic_load_n(&event->Signaled, __ATOMIC_SEQ_CST) != 0) {
            break;
        }
        pause_briefly();
    }
    __atomic_sub_fetch(&driver_waiters, 1, __ATOMIC_SEQ_CST);
    return STATUS_SUCCESS;
}

/* ---- rundown protection -------------------------------------------------------------- */
/* ExInitializeRundownProtection "must be called before the run-down
 * protection is passed to any other routine": remembered here. */
#define MAX_RUNDOWNS 256
static pthread_mutex_t rundown_mu = PTHREAD_MUTEX_INITIALIZER;
static const void *rundowns[MAX_RUNDOWNS];

static void rundown_forget_range(const void *start, size_t len)
{
    pthread_mutex_lock(&rundown_mu);
    for (int i = 0; i < MAX_RUNDOWNS; i++) {
        if ((const char *)rundowns[i] >= (const char *)start &&
            (const char *)rundowns[i] < (const char *)start + len) {
            rundowns[i] = NULL;
        }
    }
    pthread_mutex_unlock(&rundown_mu);
}

static int rundown_known(const void *p)
{
    int known = 0;
    pthread_mutex_lock(&rundown_mu);
    for (int i = 0; i < MAX_RUNDOWNS && !known; i++) {
        known = rundowns[i] == p;
    }
    pthread_mutex_unlock(&rundown_mu);
    return known;
}

VOID ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    __atomic_store_n(&RunRef->Count, 0, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(&rundown_mu);
    int free_slot = -1;
    for (int i = 0; i < MAX_RUNDOWNS; i++) {
        if (rundowns[i] == RunRef) {
            free_slot = -2;
            break;
        }
        if (rundowns[i] == NULL && free_slot == -1) {
            free_slot = i;
        }
    }
    if (free_slot >= 0) {
        rundowns[free_slot] = RunRef;
    }
    pthread_mutex_unlock(&rundown_mu);
}

static void rundown_check(PEX_RUNDOWN_REF RunRef, const char *routine)
{
    if (!rundown_known(RunRef)) {
        sim_violation("rundown-uninitialized",
                      "%s on a run-down reference never passed to ExInitializeRundownProtection",
                      routine);
    }
}

BOOLEAN ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    sim_require_irql_at_most(DISPATCH_LEVEL, "ExAcquireRundownProtection");
    rundown_check(RunRef, "ExAcquireRundownProtection");
    ULONG_PTR cur = __atomic_load_n(&RunRef->Count, __ATOMIC_SEQ_CST);
    for (;;) {
        if (cur & 1u) {
            return FALSE;
        }
        if (__atomic_compare_exchange_n(&RunRef->Count, &cur, cur + 2, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST)) {
            return TRUE;
        }
    }
}

VOID ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    sim_require_irql_at_most(DISPATCH_LEVEL, "ExReleaseRundownProtection");
    rundown_check(RunRef, "ExReleaseRundownProtection");
    ULONG_PTR before = __atomic_fetch_sub(&RunRef->Count, 2, __ATOMIC_SEQ_CST);
    if (before < 2) {
        sim_violation("rundown-unbalanced", "ExReleaseRundownProtection without an acquire");
    }
}

VOID ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef)
{
    sim_require_irql_at_most(APC_LEVEL, "ExWaitForRundownProtectionRelease");
    sim_require_no_spin_lock("ExWaitForRundownProtectionRelease");
    rundown_check(RunRef, "ExWaitForRundownProtectionRelease");
    __atomic_fetch_or(&RunRef->Count, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&driver_waiters, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&RunRef->Count, __ATOMIC_SEQ_CST) != 1) {
        pause_briefly();
    }
    __atomic_sub_fetch(&driver_waiters, 1, __ATOMIC_SEQ_CST);
}

/* ---- pool ------------------------------------------------------------------------------- */
#define POOL_MAGIC 0x504F4F4Cu
struct pool_header {
    uint32_t magic;
    uint32_t tag;
    NDIS_HANDLE owner;
    size_t size;
    struct pool_header *next, *prev;
    uint64_t align;
};
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static struct pool_header pool_list = {0, 0, NULL, 0, &pool_list, &pool_list, 0};
int sim_fail_allocations; /* the next N allocations fail */

PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                        EX_POOL_PRIORITY Priority)
{
    (void)Priority;
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisAllocateMemoryWithTagPriority");
    sim_check_handle(NdisHandle, "NdisAllocateMemoryWithTagPriority");
    if (Length == 0) {
        sim_violation("pool", "NdisAllocateMemoryWithTagPriority of 0 bytes");
    }
    if (__atomic_load_n(&sim_fail_allocations, __ATOMIC_SEQ_CST) > 0 &&
        __atomic_sub_fetch(&sim_fail_allocations, 1, __ATOMIC_SEQ_CST) >= 0) {
        return NULL;
    }
    struct pool_header *h = malloc(sizeof(*h) + Length);
    if (h == NULL) {
        return NULL;
    }
    h->magic = POOL_MAGIC;
    h->tag = Tag;
    h->owner = NdisHandle;
    h->size = Length;
    memset(h + 1, 0xA5, Length); /* pool is not zeroed */
    pthread_mutex_lock(&pool_mu);
    h->next = pool_list.next;
    h->prev = &pool_list;
    pool_list.next->prev = h;
    pool_list.next = h;
    pthread_mutex_unlock(&pool_mu);
    return h + 1;
}

VOID NdisFreeMemoryWithTagPriority(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, ULONG Tag)
{
    (void)NdisHandle;
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisFreeMemoryWithTagPriority");
    if (VirtualAddress == NULL) {
        sim_violation("pool", "NdisFreeMemoryWithTagPriority(NULL)");
        return;
    }
    struct pool_header *h = (struct pool_header *)VirtualAddress - 1;
    if (h->magic != POOL_MAGIC) {
        sim_violation("pool", "NdisFreeMemoryWithTagPriority of memory not from the pool");
        return;
    }
    if (h->tag != Tag) {
        sim_violation("pool", "NdisFreeMemoryWithTagPriority with tag %08x; allocated with %08x",
                      (unsigned)Tag, h->tag);
    }
    pthread_mutex_lock(&pool_mu);
    h->prev->next = h->next;
    h->next->prev = h->prev;
    pthread_mutex_unlock(&pool_mu);
    rundown_forget_range(VirtualAddress, h->size);
    h->magic = 0;
    memset(VirtualAddress, 0xDD, h->size); /* poison: what NDIS freed is gone */
    free(h);
}

long sim_pool_live(NDIS_HANDLE owner)
{
    long n = 0;
    pthread_mutex_lock(&pool_mu);
    for (struct pool_header *h = pool_list.next; h != &pool_list; h = h->next) {
        if (owner == NULL || h->owner == owner) {
            n++;
        }
    }
    pthread_mutex_unlock(&pool_mu);
    return n;
}

VOID ExInitializeDriverRuntime(ULONG RuntimeFlags)
{
    (void)RuntimeFlags;
}

/* ---- MDLs ---------------------------------------------------------------------------------- */
PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority)
{
    (void)Priority;
    sim_require_irql_at_most(DISPATCH_LEVEL, "MmGetSystemAddressForMdlSafe");
    if (Mdl == NULL) {
        sim_violation("mdl", "MmGetSystemAddressForMdlSafe(NULL)");
        return NULL;
    }
    return Mdl->MappedSystemVa;
}

PMDL NdisAllocateMdl(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, UINT Length)
{
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisAllocateMdl");
    PMDL mdl = NdisAllocateMemoryWithTagPriority(NdisHandle, sizeof(MDL), 0x4C444D53u,
                                                 NormalPoolPriority);
    if (mdl != NULL) {
        memset(mdl, 0, sizeof(*mdl));
        mdl->MappedSystemVa = VirtualAddress;
        mdl->StartVa = VirtualAddress;
        mdl->ByteCount = Length;
    }
    return mdl;
}

VOID NdisFreeMdl(PMDL Mdl)
{
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisFreeMdl");
    NdisFreeMemoryWithTagPriority(NULL, Mdl, 0x4C444D53u);
}

/* ---- strings --------------------------------------------------------------------------------- */
VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    size_t n = SourceString == NULL ? 0 : wcslen(SourceString);
    DestinationString->Length = (USHORT)(n * sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
    DestinationString->Buffer = (PWCH)SourceString;
}

VOID RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString)
{
    USHORT n = SourceString->Length;
    if (n > DestinationString->MaximumLength) {
        n = DestinationString->MaximumLength;
    }
    memcpy(DestinationString->Buffer, SourceString->Buffer, n);
    DestinationString->Length = n;
    if (n + sizeof(WCHAR) <= DestinationString->MaximumLength) {
        DestinationString->Buffer[n / sizeof(WCHAR)] = 0;
    }
}

static int hexval(WCHAR c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return (int)(c - 'A' + 10);
    return -1;
}

NTSTATUS RtlGUIDFromString(PCUNICODE_STRING GuidString, GUID *Guid)
{
    static const char shape[] = "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}";
    uint8_t nib[32];
    int k = 0;
    sim_require_passive("RtlGUIDFromString");
    if (GuidString->Length != 38 * sizeof(WCHAR)) {
        return STATUS_INVALID_PARAMETER;
    }
    for (int i = 0; i < 38; i++) {
        WCHAR c = GuidString->Buffer[i];
        if (shape[i] == 'X') {
            int v = hexval(c);
            if (v < 0) return STATUS_INVALID_PARAMETER;
            nib[k++] = (uint8_t)v;
        } else if (c != (WCHAR)shape[i]) {
            return STATUS_INVALID_PARAMETER;
        }
    }
    uint32_t d1 = 0;
    for (int i = 0; i < 8; i++) d1 = d1 << 4 | nib[i];
    Guid->Data1 = d1;
    Guid->Data2 = (USHORT)(nib[8] << 12 | nib[9] << 8 | nib[10] << 4 | nib[11]);
    Guid->Data3 = (USHORT)(nib[12] << 12 | nib[13] << 8 | nib[14] << 4 | nib[15]);
    for (int i = 0; i < 8; i++) Guid->Data4[i] = (UCHAR)(nib[16 + 2 * i] << 4 | nib[17 + 2 * i]);
    return STATUS_SUCCESS;
}

NTSTATUS RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat,
                                ...)
{
    va_list ap;
    size_t cap = DestinationString->MaximumLength / sizeof(WCHAR);
    size_t n = 0;
    int overflow = 0;
    sim_require_passive("RtlUnicodeStringPrintf");
    va_start(ap, pszFormat);
#define PUT(ch)                                                                \
    do {                                                                       \
        if (n < cap) DestinationString->Buffer[n++] = (ch);                    \
        else overflow = 1;                                                     \
    } while (0)
    for (const WCHAR *f = pszFormat; *f != 0; f++) {
        if (*f != '%') {
            PUT(*f);
        } else if (f[1] == '%') {
            PUT('%');
            f++;
        } else if (f[1] == 'w' && f[2] == 's') {
            for (const WCHAR *s = va_arg(ap, const WCHAR *); *s != 0; s++) PUT(*s);
            f += 2;
        } else if (f[1] == 'w' && f[2] == 'Z') {
            PCUNICODE_STRING u = va_arg(ap, PCUNICODE_STRING);
            for (USHORT i = 0; i < u->Length / sizeof(WCHAR); i++) PUT(u->Buffer[i]);
            f += 2;
        } else {
            sim_violation("format", "RtlUnicodeStringPrintf: unsupported conversion");
            break;
        }
    }
#undef PUT
    va_end(ap);
    DestinationString->Length = (USHORT)(n * sizeof(WCHAR));
    return overflow ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

void sim_wide_to_ascii(const WCHAR *w, size_t n, char *out, size_t cap)
{
    size_t i;
    for (i = 0; i < n && i + 1 < cap; i++) out[i] = (char)w[i];
    out[i] = '\0';
}

/* ---- IRPs --------------------------------------------------------------------------------------- */
static long irps_outstanding;
static KSPIN_LOCK cancel_lock;

long sim_irps_outstanding(void)
{
    return __atomic_load_n(&irps_outstanding, __ATOMIC_SEQ_CST);
}

static struct sim_irp *sim_irp_of(PIRP Irp)
{
    return CONTAINING_RECORD(Irp, struct sim_irp, irp);
}

struct sim_irp *sim_irp_new(struct tts_file *file, UCHAR major)
{
    struct sim_irp *si = calloc(1, sizeof(*si));
    if (si == NULL) abort();
    si->magic = SIM_IRP_MAGIC;
    si->file = file;
    pthread_mutex_init(&si->mu, NULL);
    pthread_cond_init(&si->cv, NULL);
    si->irp.Tail.Overlay.CurrentStackLocation = &si->stack;
    si->irp.Tail.Overlay.OriginalFileObject = &file->fo;
    si->stack.MajorFunction = major;
    si->stack.FileObject = &file->fo;
    si->stack.DeviceObject = &file->device->dev;
    si->irp.IoStatus.Status = (NTSTATUS)0xDEADBEEF;
    return si;
}

uint8_t sim_fill_byte(uint32_t seed, uint32_t index)
{
    /* A 32-bit integer hash (xorshift-multiply) of seed and position: no two requests share a fill. */
    uint32_t x = seed * 0x9E3779B9u ^ (index + 0x7F4A7C15u);
    x ^= x >> 16;
    x *= 0x85EBCA6Bu;
    x ^= x >> 13;
    x *= 0xC2B2AE35u;
    x ^= x >> 16;
    return (uint8_t)x;
}

void sim_irp_buffered(struct sim_irp *si, const void *in, uint32_t in_len, void *out, uint32_t out_len)
{
    static uint32_t seeds;
    uint32_t size = in_len > out_len ? in_len : out_len;
    uint8_t *b = malloc(size ? size : 1);
    if (b == NULL) abort();
    si->fill_seed = __atomic_add_fetch(&seeds, 1, __ATOMIC_RELAXED);
    for (uint32_t i = 0; i < size; i++) b[i] = sim_fill_byte(si->fill_seed, i);
    if (in_len) memcpy(b, in, in_len);
    si->system_buffer = b;
    si->in_len = in_len;
    si->user_out = out;
    si->user_out_len = out_len;
    si->irp.AssociatedIrp.SystemBuffer = size ? b : NULL;
}

/* Whether a 4-byte group of the output at [at, at + 4) still holds the fill, i.e. was never written: a
 * driver writes the same 4 bytes by chance with probability 2^-32. */
static int fill_intact(const struct sim_irp *si, uint32_t at)
{
    const uint8_t *b = si->system_buffer;
    for (uint32_t i = at; i < at + 4; i++) {
        if (b[i] != sim_fill_byte(si->fill_seed, i)) return 0;
    }
    return 1;
}

/* Information bytes are copied to the caller; any whole 4-byte group of them beyond the input that still
 * holds the fill was reported but never written (on Windows: pool contents leaked to user space). Checks
 * the groups from the end of the input on, and the last four bytes. */
static void check_output_written(const struct sim_irp *si)
{
    uint32_t info = (uint32_t)si->information;
    if (info < si->in_len + 4) return;
    int unwritten = fill_intact(si, info - 4) ? (int)(info - 4) : -1;
    for (uint32_t at = si->in_len; unwritten < 0 && at + 4 <= info; at += 4) {
        if (fill_intact(si, at)) unwritten = (int)at;
    }
    if (unwritten >= 0) {
        sim_violation("irp-information-unwritten",
                      "IOCTL 0x%08lx completed with Information %u, but bytes %d..%d were never written by the "
                      "driver (they still hold the I/O manager's fill; Windows would copy pool memory out)",
                      (unsigned long)si->stack.Parameters.DeviceIoControl.IoControlCode, info, unwritten,
                      unwritten + 3);
    }
}

void sim_irp_delete(struct sim_irp *si)
{
    UNPOISON(&si->irp, sizeof(si->irp));
    UNPOISON(&si->stack, sizeof(si->stack));
    UNPOISON(&si->mdl, sizeof(si->mdl));
    free(si->system_buffer);
    pthread_mutex_destroy(&si->mu);
    pthread_cond_destroy(&si->cv);
    si->magic = 0;
    free(si);
}

VOID IoMarkIrpPending(PIRP Irp)
{
    struct sim_irp *si = sim_irp_of(Irp);
    sim_require_irql_at_most(DISPATCH_LEVEL, "IoMarkIrpPending");
    if (si->magic != SIM_IRP_MAGIC) {
        sim_violation("irp", "IoMarkIrpPending on something that is not a live IRP");
        return;
    }
    IoGetCurrentIrpStackLocation(Irp)->Control |= SL_PENDING_RETURNED;
    __atomic_store_n(&si->marked_pending, 1, __ATOMIC_SEQ_CST);
}

PDRIVER_CANCEL IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL CancelRoutine)
{
    return __atomic_exchange_n(&Irp->CancelRoutine, CancelRoutine, __ATOMIC_SEQ_CST);
}

VOID IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost)
{
    struct sim_irp *si = sim_irp_of(Irp);
    (void)PriorityBoost;
    sim_require_irql_at_most(DISPATCH_LEVEL, "IoCompleteRequest");
    sim_require_no_spin_lock("IoCompleteRequest");
    if (si->magic != SIM_IRP_MAGIC) {
        sim_violation("irp", "IoCompleteRequest on something that is not an IRP");
        return;
    }
    pthread_mutex_lock(&si->mu);
    if (si->completed) {
        pthread_mutex_unlock(&si->mu);
        sim_violation("irp-double-completion", "IRP completed twice");
        return;
    }
    if (__atomic_load_n(&Irp->CancelRoutine, __ATOMIC_SEQ_CST) != NULL) {
        sim_violation("irp-cancel-routine", "IRP completed with its cancel routine still set");
    }
    if (Irp->IoStatus.Status == STATUS_PENDING) {
        sim_violation("irp-status", "IRP completed with STATUS_PENDING");
    }
    si->status = Irp->IoStatus.Status;
    si->information = Irp->IoStatus.Information;
    if (si->system_buffer != NULL && si->user_out != NULL &&
        (NT_SUCCESS(si->status) || si->status == STATUS_BUFFER_OVERFLOW)) {
        if (si->information > si->user_out_len) {
            sim_violation("irp-information",
                          "IOCTL completed with Information %lu above the output length %u",
                          (unsigned long)si->information, si->user_out_len);
        } else {
            check_output_written(si);
            memcpy(si->user_out, si->system_buffer, si->information);
        }
    }
    /* The IRP is the I/O manager's again: touching it is a use after free. */
    memset(&si->irp, 0xCC, sizeof(si->irp));
    POISON(&si->irp, sizeof(si->irp));
    POISON(&si->stack, sizeof(si->stack));
    POISON(&si->mdl, sizeof(si->mdl));
    si->completed = 1;
    __atomic_sub_fetch(&irps_outstanding, 1, __ATOMIC_SEQ_CST);
    pthread_cond_broadcast(&si->cv);
    pthread_mutex_unlock(&si->mu);
}

/* The system cancel spin lock: not a driver lock, so not counted. */
static void cancel_lock_acquire(KIRQL *old)
{
    for (;;) {
        ULONG_PTR expected = 0;
        if (__atomic_compare_exchange_n(&cancel_lock.Value, &expected, 1, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            break;
        }
        sched_yield();
    }
    *old = t_irql;
    t_irql = DISPATCH_LEVEL;
}

VOID IoReleaseCancelSpinLock(KIRQL Irql)
{
    __atomic_store_n(&cancel_lock.Value, 0, __ATOMIC_RELEASE);
    t_irql = Irql;
}

/* IoCancelIrp. Returns TRUE if a cancel routine was called. */
BOOLEAN sim_cancel_irp(struct sim_irp *si)
{
    KIRQL irql;
    PDRIVER_CANCEL routine = NULL;
    cancel_lock_acquire(&irql);
    pthread_mutex_lock(&si->mu);
    if (!si->completed) {
        __atomic_store_n(&si->irp.Cancel, TRUE, __ATOMIC_SEQ_CST);
        routine = IoSetCancelRoutine(&si->irp, NULL);
    }
    pthread_mutex_unlock(&si->mu);
    if (routine == NULL) {
        IoReleaseCancelSpinLock(irql);
        return FALSE;
    }
    si->irp.CancelIrql = irql;
    routine(&si->file->device->dev, &si->irp); /* releases the cancel lock */
    if (t_irql != irql || t_spin_locks != 0) {
        sim_violation("cancel", "cancel routine returned at IRQL %d holding %d spin lock(s)",
                      t_irql, t_spin_locks);
        t_irql = irql;
        t_spin_locks = 0;
    }
    return TRUE;
}

/* ---- cancel-safe queues ("Cancel-Safe IRP Queues") ------------------------------------------ */
#define CSQ_SLOT 3

static VOID SimCsqCancelRoutine(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KIRQL irql;
    (void)DeviceObject;
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    PIO_CSQ csq = (PIO_CSQ)Irp->Tail.Overlay.DriverContext[CSQ_SLOT];
    if (sim_hook_csq_cancel_claimed != NULL) {
        sim_hook_csq_cancel_claimed(Irp);
    }
    csq->CsqAcquireLock(csq, &irql);
    csq->CsqRemoveIrp(csq, Irp);
    Irp->Tail.Overlay.DriverContext[CSQ_SLOT] = NULL;
    csq->CsqReleaseLock(csq, irql);
    csq->CsqCompleteCanceledIrp(csq, Irp);
}

NTSTATUS IoCsqInitialize(PIO_CSQ Csq, IO_CSQ_INSERT_IRP *CsqInsertIrp,
                         IO_CSQ_REMOVE_IRP *CsqRemoveIrp, IO_CSQ_PEEK_NEXT_IRP *CsqPeekNextIrp,
                         IO_CSQ_ACQUIRE_LOCK *CsqAcquireLock, IO_CSQ_RELEASE_LOCK *CsqReleaseLock,
                         IO_CSQ_COMPLETE_CANCELED_IRP *CsqCompleteCanceledIrp)
{
    Csq->Type = 1;
    Csq->CsqInsertIrp = CsqInsertIrp;
    Csq->CsqRemoveIrp = CsqRemoveIrp;
    Csq->CsqPeekNextIrp = CsqPeekNextIrp;
    Csq->CsqAcquireLock = CsqAcquireLock;
    Csq->CsqReleaseLock = CsqReleaseLock;
    Csq->CsqCompleteCanceledIrp = CsqCompleteCanceledIrp;
    Csq->ReservePointer = NULL;
    return STATUS_SUCCESS;
}

VOID IoCsqInsertIrp(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context)
{
    KIRQL irql;
    (void)Context;
    sim_require_irql_at_most(DISPATCH_LEVEL, "IoCsqInsertIrp");
    if (Csq->Type != 1) {
        sim_violation("csq", "IoCsqInsertIrp on an uninitialized or freed IO_CSQ");
    }
    Csq->CsqAcquireLock(Csq, &irql);
    Csq->CsqInsertIrp(Csq, Irp);
    IoMarkIrpPending(Irp);
    Irp->Tail.Overlay.DriverContext[CSQ_SLOT] = Csq;
    IoSetCancelRoutine(Irp, SimCsqCancelRoutine);
    if (__atomic_load_n(&Irp->Cancel, __ATOMIC_SEQ_CST) &&
        IoSetCancelRoutine(Irp, NULL) != NULL) {
        Csq->CsqRemoveIrp(Csq, Irp);
        Irp->Tail.Overlay.DriverContext[CSQ_SLOT] = NULL;
        Csq->CsqReleaseLock(Csq, irql);
        Csq->CsqCompleteCanceledIrp(Csq, Irp);
        return;
    }
    Csq->CsqReleaseLock(Csq, irql);
}

PIRP IoCsqRemoveNextIrp(PIO_CSQ Csq, PVOID PeekContext)
{
    KIRQL irql;
    sim_require_irql_at_most(DISPATCH_LEVEL, "IoCsqRemoveNextIrp");
    if (Csq->Type != 1) {
        sim_violation("csq", "IoCsqRemoveNextIrp on an uninitialized or freed IO_CSQ");
    }
    Csq->CsqAcquireLock(Csq, &irql);
    PIRP irp = Csq->CsqPeekNextIrp(Csq, NULL, PeekContext);
    while (irp != NULL) {
        if (IoSetCancelRoutine(irp, NULL) != NULL) {
            Csq->CsqRemoveIrp(Csq, irp);
            irp->Tail.Overlay.DriverContext[CSQ_SLOT] = NULL;
            break;
        }
        /* Being cancelled: the cancel routine will remove it. */
        irp = Csq->CsqPeekNextIrp(Csq, irp, PeekContext);
    }
    Csq->CsqReleaseLock(Csq, irql);
    return irp;
}

/* ---- devices, files, dispatch ---------------------------------------------------------------------- */
static pthread_mutex_t device_mu = PTHREAD_MUTEX_INITIALIZER;
static struct sim_device *devices; /* registered (not yet deregistered) */

void sim_device_publish(struct sim_device *d)
{
    pthread_mutex_lock(&device_mu);
    d->next = devices;
    devices = d;
    pthread_mutex_unlock(&device_mu);
}

void sim_device_unpublish(struct sim_device *d)
{
    pthread_mutex_lock(&device_mu);
    for (struct sim_device **p = &devices; *p != NULL; p = &(*p)->next) {
        if (*p == d) {
            *p = d->next;
            break;
        }
    }
    d->deleted = 1;
    int free_now = d->open_files == 0;
    pthread_mutex_unlock(&device_mu);
    if (free_now) {
        free(d);
    }
}

static void device_file_gone(struct sim_device *d)
{
    pthread_mutex_lock(&device_mu);
    int free_now = --d->open_files == 0 && d->deleted;
    pthread_mutex_unlock(&device_mu);
    if (free_now) {
        free(d);
    }
}

/* Sends irp to the driver at PASSIVE_LEVEL and checks what the dispatch
 * routine returns against what it did with the IRP. */
NTSTATUS sim_dispatch(struct sim_irp *si)
{
    struct sim_device *d = si->file->device;
    UCHAR major = si->stack.MajorFunction;
    PDRIVER_DISPATCH fn = d->major[major];
    NTSTATUS status;
    if (t_irql != PASSIVE_LEVEL || t_spin_locks != 0) {
        sim_violation("sim", "request issued from driver context");
    }
    __atomic_add_fetch(&irps_outstanding, 1, __ATOMIC_SEQ_CST);
    if (fn == NULL) {
        si->irp.IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
        si->irp.IoStatus.Information = 0;
        IoCompleteRequest(&si->irp, IO_NO_INCREMENT);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    status = fn(&d->dev, &si->irp);
    if (t_irql != PASSIVE_LEVEL || t_spin_locks != 0) {
        sim_violation("irql", "dispatch routine %d returned at IRQL %d holding %d spin lock(s)",
                      major, t_irql, t_spin_locks);
        t_irql = PASSIVE_LEVEL;
        t_spin_locks = 0;
    }
    pthread_mutex_lock(&si->mu);
    int pending = __atomic_load_n(&si->marked_pending, __ATOMIC_SEQ_CST);
    if (status == STATUS_PENDING) {
        if (!pending) {
            sim_violation("irp-pending", "dispatch %d returned STATUS_PENDING without IoMarkIrpPending",
                          major);
        }
    } else {
        if (pending) {
            sim_violation("irp-pending",
                          "dispatch %d marked the IRP pending but returned %08x", major,
                          (unsigned)status);
        }
        if (!si->completed) {
            sim_violation("irp-not-completed",
                          "dispatch %d returned %08x without completing the IRP", major,
                          (unsigned)status);
        } else if (si->status != status) {
            sim_violation("irp-status", "dispatch %d returned %08x but completed with %08x",
                          major, (unsigned)status, (unsigned)si->status);
        }
    }
    pthread_mutex_unlock(&si->mu);
    return status;
}

/* Waits for completion; returns the final status (STATUS_PENDING on timeout). */
NTSTATUS sim_irp_wait(struct sim_irp *si, uint32_t timeout_ms, ULONG_PTR *information)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&si->mu);
    while (!si->completed && timeout_ms != 0) {
        if (timeout_ms == UINT32_MAX) {
            pthread_cond_wait(&si->cv, &si->mu);
        } else if (pthread_cond_timedwait(&si->cv, &si->mu, &deadline) != 0) {
            break;
        }
    }
    NTSTATUS status = si->completed ? si->status : STATUS_PENDING;
    if (information != NULL) {
        *information = si->completed ? si->information : 0;
    }
    pthread_mutex_unlock(&si->mu);
    return status;
}

int sim_irp_completed(struct sim_irp *si)
{
    pthread_mutex_lock(&si->mu);
    int c = si->completed;
    pthread_mutex_unlock(&si->mu);
    return c;
}

struct sim_device *sim_device_lookup(const char *path, const char **rest)
{
    char name[256];
    if (strncmp(path, "\\\\.\\", 4) == 0) {
        snprintf(name, sizeof(name), "\\DosDevices\\%s", path + 4);
    } else {
        snprintf(name, sizeof(name), "%s", path);
    }
    pthread_mutex_lock(&device_mu);
    for (struct sim_device *d = devices; d != NULL; d = d->next) {
        size_t n = strlen(d->link);
        if (strncasecmp(name, d->link, n) == 0 && (name[n] == '\0' || name[n] == '\\')) {
            d->open_files++;
            pthread_mutex_unlock(&device_mu);
            *rest = path + (strlen(path) - strlen(name + n));
            return d;
        }
    }
    pthread_mutex_unlock(&device_mu);
    return NULL;
}

void sim_file_reference(tts_file *file)
{
    __atomic_add_fetch(&file->refs, 1, __ATOMIC_SEQ_CST);
}

void sim_file_release(tts_file *file)
{
    if (__atomic_sub_fetch(&file->refs, 1, __ATOMIC_SEQ_CST) != 0) {
        return;
    }
    /* Last reference: IRP_MJ_CLOSE at PASSIVE_LEVEL. */
    struct sim_irp *si = sim_irp_new(file, IRP_MJ_CLOSE);
    (void)sim_dispatch(si);
    if (sim_irp_wait(si, 10000, NULL) == STATUS_PENDING) {
        sim_violation("irp-not-completed", "IRP_MJ_CLOSE not completed");
    } else {
        sim_irp_delete(si);
    }
    struct sim_device *d = file->device;
    free(file->name_buffer);
    free(file);
    device_file_gone(d);
}

void sim_kernel_reset_thread(void)
{
    t_irql = PASSIVE_LEVEL;
    t_spin_locks = 0;
}

void sim_device_file_failed(struct sim_device *d)
{
    device_file_gone(d);
}
