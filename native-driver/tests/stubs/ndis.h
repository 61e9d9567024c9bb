/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ndis.h (test stub) - the project's own minimal stand-in for the WDK's
 * <ndis.h>/<wdm.h>, just large enough for the portable glue files
 * (glue/tt_adapter_state.c, glue/tt_oid.c, glue/tt_read_queue.c) to compile
 * and be tested on Linux. It is found first because the test build passes
 * -isystem tests/stubs. It is NOT a WDK replacement and never builds a
 * driver: structure layouts are simplified (IRP, IO_CSQ, MDL) and only the
 * member paths the glue uses exist. Constants are in wdk_constants.h and are
 * compared with mingw-w64's Windows headers by `make check`.
 *
 * The functions declared at the end are implemented by wdk_fake.c with the
 * documented WDK semantics plus bookkeeping the tests inspect.
 */
#ifndef TT_STUB_NDIS_H
#define TT_STUB_NDIS_H

#include <stddef.h>
#include <stdint.h>

#include "wdk_constants.h"

/* --- basic types (LLP64 widths, as on Windows) ---------------------------- */
typedef void VOID, *PVOID;
typedef unsigned char UCHAR, *PUCHAR, BOOLEAN, *PBOOLEAN;
typedef char CCHAR;
typedef unsigned short USHORT, WCHAR;
typedef uint32_t ULONG, *PULONG, UINT;
typedef int32_t LONG, NTSTATUS;
typedef uint64_t ULONG64, ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef ULONG NDIS_OID, *PNDIS_OID;
typedef int32_t NDIS_STATUS;
typedef PVOID NDIS_HANDLE;
typedef UCHAR KIRQL, *PKIRQL;
typedef ULONG_PTR KSPIN_LOCK, *PKSPIN_LOCK;

#define TRUE 1
#define FALSE 0
#define ANYSIZE_ARRAY 1
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define CONTAINING_RECORD(address, type, field)                               \
    ((type *)((char *)(address) - offsetof(type, field)))
#define NT_SUCCESS(status) (((NTSTATUS)(status)) >= 0)
#define UNREFERENCED_PARAMETER(p) ((void)(p))
/* wdm.h's NT_ASSERT; here a failed one is counted (fake_assert_failures). */
VOID FakeNtAssertFailed(const char *Expression);
#define NT_ASSERT(e) ((e) ? (void)0 : FakeNtAssertFailed(#e))
#define _Use_decl_annotations_
#define _IRQL_requires_max_(irql)
#define _IRQL_requires_(irql)
#define _Requires_lock_held_(lock)
#define NDIS_MINIPORT_MAJOR_VERSION 6
#define NDIS_MINIPORT_MINOR_VERSION 20
#define RTL_SIZEOF_THROUGH_FIELD(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* NDIS_STATUS values are used symbolically by the glue; only SUCCESS and
 * PENDING are pinned (they equal the NTSTATUS codes in every NDIS). */
#define NDIS_STATUS_SUCCESS         ((NDIS_STATUS)STATUS_SUCCESS)
#define NDIS_STATUS_PENDING         ((NDIS_STATUS)STATUS_PENDING)
#define NDIS_STATUS_FAILURE         ((NDIS_STATUS)STATUS_UNSUCCESSFUL)
#define NDIS_STATUS_RESOURCES       ((NDIS_STATUS)STATUS_INSUFFICIENT_RESOURCES)
#define NDIS_STATUS_NOT_SUPPORTED   ((NDIS_STATUS)STATUS_NOT_SUPPORTED)
#define NDIS_STATUS_PAUSED          ((NDIS_STATUS)STATUS_NDIS_PAUSED)
#define NDIS_STATUS_BUFFER_TOO_SHORT ((NDIS_STATUS)0xC0230016L)
#define NDIS_STATUS_INVALID_LENGTH  ((NDIS_STATUS)0xC0230014L)
#define NDIS_STATUS_INVALID_DATA    ((NDIS_STATUS)0xC0230015L)
#define NDIS_STATUS_MULTICAST_FULL  ((NDIS_STATUS)0xC0230009L)

