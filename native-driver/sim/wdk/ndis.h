/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ndis.h (stand-in) - the project's own declaration of the part of the WDK
 * (ndis.h, wdm.h, ntstrsafe.h) that glue/ uses, written from Microsoft's
 * documentation pages for each routine and structure. It serves two builds:
 *
 *  - the type check (tests/typecheck.sh): every glue/ file is compiled for
 *    Windows x64 and ARM64 (LLP64: mingw-w64 GCC, clang --target=*-windows)
 *    with -Werror. Types are as distinct as the real headers make them:
 *    ULONG is unsigned long and UINT unsigned int, NDIS_STATUS is int and
 *    NTSTATUS long, so passing a PUINT where a PULONG is documented fails as
 *    it does under MSVC /W4 /WX. The NDIS version check of the real ndis.h
 *    is reproduced: NDIS 6.20 on ARM64 is rejected.
 *  - the user-mode simulation (sim/): on Linux (LP64) ULONG and LONG become
 *    the 32-bit int types, and the sim/ sources implement every routine declared
 *    here with its documented contract, checking the caller's IRQL and
 *    ownership rules.
 *
 * Layouts are NOT the WDK's: only documented member names and types exist.
 * Nothing built against this header runs in a Windows kernel.
 *
 * Lock and IRQL rules are written with the WDK's SAL names
 * (_IRQL_requires_, _Requires_lock_held_, ...). Under clang they become
 * -Wthread-safety attributes: every driver spin lock is a capability, and
 * holding one also holds the capability TtSimSpinLockIrql ("raised to
 * DISPATCH_LEVEL by a driver spin lock"); PASSIVE_LEVEL-only routines, IRP
 * completion and NDIS indications exclude it.
 */
#ifndef TT_WDK_NDIS_H
#define TT_WDK_NDIS_H

#include <stddef.h>
#include <stdint.h>

#include "../../tests/stubs/wdk_constants.h"

/* ---- NDIS version selection, as ndis.h does it --------------------------- */
#if defined(NDIS630_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 30
#define NDIS_SUPPORT_NDIS630 1
#define NDIS_SUPPORT_NDIS620 1
#elif defined(NDIS620_MINIPORT)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 20
#define NDIS_SUPPORT_NDIS620 1
#if defined(_M_ARM64) || defined(__aarch64__)
/* The real ndis.h rejects NDIS versions below 6.30 on ARM64. */
#error "NDIS: This NDIS API version is not supported on the target architecture"
#endif
#elif defined(NDIS_MINIPORT_DRIVER)
#error "NDIS: no miniport version defined (NDIS620_MINIPORT or NDIS630_MINIPORT)"
#endif

/* ---- annotations ----------------------------------------------------------- */
#if defined(__clang__) && !defined(TT_SIM_NO_THREAD_SAFETY)
#define TT_TSA(x) __attribute__((x))
#else
#define TT_TSA(x)
#endif
/* The capability "a driver spin lock raised this thread to DISPATCH_LEVEL". */
struct TT_TSA(capability("irql")) TtSimIrqlCapability {
    int unused;
};
extern struct TtSimIrqlCapability TtSimSpinLockIrql;

#define _Use_decl_annotations_
#define _In_
#define _In_opt_
#define _Out_
#define _Inout_
#define _Dispatch_type_(x)
#define _IRQL_requires_max_(irql)
#define _IRQL_raises_(irql)
#define _IRQL_saves_
#define _IRQL_restores_
#define _IRQL_requires_(irql) TT_IRQL_REQUIRES_##irql
#define TT_IRQL_REQUIRES_PASSIVE_LEVEL TT_TSA(locks_excluded(TtSimSpinLockIrql))
#define TT_IRQL_REQUIRES_DISPATCH_LEVEL
#define _Requires_lock_held_(lock) TT_TSA(requires_capability(lock))
#define _Requires_lock_not_held_(lock) TT_TSA(locks_excluded(lock))
#define _Acquires_lock_(lock) TT_TSA(acquire_capability(lock))
#define _Releases_lock_(lock) TT_TSA(release_capability(lock))
#define TT_NO_LOCK_ANALYSIS TT_TSA(no_thread_safety_analysis)
/* Completion and indication: never under a driver spin lock. */
#define TT_NOT_UNDER_SPIN_LOCK TT_TSA(locks_excluded(TtSimSpinLockIrql))

/* ---- basic types ----------------------------------------------------------- */
typedef void VOID, *PVOID;
typedef char CHAR, CCHAR, *PCHAR;
typedef unsigned char UCHAR, *PUCHAR, BOOLEAN, *PBOOLEAN;
typedef short SHORT, CSHORT;
typedef unsigned short USHORT, *PUSHORT;
typedef int INT;
typedef unsigned int UINT, *PUINT;
#if defined(_WIN32)
typedef long LONG;
typedef unsigned long ULONG;
typedef wchar_t WCHAR;
#else
typedef int LONG;
typedef unsigned int ULONG;
typedef wchar_t WCHAR; /* 32-bit on Linux: the simulation never mixes them */
#endif
typedef LONG *PLONG;
typedef ULONG *PULONG;
typedef long long LONGLONG, LONG64;
typedef unsigned long long ULONGLONG, ULONG64, *PULONG64;
typedef uintptr_t ULONG_PTR, SIZE_T, *PULONG_PTR;
typedef intptr_t LONG_PTR;
typedef WCHAR *PWCHAR, *PWCH, *PWSTR;
typedef const WCHAR *PCWSTR, *PCWCH, *NTSTRSAFE_PCWSTR;
typedef LONG NTSTATUS;
typedef int NDIS_STATUS, *PNDIS_STATUS;
typedef PVOID NDIS_HANDLE, *PNDIS_HANDLE;
typedef ULONG NDIS_OID, *PNDIS_OID;
typedef ULONG NDIS_PORT_NUMBER;
typedef UCHAR KIRQL, *PKIRQL;
typedef CCHAR KPROCESSOR_MODE;
typedef union _LARGE_INTEGER {
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;
typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID, *LPGUID;
typedef const GUID *LPCGUID;

#define TRUE 1
#define FALSE 0
#define ANYSIZE_ARRAY 1
#define PASSIVE_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define RTL_SIZEOF_THROUGH_FIELD(type, field)                                 \
    (offsetof(type, field) + sizeof(((type *)0)->field))
#define CONTAINING_RECORD(address, type, field)                               \
    ((type *)((PUCHAR)(address) - offsetof(type, field)))
#define NT_SUCCESS(status) (((NTSTATUS)(status)) >= 0)
#define UNREFERENCED_PARAMETER(p) ((void)(p))
/* wdm.h's NT_ASSERT; here a failed one is a violation ([assert]). */
VOID SimNtAssertFailed(const char *Expression, const char *File, int Line);
#define NT_ASSERT(e) ((e) ? (void)0 : SimNtAssertFailed(#e, __FILE__, __LINE__))
#define ALLOC_PRAGMA_UNUSED 1

/* ---- NDIS_STATUS ------------------------------------------------------------ */
#define NDIS_STATUS_SUCCESS          ((NDIS_STATUS)STATUS_SUCCESS)
#define NDIS_STATUS_PENDING          ((NDIS_STATUS)STATUS_PENDING)
#define NDIS_STATUS_FAILURE          ((NDIS_STATUS)STATUS_UNSUCCESSFUL)
#define NDIS_STATUS_RESOURCES        ((NDIS_STATUS)STATUS_INSUFFICIENT_RESOURCES)
#define NDIS_STATUS_NOT_SUPPORTED    ((NDIS_STATUS)STATUS_NOT_SUPPORTED)
#define NDIS_STATUS_PAUSED           ((NDIS_STATUS)STATUS_NDIS_PAUSED)
#define NDIS_STATUS_BUFFER_TOO_SHORT ((NDIS_STATUS)0xC0230016L)
#define NDIS_STATUS_INVALID_LENGTH   ((NDIS_STATUS)0xC0230014L)
#define NDIS_STATUS_INVALID_DATA     ((NDIS_STATUS)0xC0230015L)
#define NDIS_STATUS_MULTICAST_FULL   ((NDIS_STATUS)0xC0230009L)
#define NDIS_STATUS_REQUEST_ABORTED  ((NDIS_STATUS)0xC023000CL)
#define NDIS_STATUS_LINK_STATE       ((NDIS_STATUS)0x40010017L)
#define STATUS_DEVICE_REMOVED        ((NTSTATUS)0xC00002B6L)
#define STATUS_SHARING_VIOLATION     ((NTSTATUS)0xC0000043L)
#define STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034L)
#define STATUS_DELETE_PENDING        ((NTSTATUS)0xC0000056L)

/* ---- strings ------------------------------------------------------------------ */
typedef struct _UNICODE_STRING {
    USHORT Length;        /* bytes, without a terminator */
    USHORT MaximumLength; /* bytes */
    PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING, NDIS_STRING, *PNDIS_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

#define DECLARE_CONST_UNICODE_STRING(_var, _string)                           \
    static const WCHAR _var##_buffer[] = _string;                             \
    static const UNICODE_STRING _var = {sizeof(_string) - sizeof(WCHAR), sizeof(_string), \
                                        (PWCH)_var##_buffer}
#define NDIS_STRING_CONST(x) {sizeof(L##x) - sizeof(WCHAR), sizeof(L##x), (PWCH)L##x}

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
static inline VOID RtlInitEmptyUnicodeString(PUNICODE_STRING UnicodeString, PWCHAR Buffer,
                                             USHORT BufferSize)
{
    UnicodeString->Length = 0;
    UnicodeString->MaximumLength = BufferSize;
    UnicodeString->Buffer = Buffer;
}
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString);
_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS RtlGUIDFromString(PCUNICODE_STRING GuidString, GUID *Guid);
/* ntstrsafe.h; the sim supports %ws, %wZ and %%. */
_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat,
                                ...);

/* ---- memory -------------------------------------------------------------------- */
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
#define RtlCopyMemory(d, s, n) memcpy((d), (s), (n))
#define RtlMoveMemory(d, s, n) memmove((d), (s), (n))
#define RtlZeroMemory(d, n) memset((d), 0, (n))
#define NdisMoveMemory(d, s, n) RtlCopyMemory(d, s, n)
#define NdisZeroMemory(d, n) RtlZeroMemory(d, n)

typedef enum _EX_POOL_PRIORITY {
    LowPoolPriority = 0,
    NormalPoolPriority = 16,
    HighPoolPriority = 32
} EX_POOL_PRIORITY;
#define NormalPagePriority 16
#define MdlMappingNoExecute 0x40000000

/* NdisAllocateMemoryWithTagPriority: Length is UINT (documented). */
_IRQL_requires_max_(DISPATCH_LEVEL)
PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                        EX_POOL_PRIORITY Priority);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisFreeMemoryWithTagPriority(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, ULONG Tag);

#define DrvRtPoolNxOptIn 0x00000001
VOID ExInitializeDriverRuntime(ULONG RuntimeFlags);

/* ---- interlocked ---------------------------------------------------------------- */
static inline LONG InterlockedIncrement(LONG volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedDecrement(LONG volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange,
                                              LONG Comparand)
{
    __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return Comparand;
}
static inline PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange,
                                                      PVOID Comparand)
{
    __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return Comparand;
}
/* ReadPointerAcquire / WritePointerRelease (wdm.h, Windows 10). */
static inline PVOID ReadPointerAcquire(PVOID const volatile *Source)
{
    return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline VOID WritePointerRelease(PVOID volatile *Destination, PVOID Value)
{
    __atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline LONG ReadAcquire(LONG const volatile *Source)
{
    return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}

/* ---- IRQL, spin locks, events, rundown ------------------------------------------ */
typedef struct TT_TSA(capability("spinlock")) _KSPIN_LOCK_STANDIN {
    ULONG_PTR Value;
} KSPIN_LOCK, *PKSPIN_LOCK;

typedef struct TT_TSA(capability("spinlock")) _NDIS_SPIN_LOCK {
    KSPIN_LOCK SpinLock;
    KIRQL OldIrql;
} NDIS_SPIN_LOCK, *PNDIS_SPIN_LOCK;

KIRQL KeGetCurrentIrql(VOID);
#define PAGED_CODE() TtSimPagedCode(__func__)
VOID TtSimPagedCode(const char *Function);

VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql)
    TT_TSA(acquire_capability(*SpinLock, TtSimSpinLockIrql));
VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
    TT_TSA(release_capability(*SpinLock, TtSimSpinLockIrql));

VOID NdisAllocateSpinLock(PNDIS_SPIN_LOCK SpinLock);
VOID NdisFreeSpinLock(PNDIS_SPIN_LOCK SpinLock);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock)
    TT_TSA(acquire_capability(*SpinLock, TtSimSpinLockIrql));
VOID NdisReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock)
    TT_TSA(release_capability(*SpinLock, TtSimSpinLockIrql));

