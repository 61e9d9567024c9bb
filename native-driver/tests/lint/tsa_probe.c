// SPDX-License-Identifier: Apache-2.0
/*
 * tsa_probe.c - deliberate lock and IRQL mistakes that the annotations in
 * sim/wdk/ndis.h must make clang's -Wthread-safety report. typecheck.sh
 * tsa-selftest compiles it and expects one diagnostic per function marked
 * EXPECT below (and none elsewhere), so the annotations cannot silently
 * stop working.
 */
#include <ndis.h>

#include <ntstrsafe.h>

typedef struct _PROBE {
    NDIS_SPIN_LOCK Lock;
    KSPIN_LOCK Other;
    UNICODE_STRING Name;
    PIRP Irp;
} PROBE;

void probe_passive_under_lock(PROBE *p);
void probe_complete_under_lock(PROBE *p);
void probe_lock_leaked(PROBE *p, int early);
void probe_release_unheld(PROBE *p);
void probe_indicate_under_lock(PROBE *p, NDIS_HANDLE h, PNET_BUFFER_LIST nbl);
void probe_correct(PROBE *p);

/* EXPECT: cannot call a PASSIVE_LEVEL routine holding a spin lock */
void probe_passive_under_lock(PROBE *p)
{
    NdisAcquireSpinLock(&p->Lock);
    (void)RtlUnicodeStringPrintf(&p->Name, L"%ws", L"x");
    NdisReleaseSpinLock(&p->Lock);
}

/* EXPECT: IRP completion under a driver spin lock */
void probe_complete_under_lock(PROBE *p)
{
    KIRQL irql;
    KeAcquireSpinLock(&p->Other, &irql);
    IoCompleteRequest(p->Irp, IO_NO_INCREMENT);
    KeReleaseSpinLock(&p->Other, irql);
}

/* EXPECT: a return path that keeps the lock */
void probe_lock_leaked(PROBE *p, int early)
{
    NdisAcquireSpinLock(&p->Lock);
    if (early) {
        return;
    }
    NdisReleaseSpinLock(&p->Lock);
}

/* EXPECT: releasing a lock that is not held */
void probe_release_unheld(PROBE *p)
{
    NdisReleaseSpinLock(&p->Lock);
}

/* EXPECT: an NDIS indication under a driver spin lock */
void probe_indicate_under_lock(PROBE *p, NDIS_HANDLE h, PNET_BUFFER_LIST nbl)
{
    NdisAcquireSpinLock(&p->Lock);
    NdisMIndicateReceiveNetBufferLists(h, nbl, 0, 1, NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL);
    NdisReleaseSpinLock(&p->Lock);
}

/* No diagnostic: the same work done right. */
void probe_correct(PROBE *p)
{
    NdisAcquireSpinLock(&p->Lock);
    NdisReleaseSpinLock(&p->Lock);
    (void)RtlUnicodeStringPrintf(&p->Name, L"%ws", L"x");
    IoCompleteRequest(p->Irp, IO_NO_INCREMENT);
}