/* --- NDIS data types the OID table uses ----------------------------------- */
typedef enum _NDIS_MEDIUM { NdisMedium802_3 = 0 } NDIS_MEDIUM;
typedef enum _NDIS_HARDWARE_STATUS { NdisHardwareStatusReady = 0 } NDIS_HARDWARE_STATUS;
typedef enum _NDIS_MEDIA_STATE {
    NdisMediaStateConnected = 0,
    NdisMediaStateDisconnected = 1
} NDIS_MEDIA_STATE;

#define NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA 0x00000001
#define NDIS_MAC_OPTION_TRANSFERS_NOT_PEND  0x00000004
#define NDIS_MAC_OPTION_NO_LOOPBACK         0x00000008

typedef struct _NDIS_OBJECT_HEADER {
    UCHAR Type;
    UCHAR Revision;
    USHORT Size;
} NDIS_OBJECT_HEADER;

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
    (offsetof(NDIS_STATISTICS_INFO, ifHCOutBroadcastOctets) + sizeof(ULONG64))

typedef enum _NDIS_INTERRUPT_MODERATION {
    NdisInterruptModerationUnknown,
    NdisInterruptModerationNotSupported,
    NdisInterruptModerationEnabled,
    NdisInterruptModerationDisabled
} NDIS_INTERRUPT_MODERATION;
typedef struct _NDIS_INTERRUPT_MODERATION_PARAMETERS {
    NDIS_OBJECT_HEADER Header;
    ULONG Flags;
    NDIS_INTERRUPT_MODERATION InterruptModeration;
} NDIS_INTERRUPT_MODERATION_PARAMETERS;
#define NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1                \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_INTERRUPT_MODERATION_PARAMETERS, InterruptModeration)
typedef struct _NDIS_LINK_PARAMETERS {
    NDIS_OBJECT_HEADER Header;
    int MediaDuplexState;
    ULONG64 XmitLinkSpeed;
    ULONG64 RcvLinkSpeed;
    int PauseFunctions;
    ULONG AutoNegotiationFlags;
} NDIS_LINK_PARAMETERS;
#define NDIS_SIZEOF_LINK_PARAMETERS_REVISION_1                                \
    RTL_SIZEOF_THROUGH_FIELD(NDIS_LINK_PARAMETERS, AutoNegotiationFlags)

/* --- lists ----------------------------------------------------------------- */
typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

static inline void InitializeListHead(PLIST_ENTRY head)
{
    head->Flink = head->Blink = head;
}
static inline BOOLEAN IsListEmpty(const LIST_ENTRY *head)
{
    return head->Flink == head;
}
static inline void InsertTailList(PLIST_ENTRY head, PLIST_ENTRY entry)
{
    entry->Flink = head;
    entry->Blink = head->Blink;
    head->Blink->Flink = entry;
    head->Blink = entry;
}
static inline BOOLEAN RemoveEntryList(PLIST_ENTRY entry)
{
    PLIST_ENTRY next = entry->Flink, prev = entry->Blink;
    prev->Flink = next;
    next->Blink = prev;
    return next == prev;
}

/* --- IRPs, MDLs, cancel-safe queues (simplified layouts) ------------------ */
typedef struct _MDL {
    PVOID MappedSystemVa; /* fake: the buffer the MDL describes */
    ULONG ByteCount;
} MDL, *PMDL;

typedef struct _IO_STATUS_BLOCK {
    NTSTATUS Status;
    ULONG_PTR Information;
} IO_STATUS_BLOCK;

typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction;
    union {
        struct { ULONG Length; } Read;
        struct { ULONG Length; } Write;
    } Parameters;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

typedef struct _IRP {
    PMDL MdlAddress;
    IO_STATUS_BLOCK IoStatus;
    BOOLEAN Cancel;
    union {
        struct {
            PVOID DriverContext[4];
            LIST_ENTRY ListEntry;
            PVOID CsqContext; /* the fake's "owned by a CSQ" marker */
        } Overlay;
    } Tail;
    IO_STACK_LOCATION Stack;     /* the fake's only stack location */
    BOOLEAN Pending;             /* set by IoMarkIrpPending            */
    BOOLEAN Completed;           /* set by IoCompleteRequest           */
} IRP, *PIRP;