typedef struct _KEVENT {
    volatile LONG Signaled;
    LONG Type;
} KEVENT, *PKEVENT;
typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
typedef enum _KWAIT_REASON { Executive = 0 } KWAIT_REASON;
#define IO_NO_INCREMENT 0
#define IO_NETWORK_INCREMENT 2
VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
_IRQL_requires_max_(DISPATCH_LEVEL)
LONG KeSetEvent(PKEVENT Event, LONG Increment, BOOLEAN Wait);
VOID KeClearEvent(PKEVENT Event);
/* Only PASSIVE_LEVEL waits with no timeout are used. */
_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                               BOOLEAN Alertable, PLARGE_INTEGER Timeout);
#define KernelMode 0

typedef struct _EX_RUNDOWN_REF {
    volatile ULONG_PTR Count;
} EX_RUNDOWN_REF, *PEX_RUNDOWN_REF;
VOID ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef);
_IRQL_requires_max_(DISPATCH_LEVEL)
BOOLEAN ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef);
_IRQL_requires_(PASSIVE_LEVEL)
VOID ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef);

/* ---- lists ------------------------------------------------------------------------ */
typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

static inline VOID InitializeListHead(PLIST_ENTRY ListHead)
{
    ListHead->Flink = ListHead->Blink = ListHead;
}
static inline BOOLEAN IsListEmpty(const LIST_ENTRY *ListHead)
{
    return (BOOLEAN)(ListHead->Flink == ListHead);
}
static inline VOID InsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry)
{
    Entry->Flink = ListHead;
    Entry->Blink = ListHead->Blink;
    ListHead->Blink->Flink = Entry;
    ListHead->Blink = Entry;
}
static inline BOOLEAN RemoveEntryList(PLIST_ENTRY Entry)
{
    PLIST_ENTRY next = Entry->Flink;
    PLIST_ENTRY prev = Entry->Blink;
    prev->Flink = next;
    next->Blink = prev;
    return (BOOLEAN)(next == prev);
}

/* ---- MDLs ---------------------------------------------------------------------------- */
typedef struct _MDL {
    struct _MDL *Next;
    CSHORT Size;
    CSHORT MdlFlags;
    PVOID MappedSystemVa;
    PVOID StartVa;
    ULONG ByteCount;
    ULONG ByteOffset;
} MDL, *PMDL;

_IRQL_requires_max_(DISPATCH_LEVEL)
PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority);
#define MmGetMdlByteCount(Mdl) ((Mdl)->ByteCount)
_IRQL_requires_max_(DISPATCH_LEVEL)
PMDL NdisAllocateMdl(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, UINT Length);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisFreeMdl(PMDL Mdl);
#define NdisQueryMdl(_Mdl, _VirtualAddress, _Length, _Priority)                \
    do {                                                                       \
        if (ARGUMENT_PRESENT(_VirtualAddress)) {                               \
            *(PVOID *)(_VirtualAddress) = MmGetSystemAddressForMdlSafe(_Mdl, _Priority); \
        }                                                                      \
        *(_Length) = MmGetMdlByteCount(_Mdl);                                  \
    } while (0)
#define ARGUMENT_PRESENT(p) ((p) != NULL)

/* ---- I/O manager objects ---------------------------------------------------------------- */
struct _DEVICE_OBJECT;
struct _DRIVER_OBJECT;
struct _IRP;
struct _FILE_OBJECT;
typedef NTSTATUS DRIVER_DISPATCH(struct _DEVICE_OBJECT *DeviceObject, struct _IRP *Irp);
typedef DRIVER_DISPATCH *PDRIVER_DISPATCH;
typedef VOID DRIVER_CANCEL(struct _DEVICE_OBJECT *DeviceObject, struct _IRP *Irp);
typedef DRIVER_CANCEL *PDRIVER_CANCEL;
typedef NTSTATUS DRIVER_INITIALIZE(struct _DRIVER_OBJECT *DriverObject,
                                   PUNICODE_STRING RegistryPath);
typedef VOID DRIVER_UNLOAD(struct _DRIVER_OBJECT *DriverObject);

#define IRP_MJ_CREATE 0x00
#define IRP_MJ_CLOSE 0x02
#define IRP_MJ_READ 0x03
#define IRP_MJ_WRITE 0x04
#define IRP_MJ_DEVICE_CONTROL 0x0e
#define IRP_MJ_INTERNAL_DEVICE_CONTROL 0x0f
#define IRP_MJ_SHUTDOWN 0x10
#define IRP_MJ_CLEANUP 0x12
#define IRP_MJ_POWER 0x16
#define IRP_MJ_SYSTEM_CONTROL 0x17
#define IRP_MJ_PNP 0x1b
#define IRP_MJ_MAXIMUM_FUNCTION 0x1b

#define DO_BUFFERED_IO 0x00000004
#define DO_EXCLUSIVE 0x00000008
#define DO_DIRECT_IO 0x00000010
#define DO_DEVICE_INITIALIZING 0x00000080

typedef struct _DEVICE_OBJECT {
    CSHORT Type;
    USHORT Size;
    LONG ReferenceCount;
    struct _DRIVER_OBJECT *DriverObject;
    struct _DEVICE_OBJECT *NextDevice;
    ULONG Flags;
    ULONG Characteristics;
    PVOID DeviceExtension;
    ULONG DeviceType;
    CCHAR StackSize;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef struct _DRIVER_OBJECT {
    CSHORT Type;
    CSHORT Size;
    PDEVICE_OBJECT DeviceObject;
    ULONG Flags;
    PVOID DriverExtension;
    UNICODE_STRING DriverName;
    DRIVER_UNLOAD *DriverUnload;
    PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];
} DRIVER_OBJECT, *PDRIVER_OBJECT;

typedef struct _FILE_OBJECT {
    CSHORT Type;
    CSHORT Size;
    PDEVICE_OBJECT DeviceObject;
    PVOID FsContext;
    PVOID FsContext2;
    UNICODE_STRING FileName;
    ULONG Flags;
} FILE_OBJECT, *PFILE_OBJECT;

typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction;
    UCHAR MinorFunction;
    UCHAR Flags;
    UCHAR Control;
    union {
        struct {
            ULONG Length;
            ULONG Key;
            LARGE_INTEGER ByteOffset;
        } Read;
        struct {
            ULONG Length;
            ULONG Key;
            LARGE_INTEGER ByteOffset;
        } Write;
        struct {
            ULONG OutputBufferLength;
            ULONG InputBufferLength;
            ULONG IoControlCode;
            PVOID Type3InputBuffer;
        } DeviceIoControl;
    } Parameters;
    PDEVICE_OBJECT DeviceObject;
    PFILE_OBJECT FileObject;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

#define SL_PENDING_RETURNED 0x01

typedef struct _IRP {
    CSHORT Type;
    USHORT Size;
    PMDL MdlAddress;
    ULONG Flags;
    union {
        struct _IRP *MasterIrp;
        LONG IrpCount;
        PVOID SystemBuffer;
    } AssociatedIrp;
    IO_STATUS_BLOCK IoStatus;
    KPROCESSOR_MODE RequestorMode;
    BOOLEAN PendingReturned;
    BOOLEAN Cancel;
    KIRQL CancelIrql;
    PDRIVER_CANCEL volatile CancelRoutine;
    PVOID UserBuffer;
    union {
        struct {
            PVOID DriverContext[4]; /* [3] belongs to a cancel-safe queue */
            LIST_ENTRY ListEntry;
            PIO_STACK_LOCATION CurrentStackLocation;
            PFILE_OBJECT OriginalFileObject;
        } Overlay;
    } Tail;
} IRP, *PIRP;