#define IO_NETWORK_INCREMENT 2
#define NormalPagePriority   16
#define MdlMappingNoExecute  0x40000000

struct _IO_CSQ;
typedef struct _IO_CSQ *PIO_CSQ;
typedef struct _IO_CSQ_IRP_CONTEXT *PIO_CSQ_IRP_CONTEXT;
typedef VOID IO_CSQ_INSERT_IRP(PIO_CSQ Csq, PIRP Irp);
typedef VOID IO_CSQ_REMOVE_IRP(PIO_CSQ Csq, PIRP Irp);
typedef PIRP IO_CSQ_PEEK_NEXT_IRP(PIO_CSQ Csq, PIRP Irp, PVOID PeekContext);
typedef VOID IO_CSQ_ACQUIRE_LOCK(PIO_CSQ Csq, PKIRQL Irql);
typedef VOID IO_CSQ_RELEASE_LOCK(PIO_CSQ Csq, KIRQL Irql);
typedef VOID IO_CSQ_COMPLETE_CANCELED_IRP(PIO_CSQ Csq, PIRP Irp);

typedef struct _IO_CSQ {
    IO_CSQ_INSERT_IRP *CsqInsertIrp;
    IO_CSQ_REMOVE_IRP *CsqRemoveIrp;
    IO_CSQ_PEEK_NEXT_IRP *CsqPeekNextIrp;
    IO_CSQ_ACQUIRE_LOCK *CsqAcquireLock;
    IO_CSQ_RELEASE_LOCK *CsqReleaseLock;
    IO_CSQ_COMPLETE_CANCELED_IRP *CsqCompleteCanceledIrp;
} IO_CSQ;

/* --- functions (implemented by wdk_fake.c) -------------------------------- */
PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP Irp);
VOID IoMarkIrpPending(PIRP Irp);
VOID IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost);
PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority);

NTSTATUS IoCsqInitialize(PIO_CSQ Csq, IO_CSQ_INSERT_IRP *InsertIrp, IO_CSQ_REMOVE_IRP *RemoveIrp,
                         IO_CSQ_PEEK_NEXT_IRP *PeekNextIrp, IO_CSQ_ACQUIRE_LOCK *AcquireLock,
                         IO_CSQ_RELEASE_LOCK *ReleaseLock,
                         IO_CSQ_COMPLETE_CANCELED_IRP *CompleteCanceledIrp);
VOID IoCsqInsertIrp(PIO_CSQ Csq, PIRP Irp, PIO_CSQ_IRP_CONTEXT Context);
PIRP IoCsqRemoveNextIrp(PIO_CSQ Csq, PVOID PeekContext);

VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
VOID KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql);
VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);

/* Events and interlocked operations (single-threaded fakes). */
typedef struct _KEVENT {
    LONG Signaled;
} KEVENT, *PKEVENT;
typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
#define IO_NO_INCREMENT 0
#define Executive 0
#define KernelMode 0
VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
LONG KeSetEvent(PKEVENT Event, LONG Increment, BOOLEAN Wait);
NTSTATUS KeWaitForSingleObject(PVOID Object, int WaitReason, int WaitMode, BOOLEAN Alertable,
                               PVOID Timeout);
static inline LONG InterlockedIncrement(LONG volatile *p)
{
    return ++*p;
}
static inline LONG InterlockedDecrement(LONG volatile *p)
{
    return --*p;
}

typedef enum _EX_POOL_PRIORITY { NormalPoolPriority = 16 } EX_POOL_PRIORITY;
PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                        EX_POOL_PRIORITY Priority);
VOID NdisFreeMemoryWithTagPriority(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, ULONG Tag);
VOID NdisMoveMemory(PVOID Destination, const void *Source, ULONG Length);
VOID NdisZeroMemory(PVOID Destination, ULONG Length);

#endif /* TT_STUB_NDIS_H */