static inline PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP Irp)
{
    return Irp->Tail.Overlay.CurrentStackLocation;
}
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID IoMarkIrpPending(PIRP Irp);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost) TT_NOT_UNDER_SPIN_LOCK;
_IRQL_requires_max_(DISPATCH_LEVEL)
PDRIVER_CANCEL IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL CancelRoutine);
VOID IoReleaseCancelSpinLock(KIRQL Irql);

/* Cancel-safe queues (wdm.h, "Cancel-Safe IRP Queues"). */
struct _IO_CSQ;
typedef struct _IO_CSQ *PIO_CSQ;
typedef struct _IO_CSQ_IRP_CONTEXT {
    ULONG Type;
    PIRP Irp;
    PIO_CSQ Csq;
} IO_CSQ_IRP_CONTEXT, *PIO_CSQ_IRP_CONTEXT;
typedef VOID IO_CSQ_INSERT_IRP(PIO_CSQ Csq, PIRP Irp);
typedef VOID IO_CSQ_REMOVE_IRP(PIO_CSQ Csq, PIRP Irp);
typedef PIRP IO_CSQ_PEEK_NEXT_IRP(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext);
typedef VOID IO_CSQ_ACQUIRE_LOCK(PIO_CSQ Csq, PKIRQL Irql);
typedef VOID IO_CSQ_RELEASE_LOCK(PIO_CSQ Csq, KIRQL Irql);
typedef VOID IO_CSQ_COMPLETE_CANCELED_IRP(PIO_CSQ Csq, PIRP Irp);
typedef struct _IO_CSQ {
    ULONG Type;
    IO_CSQ_INSERT_IRP *CsqInsertIrp;
    IO_CSQ_REMOVE_IRP *CsqRemoveIrp;
    IO_CSQ_PEEK_NEXT_IRP *CsqPeekNextIrp;
    IO_CSQ_ACQUIRE_LOCK *CsqAcquireLock;
    IO_CSQ_RELEASE_LOCK *CsqReleaseLock;
    IO_CSQ_COMPLETE_CANCELED_IRP *CsqCompleteCanceledIrp;
    PVOID ReservePointer;
} IO_CSQ;
NTSTATUS IoCsqInitialize(PIO_CSQ Csq, IO_CSQ_INSERT_IRP *CsqInsertIrp,
                         IO_CSQ_REMOVE_IRP *CsqRemoveIrp, IO_CSQ_PEEK_NEXT_IRP *CsqPeekNextIrp,
                         IO_CSQ_ACQUIRE_LOCK *CsqAcquireLock, IO_CSQ_RELEASE_LOCK *CsqReleaseLock,
                         IO_CSQ_COMPLETE_CANCELED_IRP *CsqCompleteCanceledIrp);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID IoCsqInsertIrp(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context);
_IRQL_requires_max_(DISPATCH_LEVEL)
PIRP IoCsqRemoveNextIrp(PIO_CSQ Csq, PVOID PeekContext);

/* ---- NDIS objects ------------------------------------------------------------------------ */
typedef struct _NDIS_OBJECT_HEADER {
    UCHAR Type;
    UCHAR Revision;
    USHORT Size;
} NDIS_OBJECT_HEADER, *PNDIS_OBJECT_HEADER;

#define NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS 0x81
#define NDIS_OBJECT_TYPE_DEVICE_OBJECT_ATTRIBUTES 0x85
#define NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS 0x8A
#define NDIS_OBJECT_TYPE_OID_REQUEST 0x96
#define NDIS_OBJECT_TYPE_STATUS_INDICATION 0x98
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES 0x9E
#define NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES 0x9F
#define NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT 0xA9

typedef enum _NDIS_MEDIUM { NdisMedium802_3 = 0 } NDIS_MEDIUM;
typedef enum _NDIS_PHYSICAL_MEDIUM { NdisPhysicalMediumUnspecified = 0 } NDIS_PHYSICAL_MEDIUM;
typedef enum _NDIS_HARDWARE_STATUS { NdisHardwareStatusReady = 0 } NDIS_HARDWARE_STATUS;
typedef enum _NDIS_MEDIA_STATE {
    NdisMediaStateConnected = 0,
    NdisMediaStateDisconnected = 1
} NDIS_MEDIA_STATE;
typedef enum _NET_IF_MEDIA_CONNECT_STATE {
    MediaConnectStateUnknown = 0,
    MediaConnectStateConnected = 1,
    MediaConnectStateDisconnected = 2
} NET_IF_MEDIA_CONNECT_STATE, NDIS_MEDIA_CONNECT_STATE;
typedef enum _NET_IF_MEDIA_DUPLEX_STATE {
    MediaDuplexStateUnknown = 0,
    MediaDuplexStateHalf = 1,
    MediaDuplexStateFull = 2
} NET_IF_MEDIA_DUPLEX_STATE, NDIS_MEDIA_DUPLEX_STATE;
typedef enum _NDIS_SUPPORTED_PAUSE_FUNCTIONS {
    NdisPauseFunctionsUnsupported = 0
} NDIS_SUPPORTED_PAUSE_FUNCTIONS;
typedef enum _NDIS_INTERFACE_TYPE { NdisInterfaceInternal = 0 } NDIS_INTERFACE_TYPE;
typedef enum _NDIS_DEVICE_POWER_STATE {
    NdisDeviceStateUnspecified = 0,
    NdisDeviceStateD0,
    NdisDeviceStateD1,
    NdisDeviceStateD2,
    NdisDeviceStateD3
} NDIS_DEVICE_POWER_STATE, *PNDIS_DEVICE_POWER_STATE;
typedef enum _NDIS_INTERRUPT_MODERATION {
    NdisInterruptModerationUnknown,
    NdisInterruptModerationNotSupported,
    NdisInterruptModerationEnabled,
    NdisInterruptModerationDisabled
} NDIS_INTERRUPT_MODERATION;
typedef enum _NDIS_HALT_ACTION { NdisHaltDeviceDisabled, NdisHaltDeviceInstanceDeInitialized,
                                 NdisHaltDevicePoweredDown, NdisHaltDeviceSurpriseRemoved,
                                 NdisHaltDeviceFailed, NdisHaltDeviceInitializationFailed,
                                 NdisHaltDeviceStopped } NDIS_HALT_ACTION;
typedef enum _NDIS_SHUTDOWN_ACTION { NdisShutdownPowerOff, NdisShutdownBugCheck }
    NDIS_SHUTDOWN_ACTION;
typedef enum _NDIS_REQUEST_TYPE {
    NdisRequestQueryInformation = 0,
    NdisRequestSetInformation = 1,
    NdisRequestQueryStatistics = 2,
    NdisRequestMethod = 12
} NDIS_REQUEST_TYPE;
typedef enum _NDIS_PARAMETER_TYPE {
    NdisParameterInteger,
    NdisParameterHexInteger,
    NdisParameterString,
    NdisParameterMultiString,
    NdisParameterBinary
} NDIS_PARAMETER_TYPE;

#define NDIS_LINK_SPEED_UNKNOWN ((ULONG64)-1)
#define IF_TYPE_ETHERNET_CSMACD 6
typedef enum _NET_IF_ACCESS_TYPE { NET_IF_ACCESS_LOOPBACK = 1, NET_IF_ACCESS_BROADCAST = 2 }
    NET_IF_ACCESS_TYPE;
typedef enum _NET_IF_DIRECTION_TYPE { NET_IF_DIRECTION_SENDRECEIVE = 0 } NET_IF_DIRECTION_TYPE;
typedef enum _NET_IF_CONNECTION_TYPE { NET_IF_CONNECTION_DEDICATED = 1 } NET_IF_CONNECTION_TYPE;
typedef USHORT NET_IFTYPE;

#define NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA 0x00000001
#define NDIS_MAC_OPTION_TRANSFERS_NOT_PEND 0x00000004
#define NDIS_MAC_OPTION_NO_LOOPBACK 0x00000008
#define NDIS_LINK_STATE_DUPLEX_AUTO_NEGOTIATED 0x00000004

#define NDIS_STATISTICS_XMIT_OK_SUPPORTED 0x00000001
#define NDIS_STATISTICS_RCV_OK_SUPPORTED 0x00000002
#define NDIS_STATISTICS_XMIT_ERROR_SUPPORTED 0x00000004
#define NDIS_STATISTICS_RCV_ERROR_SUPPORTED 0x00000008
#define NDIS_STATISTICS_RCV_NO_BUFFER_SUPPORTED 0x00000010
#define NDIS_STATISTICS_DIRECTED_BYTES_XMIT_SUPPORTED 0x00000020
#define NDIS_STATISTICS_DIRECTED_FRAMES_XMIT_SUPPORTED 0x00000040
#define NDIS_STATISTICS_DIRECTED_BYTES_RCV_SUPPORTED 0x00002000
#define NDIS_STATISTICS_DIRECTED_FRAMES_RCV_SUPPORTED 0x00004000
#define NDIS_STATISTICS_BYTES_RCV_SUPPORTED 0x00080000
#define NDIS_STATISTICS_BYTES_XMIT_SUPPORTED 0x00200000
#define NDIS_STATISTICS_RCV_DISCARDS_SUPPORTED 0x00400000
#define NDIS_STATISTICS_GEN_STATISTICS_SUPPORTED 0x00800000
#define NDIS_STATISTICS_XMIT_DISCARDS_SUPPORTED 0x08000000

typedef struct _NDIS_STATISTICS_INFO {
    NDIS_OBJECT_HEADER Header;
    ULONG SupportedStatistics;
    ULONG64 ifInDiscards;
    ULONG64 ifInErrors;
    ULONG64 ifHCInOctets;
    ULONG64 ifHCInUcastPkts;
    ULONG64 ifHCInMulticastPkts;
    ULONG64 ifHCInBroadcastPkts;
    ULONG64 ifHCOutOctets;
    ULONG64 ifHCOutUcastPkts;
    ULONG64 ifHCOutMulticastPkts;
    ULONG64 ifHCOutBroadcastPkts;
    ULONG64 ifOutErrors;
    ULONG64 ifOutDiscards;
    ULONG64 ifHCInUcastOctets;
    ULONG64 ifHCInMulticastOctets;
    ULONG64 ifHCInBroadcastOctets;
    ULONG64 ifHCOutUcastOctets;
    ULONG64 ifHCOutMulticastOctets;
    ULONG64 ifHCOutBroadcastOctets;
} NDIS_STATISTICS_INFO;
#define NDIS_SIZEOF_STATISTICS_INFO_REVISION_1                                \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_STATISTICS_INFO, ifHCOutBroadcastOctets)

typedef struct _NDIS_INTERRUPT_MODERATION_PARAMETERS {
    NDIS_OBJECT_HEADER Header;
    ULONG Flags;
    NDIS_INTERRUPT_MODERATION InterruptModeration;
} NDIS_INTERRUPT_MODERATION_PARAMETERS;
#define NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1                \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_INTERRUPT_MODERATION_PARAMETERS, InterruptModeration)

typedef struct _NDIS_PM_CAPABILITIES {
    NDIS_OBJECT_HEADER Header;
    ULONG Flags;
    ULONG SupportedWoLPacketPatterns;
    ULONG NumTotalWoLPatterns;
    ULONG MaxWoLPatternSize;
    ULONG MaxWoLPatternOffset;
    ULONG MaxWoLPacketSaveBuffer;
    ULONG SupportedProtocolOffloads;
    ULONG NumArpOffloadIPv4Addresses;
    ULONG NumNSOffloadIPv6Addresses;
    NDIS_DEVICE_POWER_STATE MinMagicPacketWakeUp;
    NDIS_DEVICE_POWER_STATE MinPatternWakeUp;
    NDIS_DEVICE_POWER_STATE MinLinkChangeWakeUp;
#if defined(NDIS_SUPPORT_NDIS630) || !defined(NDIS_MINIPORT_DRIVER)
    ULONG SupportedWakeUpEvents;
    ULONG MediaSpecificWakeUpEvents;
#endif
} NDIS_PM_CAPABILITIES, *PNDIS_PM_CAPABILITIES;
#define NDIS_PM_CAPABILITIES_REVISION_1 1
#define NDIS_PM_CAPABILITIES_REVISION_2 2
#define NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_1                           \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_PM_CAPABILITIES, MinLinkChangeWakeUp)
#if defined(NDIS_SUPPORT_NDIS630) || !defined(NDIS_MINIPORT_DRIVER)
#define NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_2                           \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_PM_CAPABILITIES, MediaSpecificWakeUpEvents)
#endif

typedef struct _NDIS_LINK_STATE {
    NDIS_OBJECT_HEADER Header;
    NDIS_MEDIA_CONNECT_STATE MediaConnectState;
    NDIS_MEDIA_DUPLEX_STATE MediaDuplexState;
    ULONG64 XmitLinkSpeed;
    ULONG64 RcvLinkSpeed;
    NDIS_SUPPORTED_PAUSE_FUNCTIONS PauseFunctions;
    ULONG AutoNegotiationFlags;
} NDIS_LINK_STATE, *PNDIS_LINK_STATE;
#define NDIS_LINK_STATE_REVISION_1 1
#define NDIS_SIZEOF_LINK_STATE_REVISION_1                                     \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_LINK_STATE, AutoNegotiationFlags)

typedef struct _NDIS_LINK_PARAMETERS {
    NDIS_OBJECT_HEADER Header;
    NDIS_MEDIA_DUPLEX_STATE MediaDuplexState;
    ULONG64 XmitLinkSpeed;
    ULONG64 RcvLinkSpeed;
    NDIS_SUPPORTED_PAUSE_FUNCTIONS PauseFunctions;
    ULONG AutoNegotiationFlags;
} NDIS_LINK_PARAMETERS;
#define NDIS_LINK_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_LINK_PARAMETERS_REVISION_1                                \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_LINK_PARAMETERS, AutoNegotiationFlags)

typedef struct _NDIS_STATUS_INDICATION {
    NDIS_OBJECT_HEADER Header;
    NDIS_HANDLE SourceHandle;
    NDIS_PORT_NUMBER PortNumber;
    NDIS_STATUS StatusCode;
    ULONG Flags;
    NDIS_HANDLE DestinationHandle;
    PVOID RequestId;
    PVOID StatusBuffer;
    ULONG StatusBufferSize;
    GUID Guid;
    PVOID NdisReserved[4];
} NDIS_STATUS_INDICATION, *PNDIS_STATUS_INDICATION;
#define NDIS_STATUS_INDICATION_REVISION_1 1
#define NDIS_SIZEOF_STATUS_INDICATION_REVISION_1                              \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_STATUS_INDICATION, NdisReserved)

/* NDIS_OID_REQUEST: the byte counts are UINT (documented). */
typedef struct _NDIS_OID_REQUEST {
    NDIS_OBJECT_HEADER Header;
    NDIS_REQUEST_TYPE RequestType;
    NDIS_PORT_NUMBER PortNumber;
    UINT Timeout;
    PVOID RequestId;
    NDIS_HANDLE RequestHandle;
    union _REQUEST_DATA {
        struct _QUERY {
            NDIS_OID Oid;
            PVOID InformationBuffer;
            UINT InformationBufferLength;
            UINT BytesWritten;
            UINT BytesNeeded;
        } QUERY_INFORMATION;
        struct _SET {
            NDIS_OID Oid;
            PVOID InformationBuffer;
            UINT InformationBufferLength;
            UINT BytesRead;
            UINT BytesNeeded;
        } SET_INFORMATION;
    } DATA;
    UCHAR NdisReserved[16 * sizeof(PVOID)];
    UCHAR MiniportReserved[2 * sizeof(PVOID)];
    UCHAR SourceReserved[2 * sizeof(PVOID)];
    UCHAR SupportedRevision;
    UCHAR Reserved1;
    USHORT Reserved2;
} NDIS_OID_REQUEST, *PNDIS_OID_REQUEST;
#define NDIS_OID_REQUEST_REVISION_1 1

typedef struct _NDIS_MINIPORT_INIT_PARAMETERS {
    NDIS_OBJECT_HEADER Header;
    ULONG Flags;
    PVOID AllocatedResources;
    NDIS_HANDLE IMDeviceInstanceContext;
    NDIS_HANDLE MiniportAddDeviceContext;
    ULONG IfIndex;
    GUID NetLuid;
} NDIS_MINIPORT_INIT_PARAMETERS, *PNDIS_MINIPORT_INIT_PARAMETERS;
typedef struct _NDIS_MINIPORT_PAUSE_PARAMETERS {
    NDIS_OBJECT_HEADER Header;
    ULONG Flags;
    ULONG PauseReason;
} NDIS_MINIPORT_PAUSE_PARAMETERS, *PNDIS_MINIPORT_PAUSE_PARAMETERS;
typedef struct _NDIS_MINIPORT_RESTART_PARAMETERS {
    NDIS_OBJECT_HEADER Header;
    PVOID RestartAttributes;
    ULONG Flags;
} NDIS_MINIPORT_RESTART_PARAMETERS, *PNDIS_MINIPORT_RESTART_PARAMETERS;
typedef struct _NET_DEVICE_PNP_EVENT {
    NDIS_OBJECT_HEADER Header;
    NDIS_PORT_NUMBER PortNumber;
    ULONG DevicePnPEvent;
    PVOID InformationBuffer;
    ULONG InformationBufferLength;
} NET_DEVICE_PNP_EVENT, *PNET_DEVICE_PNP_EVENT;

/* ---- NET_BUFFER_LIST / NET_BUFFER ----------------------------------------------------------- */
typedef struct _NET_BUFFER {
    struct _NET_BUFFER *Next;
    PMDL CurrentMdl;
    ULONG CurrentMdlOffset;
    ULONG DataLength;
    PMDL MdlChain;
    ULONG DataOffset;
    PVOID MiniportReserved[4];
} NET_BUFFER, *PNET_BUFFER;

typedef struct _NET_BUFFER_LIST {
    struct _NET_BUFFER_LIST *Next;
    PNET_BUFFER FirstNetBuffer;
    struct _NET_BUFFER_LIST *ParentNetBufferList;
    NDIS_HANDLE NdisPoolHandle;
    PVOID NdisReserved[2];
    PVOID ProtocolReserved[4];
    PVOID MiniportReserved[2];
    PVOID Scratch;
    NDIS_HANDLE SourceHandle;
    ULONG NblFlags;
    LONG ChildRefCount;
    ULONG Flags;
    NDIS_STATUS Status;
} NET_BUFFER_LIST, *PNET_BUFFER_LIST;

#define NET_BUFFER_LIST_NEXT_NBL(_NBL) ((_NBL)->Next)
#define NET_BUFFER_LIST_FIRST_NB(_NBL) ((_NBL)->FirstNetBuffer)
#define NET_BUFFER_LIST_STATUS(_NBL) ((_NBL)->Status)
#define NET_BUFFER_NEXT_NB(_NB) ((_NB)->Next)
#define NET_BUFFER_FIRST_MDL(_NB) ((_NB)->MdlChain)
#define NET_BUFFER_DATA_LENGTH(_NB) ((_NB)->DataLength)
#define NET_BUFFER_DATA_OFFSET(_NB) ((_NB)->DataOffset)
#define NET_BUFFER_CURRENT_MDL(_NB) ((_NB)->CurrentMdl)
#define NET_BUFFER_CURRENT_MDL_OFFSET(_NB) ((_NB)->CurrentMdlOffset)

#define NDIS_DEFAULT_PORT_NUMBER ((NDIS_PORT_NUMBER)0)
#define NDIS_SEND_FLAGS_DISPATCH_LEVEL 0x00000001
#define NDIS_TEST_SEND_AT_DISPATCH_LEVEL(_Flags)                              \
    (((_Flags) & NDIS_SEND_FLAGS_DISPATCH_LEVEL) != 0)
#define NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL 0x00000001
#define NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL 0x00000001
#define NDIS_RECEIVE_FLAGS_RESOURCES 0x00000002
#define NDIS_RETURN_FLAGS_DISPATCH_LEVEL 0x00000001
#define NDIS_PROTOCOL_ID_DEFAULT 0x00

typedef struct _NET_BUFFER_LIST_POOL_PARAMETERS {
    NDIS_OBJECT_HEADER Header;
    UCHAR ProtocolId;
    BOOLEAN fAllocateNetBuffer;
    USHORT ContextSize;
    ULONG PoolTag;
    ULONG DataSize;
} NET_BUFFER_LIST_POOL_PARAMETERS, *PNET_BUFFER_LIST_POOL_PARAMETERS;
#define NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1                \
    RTL_SIZEOF_THROUGH_FIELD(NET_BUFFER_LIST_POOL_PARAMETERS, DataSize)

_IRQL_requires_max_(DISPATCH_LEVEL)
NDIS_HANDLE NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle,
                                          PNET_BUFFER_LIST_POOL_PARAMETERS Parameters);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle);
_IRQL_requires_max_(DISPATCH_LEVEL)
PNET_BUFFER_LIST NdisAllocateNetBufferAndNetBufferList(NDIS_HANDLE PoolHandle, USHORT ContextSize,
                                                       USHORT ContextBackFill, PMDL MdlChain,
                                                       ULONG DataOffset, SIZE_T DataLength);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisFreeNetBufferList(PNET_BUFFER_LIST NetBufferList);
_IRQL_requires_max_(DISPATCH_LEVEL)
PVOID NdisGetDataBuffer(PNET_BUFFER NetBuffer, ULONG BytesNeeded, PVOID Storage,
                        UINT AlignMultiple, UINT AlignOffset);

/* ---- miniport driver roles (the MINIPORT_* typedefs) ---------------------------------------- */
typedef NDIS_STATUS MINIPORT_INITIALIZE(NDIS_HANDLE MiniportAdapterHandle,
                                        NDIS_HANDLE MiniportDriverContext,
                                        PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters);
typedef VOID MINIPORT_HALT(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction);
typedef VOID MINIPORT_UNLOAD(PDRIVER_OBJECT DriverObject);
typedef NDIS_STATUS MINIPORT_PAUSE(NDIS_HANDLE MiniportAdapterContext,
                                   PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters);
typedef NDIS_STATUS MINIPORT_RESTART(NDIS_HANDLE MiniportAdapterContext,
                                     PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters);
typedef NDIS_STATUS MINIPORT_OID_REQUEST(NDIS_HANDLE MiniportAdapterContext,
                                         PNDIS_OID_REQUEST OidRequest);
typedef VOID MINIPORT_CANCEL_OID_REQUEST(NDIS_HANDLE MiniportAdapterContext, PVOID RequestId);
typedef VOID MINIPORT_SEND_NET_BUFFER_LISTS(NDIS_HANDLE MiniportAdapterContext,
                                            PNET_BUFFER_LIST NetBufferList,
                                            NDIS_PORT_NUMBER PortNumber, ULONG SendFlags);
typedef VOID MINIPORT_RETURN_NET_BUFFER_LISTS(NDIS_HANDLE MiniportAdapterContext,
                                              PNET_BUFFER_LIST NetBufferLists,
                                              ULONG ReturnFlags);
typedef VOID MINIPORT_CANCEL_SEND(NDIS_HANDLE MiniportAdapterContext, PVOID CancelId);
typedef BOOLEAN MINIPORT_CHECK_FOR_HANG(NDIS_HANDLE MiniportAdapterContext);
typedef NDIS_STATUS MINIPORT_RESET(NDIS_HANDLE MiniportAdapterContext, PBOOLEAN AddressingReset);
typedef VOID MINIPORT_DEVICE_PNP_EVENT_NOTIFY(NDIS_HANDLE MiniportAdapterContext,
                                              PNET_DEVICE_PNP_EVENT NetDevicePnPEvent);
typedef VOID MINIPORT_SHUTDOWN(NDIS_HANDLE MiniportAdapterContext,
                               NDIS_SHUTDOWN_ACTION ShutdownAction);
typedef NDIS_STATUS SET_OPTIONS(NDIS_HANDLE NdisDriverHandle, NDIS_HANDLE DriverContext);

typedef struct _NDIS_MINIPORT_DRIVER_CHARACTERISTICS {
    NDIS_OBJECT_HEADER Header;
    UCHAR MajorNdisVersion;
    UCHAR MinorNdisVersion;
    UCHAR MajorDriverVersion;
    UCHAR MinorDriverVersion;
    ULONG Flags;
    SET_OPTIONS *SetOptionsHandler;
    MINIPORT_INITIALIZE *InitializeHandlerEx;
    MINIPORT_HALT *HaltHandlerEx;
    MINIPORT_UNLOAD *UnloadHandler;
    MINIPORT_PAUSE *PauseHandler;
    MINIPORT_RESTART *RestartHandler;
    MINIPORT_OID_REQUEST *OidRequestHandler;
    MINIPORT_SEND_NET_BUFFER_LISTS *SendNetBufferListsHandler;
    MINIPORT_RETURN_NET_BUFFER_LISTS *ReturnNetBufferListsHandler;
    MINIPORT_CANCEL_SEND *CancelSendHandler;
    MINIPORT_CHECK_FOR_HANG *CheckForHangHandlerEx;
    MINIPORT_RESET *ResetHandlerEx;
    MINIPORT_DEVICE_PNP_EVENT_NOTIFY *DevicePnPEventNotifyHandler;
    MINIPORT_SHUTDOWN *ShutdownHandlerEx;
    MINIPORT_CANCEL_OID_REQUEST *CancelOidRequestHandler;
    PVOID DirectOidRequestHandler;
    PVOID CancelDirectOidRequestHandler;
} NDIS_MINIPORT_DRIVER_CHARACTERISTICS, *PNDIS_MINIPORT_DRIVER_CHARACTERISTICS;
#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 1
#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 2
#define NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2                \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, CancelDirectOidRequestHandler)
#define NDIS_WDM_DRIVER 0x00000002

_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS NdisMRegisterMiniportDriver(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath,
                                        NDIS_HANDLE MiniportDriverContext,
                                        PNDIS_MINIPORT_DRIVER_CHARACTERISTICS MiniportDriverCharacteristics,
                                        PNDIS_HANDLE NdisMiniportDriverHandle);
_IRQL_requires_(PASSIVE_LEVEL)
VOID NdisMDeregisterMiniportDriver(NDIS_HANDLE NdisMiniportDriverHandle);

/* ---- adapter attributes ----------------------------------------------------------------------- */
#define NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE 0x00000001
#define NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM 0x00000002
#define NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK 0x00000004
#define NDIS_MINIPORT_ATTRIBUTES_NOT_CO_NDIS 0x00000008
#define NDIS_MINIPORT_ATTRIBUTES_NO_HALT_ON_SUSPEND 0x00000020

typedef struct _NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES {
    NDIS_OBJECT_HEADER Header;
    NDIS_HANDLE MiniportAdapterContext;
    ULONG AttributeFlags;
    UINT CheckForHangTimeInSeconds;
    NDIS_INTERFACE_TYPE InterfaceType;
} NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
#define NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1       \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, InterfaceType)

#define NDIS_MAX_PHYS_ADDRESS_LENGTH 32
typedef struct _NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES {
    NDIS_OBJECT_HEADER Header;
    ULONG Flags;
    NDIS_MEDIUM MediaType;
    NDIS_PHYSICAL_MEDIUM PhysicalMediumType;
    ULONG MtuSize;
    ULONG64 MaxXmitLinkSpeed;
    ULONG64 XmitLinkSpeed;
    ULONG64 MaxRcvLinkSpeed;
    ULONG64 RcvLinkSpeed;
    NDIS_MEDIA_CONNECT_STATE MediaConnectState;
    NDIS_MEDIA_DUPLEX_STATE MediaDuplexState;
    ULONG LookaheadSize;
    PVOID PowerManagementCapabilities; /* NDIS 6.0/6.1 only */
    ULONG MacOptions;
    ULONG SupportedPacketFilters;
    ULONG MaxMulticastListSize;
    USHORT MacAddressLength;
    UCHAR PermanentMacAddress[NDIS_MAX_PHYS_ADDRESS_LENGTH];
    UCHAR CurrentMacAddress[NDIS_MAX_PHYS_ADDRESS_LENGTH];
    PVOID RecvScaleCapabilities;
    NET_IF_ACCESS_TYPE AccessType;
    NET_IF_DIRECTION_TYPE DirectionType;
    NET_IF_CONNECTION_TYPE ConnectionType;
    NET_IFTYPE IfType;
    BOOLEAN IfConnectorPresent;
    ULONG SupportedStatistics;
    ULONG SupportedPauseFunctions;
    ULONG DataBackFillSize;
    ULONG ContextBackFillSize;
    PNDIS_OID SupportedOidList;
    ULONG SupportedOidListLength;
    ULONG AutoNegotiationFlags;
    PNDIS_PM_CAPABILITIES PowerManagementCapabilitiesEx; /* NDIS 6.20 */
} NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES;
#define NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1 1
#define NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2 2
#define NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2            \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES, PowerManagementCapabilitiesEx)

typedef union _NDIS_MINIPORT_ADAPTER_ATTRIBUTES {
    NDIS_OBJECT_HEADER Header;
    NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES RegistrationAttributes;
    NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES GeneralAttributes;
} NDIS_MINIPORT_ADAPTER_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_ATTRIBUTES;

_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS NdisMSetMiniportAttributes(NDIS_HANDLE NdisMiniportHandle,
                                       PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes);

/* ---- indications --------------------------------------------------------------------------- */
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisMIndicateReceiveNetBufferLists(NDIS_HANDLE MiniportAdapterHandle,
                                        PNET_BUFFER_LIST NetBufferList,
                                        NDIS_PORT_NUMBER PortNumber,
                                        ULONG NumberOfNetBufferLists, ULONG ReceiveFlags)
    TT_NOT_UNDER_SPIN_LOCK;
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisMSendNetBufferListsComplete(NDIS_HANDLE MiniportAdapterHandle,
                                     PNET_BUFFER_LIST NetBufferList, ULONG SendCompleteFlags)
    TT_NOT_UNDER_SPIN_LOCK;
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisMPauseComplete(NDIS_HANDLE MiniportAdapterHandle) TT_NOT_UNDER_SPIN_LOCK;
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisMIndicateStatusEx(NDIS_HANDLE MiniportAdapterHandle,
                           PNDIS_STATUS_INDICATION StatusIndication) TT_NOT_UNDER_SPIN_LOCK;

/* ---- control device ------------------------------------------------------------------------------ */
typedef struct _NDIS_DEVICE_OBJECT_ATTRIBUTES {
    NDIS_OBJECT_HEADER Header;
    PNDIS_STRING DeviceName;
    PNDIS_STRING SymbolicName;
    PDRIVER_DISPATCH *MajorFunctions;
    ULONG ExtensionSize;
    PCUNICODE_STRING DefaultSDDLString;
    LPCGUID DeviceClassGuid;
} NDIS_DEVICE_OBJECT_ATTRIBUTES, *PNDIS_DEVICE_OBJECT_ATTRIBUTES;
#define NDIS_DEVICE_OBJECT_ATTRIBUTES_REVISION_1 1
#define NDIS_SIZEOF_DEVICE_OBJECT_ATTRIBUTES_REVISION_1                       \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_DEVICE_OBJECT_ATTRIBUTES, DeviceClassGuid)

_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS NdisRegisterDeviceEx(NDIS_HANDLE NdisHandle,
                                 PNDIS_DEVICE_OBJECT_ATTRIBUTES DeviceObjectAttributes,
                                 PDEVICE_OBJECT *pDeviceObject, PNDIS_HANDLE NdisDeviceHandle);
_IRQL_requires_(PASSIVE_LEVEL)
VOID NdisDeregisterDeviceEx(NDIS_HANDLE NdisDeviceHandle);
_IRQL_requires_max_(DISPATCH_LEVEL)
PVOID NdisGetDeviceReservedExtension(PDEVICE_OBJECT DeviceObject);

/* ---- configuration ------------------------------------------------------------------------------ */
typedef struct _NDIS_CONFIGURATION_OBJECT {
    NDIS_OBJECT_HEADER Header;
    NDIS_HANDLE NdisHandle;
    ULONG Flags;
} NDIS_CONFIGURATION_OBJECT, *PNDIS_CONFIGURATION_OBJECT;
#define NDIS_CONFIGURATION_OBJECT_REVISION_1 1
#define NDIS_SIZEOF_CONFIGURATION_OBJECT_REVISION_1                           \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_CONFIGURATION_OBJECT, Flags)

typedef struct _BINARY_DATA {
    USHORT Length;
    PVOID Buffer;
} BINARY_DATA;
typedef struct _NDIS_CONFIGURATION_PARAMETER {
    NDIS_PARAMETER_TYPE ParameterType;
    union {
        ULONG IntegerData;
        NDIS_STRING StringData;
        BINARY_DATA BinaryData;
    } ParameterData;
} NDIS_CONFIGURATION_PARAMETER, *PNDIS_CONFIGURATION_PARAMETER;

_IRQL_requires_(PASSIVE_LEVEL)
NDIS_STATUS NdisOpenConfigurationEx(PNDIS_CONFIGURATION_OBJECT ConfigObject,
                                    PNDIS_HANDLE ConfigurationHandle);
_IRQL_requires_(PASSIVE_LEVEL)
VOID NdisReadConfiguration(PNDIS_STATUS Status, PNDIS_CONFIGURATION_PARAMETER *ParameterValue,
                           NDIS_HANDLE ConfigurationHandle, PNDIS_STRING Keyword,
                           NDIS_PARAMETER_TYPE ParameterType);
_IRQL_requires_(PASSIVE_LEVEL)
VOID NdisReadNetworkAddress(PNDIS_STATUS Status, PVOID *NetworkAddress,
                            PUINT NetworkAddressLength, NDIS_HANDLE ConfigurationHandle);
_IRQL_requires_(PASSIVE_LEVEL)
VOID NdisCloseConfiguration(NDIS_HANDLE ConfigurationHandle);

#endif /* TT_WDK_NDIS_H */
