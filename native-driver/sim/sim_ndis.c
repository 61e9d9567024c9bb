// SPDX-License-Identifier: Apache-2.0
/*
 * sim_ndis.c - the NDIS half of the simulation and the tuntapsim.h API:
 * miniport driver registration, the adapter's life (initialize, restart,
 * pause, halt, power), attributes, OID requests, NET_BUFFER_LIST pools,
 * send and receive with their ownership rules, status indications,
 * configuration, and the control device NdisRegisterDeviceEx creates.
 */
#define _GNU_SOURCE
#include "sim_kernel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

DRIVER_INITIALIZE DriverEntry;

#define DRIVER_MAGIC 0x52564452u  /* a miniport driver handle */
#define ADAPTER_MAGIC 0x54504441u /* a miniport adapter handle */
#define POOL_MAGIC_NBL 0x4C424E50u
#define NBL_MAGIC 0x4C424E53u
#define CONFIG_MAGIC 0x47464E43u

enum adapter_state { ST_HALTED, ST_INITIALIZING, ST_PAUSED, ST_RESTARTING, ST_RUNNING, ST_PAUSING };
static const char *const state_names[] = {"Halted", "Initializing", "Paused",
                                          "Restarting", "Running", "Pausing"};

struct sim_driver {
    uint32_t magic;
    int registered;
};

struct sim_adapter {
    uint32_t magic;
    tts_machine *machine;
    NDIS_HANDLE context;
    enum adapter_state state;
    int dead;
    int in_initialize;
    int registration_set;
    int general_set;
    int power_managed;
    int no_halt_on_suspend;
    long receives_outstanding; /* NBLs NDIS owns */
    int pause_pended;
    int pause_completes;
    ULONG packet_filter;
    int link; /* -1 unknown, 0 down, 1 up */
    int power_d3;
    struct sim_adapter *next_halted; /* kept for checks until the machine goes */
};

struct sim_nbl_pool {
    uint32_t magic;
    struct sim_adapter *adapter;
    long live;
    int freed;
    struct sim_nbl_pool *next_pool; /* every pool, freed with the machine */
};
static struct sim_nbl_pool *all_pools;
static pthread_mutex_t pools_mu = PTHREAD_MUTEX_INITIALIZER;

struct sim_nbl {
    NET_BUFFER_LIST nbl;
    NET_BUFFER nb;
    uint32_t magic;
    struct sim_nbl_pool *pool;
    int ndis_owns;
};

struct frame {
    struct frame *next;
    uint32_t len;
    uint8_t data[];
};

struct sim_config_handle {
    uint32_t magic;
    NDIS_CONFIGURATION_PARAMETER param;
    WCHAR text[64];
};

struct tts_machine {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    DRIVER_OBJECT driver_object;
    struct sim_driver driver;
    NDIS_MINIPORT_DRIVER_CHARACTERISTICS chars;
    struct sim_adapter *adapter;       /* current adapter instance */
    struct sim_adapter *halted; /* halted adapter instances */
    char guid[40];
    uint32_t mtu;
    uint32_t media_status;
    uint8_t mac[6];
    int has_mac;
    uint32_t flags;
    char path[96];
    struct frame *rx_head, *rx_tail; /* frames indicated to the host */
    struct sim_nbl *held[1024];      /* TTS_FLAG_HOLD_RECEIVES */
    int held_count;
    int sleeping_halted;
    struct sim_nbl_pool send_pool;   /* NDIS's own NBLs for sends */
    int send_completed;              /* set by NdisMSendNetBufferListsComplete */
};

static tts_machine *current;

/* ---- handles ---------------------------------------------------------------------- */
void sim_check_handle(NDIS_HANDLE handle, const char *routine)
{
    if (handle == NULL) {
        return;
    }
    uint32_t magic = *(const uint32_t *)handle;
    if (magic == ADAPTER_MAGIC) {
        if (((struct sim_adapter *)handle)->dead) {
            sim_violation("handle-after-halt", "%s with the handle of a halted adapter", routine);
        }
    } else if (magic != DRIVER_MAGIC) {
        sim_violation("handle", "%s with an invalid NDIS handle", routine);
    }
}

static struct sim_adapter *adapter_of(NDIS_HANDLE handle, const char *routine)
{
    struct sim_adapter *a = handle;
    if (a == NULL || a->magic != ADAPTER_MAGIC) {
        sim_violation("handle", "%s: not a miniport adapter handle", routine);
        abort();
    }
    if (a->dead) {
        sim_violation("handle-after-halt", "%s after MiniportHaltEx returned", routine);
    }
    return a;
}

/* ---- driver registration ----------------------------------------------------------------- */
NDIS_STATUS NdisMRegisterMiniportDriver(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath,
                                        NDIS_HANDLE MiniportDriverContext,
                                        PNDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars,
                                        PNDIS_HANDLE NdisMiniportDriverHandle)
{
    tts_machine *m = current;
    (void)RegistryPath;
    (void)MiniportDriverContext;
    sim_require_passive("NdisMRegisterMiniportDriver");
    if (DriverObject != &m->driver_object) {
        sim_violation("register", "NdisMRegisterMiniportDriver with a foreign DRIVER_OBJECT");
    }
    if (Chars->Header.Type != NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS ||
        Chars->Header.Revision != NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 ||
        Chars->Header.Size != NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2) {
        sim_violation("register", "characteristics header is not revision 2 (NDIS 6.20+)");
    }
    if (Chars->MajorNdisVersion != NDIS_MINIPORT_MAJOR_VERSION ||
        Chars->MinorNdisVersion != NDIS_MINIPORT_MINOR_VERSION) {
        sim_violation("register", "NDIS version %d.%d is not the one compiled for",
                      Chars->MajorNdisVersion, Chars->MinorNdisVersion);
    }
    if (Chars->InitializeHandlerEx == NULL || Chars->HaltHandlerEx == NULL ||
        Chars->UnloadHandler == NULL || Chars->PauseHandler == NULL ||
        Chars->RestartHandler == NULL || Chars->OidRequestHandler == NULL ||
        Chars->SendNetBufferListsHandler == NULL || Chars->ReturnNetBufferListsHandler == NULL ||
        Chars->CancelSendHandler == NULL || Chars->DevicePnPEventNotifyHandler == NULL ||
        Chars->ShutdownHandlerEx == NULL || Chars->CancelOidRequestHandler == NULL) {
        sim_violation("register", "a mandatory miniport handler is NULL");
        return NDIS_STATUS_FAILURE;
    }
    m->chars = *Chars;
    m->driver.registered = 1;
    *NdisMiniportDriverHandle = &m->driver;
    return NDIS_STATUS_SUCCESS;
}

VOID NdisMDeregisterMiniportDriver(NDIS_HANDLE NdisMiniportDriverHandle)
{
    sim_require_passive("NdisMDeregisterMiniportDriver");
    if (NdisMiniportDriverHandle != &current->driver || !current->driver.registered) {
        sim_violation("register", "NdisMDeregisterMiniportDriver with a wrong handle");
        return;
    }
    current->driver.registered = 0;
}

/* ---- attributes ------------------------------------------------------------------------------ */
NDIS_STATUS NdisMSetMiniportAttributes(NDIS_HANDLE NdisMiniportHandle,
                                       PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes)
{
    struct sim_adapter *a = adapter_of(NdisMiniportHandle, "NdisMSetMiniportAttributes");
    PNDIS_OBJECT_HEADER h = &MiniportAttributes->Header;
    sim_require_passive("NdisMSetMiniportAttributes");
    if (!a->in_initialize) {
        sim_violation("attributes", "NdisMSetMiniportAttributes outside MiniportInitializeEx");
    }
    if (h->Type == NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES) {
        const NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES *r =
            &MiniportAttributes->RegistrationAttributes;
        if (h->Revision != NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 ||
            h->Size != NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1) {
            sim_violation("attributes", "registration attributes header");
        }
        a->context = r->MiniportAdapterContext;
        a->no_halt_on_suspend = (r->AttributeFlags & NDIS_MINIPORT_ATTRIBUTES_NO_HALT_ON_SUSPEND) != 0;
        a->registration_set = 1;
        return NDIS_STATUS_SUCCESS;
    }
    if (h->Type == NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES) {
        const NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES *g = &MiniportAttributes->GeneralAttributes;
        if (!a->registration_set) {
            sim_violation("attributes", "general attributes before registration attributes");
        }
        if (h->Revision != NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2 ||
            h->Size != NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2) {
            sim_violation("attributes", "general attributes are not revision 2 (NDIS 6.20)");
        }
        if (g->PowerManagementCapabilitiesEx == NULL) {
            sim_violation("pm-capabilities",
                          "PowerManagementCapabilitiesEx is NULL; it is mandatory for NDIS 6.20 "
                          "and later drivers");
        } else {
            const NDIS_PM_CAPABILITIES *pm = g->PowerManagementCapabilitiesEx;
            int rev2 = NDIS_MINIPORT_MINOR_VERSION >= 30;
            if (pm->Header.Type != NDIS_OBJECT_TYPE_DEFAULT ||
                pm->Header.Revision != (rev2 ? 2 : NDIS_PM_CAPABILITIES_REVISION_1) ||
                pm->Header.Size < NDIS_SIZEOF_NDIS_PM_CAPABILITIES_REVISION_1) {
                sim_violation("pm-capabilities", "NDIS_PM_CAPABILITIES header");
            }
            a->power_managed = 1;
        }
        if (g->SupportedOidList == NULL ||
            g->SupportedOidListLength % sizeof(NDIS_OID) != 0 || g->SupportedOidListLength == 0) {
            sim_violation("attributes", "SupportedOidList");
        }
        a->packet_filter = 0;
        a->link = g->MediaConnectState == MediaConnectStateConnected ? 1 : 0;
        a->general_set = 1;
        return NDIS_STATUS_SUCCESS;
    }
    sim_violation("attributes", "unknown attributes type %#x", h->Type);
    return NDIS_STATUS_NOT_SUPPORTED;
}

/* ---- configuration -------------------------------------------------------------------------- */
NDIS_STATUS NdisOpenConfigurationEx(PNDIS_CONFIGURATION_OBJECT ConfigObject,
                                    PNDIS_HANDLE ConfigurationHandle)
{
    sim_require_passive("NdisOpenConfigurationEx");
    adapter_of(ConfigObject->NdisHandle, "NdisOpenConfigurationEx");
    if (ConfigObject->Header.Type != NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT ||
        ConfigObject->Header.Revision != NDIS_CONFIGURATION_OBJECT_REVISION_1 ||
        ConfigObject->Header.Size != NDIS_SIZEOF_CONFIGURATION_OBJECT_REVISION_1) {
        sim_violation("config", "NDIS_CONFIGURATION_OBJECT header");
    }
    struct sim_config_handle *c = calloc(1, sizeof(*c));
    c->magic = CONFIG_MAGIC;
    *ConfigurationHandle = c;
    return NDIS_STATUS_SUCCESS;
}

static int keyword_is(PNDIS_STRING k, const char *name)
{
    size_t n = strlen(name);
    if (k->Length != n * sizeof(WCHAR)) return 0;
    for (size_t i = 0; i < n; i++) {
        WCHAR c = k->Buffer[i];
        if (c >= 'a' && c <= 'z') c = (WCHAR)(c - 32);
        char d = name[i];
        if (d >= 'a' && d <= 'z') d = (char)(d - 32);
        if (c != (WCHAR)d) return 0;
    }
    return 1;
}

VOID NdisReadConfiguration(PNDIS_STATUS Status, PNDIS_CONFIGURATION_PARAMETER *ParameterValue,
                           NDIS_HANDLE ConfigurationHandle, PNDIS_STRING Keyword,
                           NDIS_PARAMETER_TYPE ParameterType)
{
    struct sim_config_handle *c = ConfigurationHandle;
    tts_machine *m = current;
    sim_require_passive("NdisReadConfiguration");
    if (c == NULL || c->magic != CONFIG_MAGIC) {
        sim_violation("config", "NdisReadConfiguration with a closed or invalid handle");
        *Status = NDIS_STATUS_FAILURE;
        return;
    }
    *Status = NDIS_STATUS_FAILURE;
    *ParameterValue = NULL;
    if (keyword_is(Keyword, "NetCfgInstanceId")) {
        size_t n = strlen(m->guid);
        for (size_t i = 0; i < n; i++) c->text[i] = (WCHAR)m->guid[i];
        c->param.ParameterType = NdisParameterString;
        c->param.ParameterData.StringData.Buffer = c->text;
        c->param.ParameterData.StringData.Length = (USHORT)(n * sizeof(WCHAR));
        c->param.ParameterData.StringData.MaximumLength = (USHORT)(n * sizeof(WCHAR));
    } else if (keyword_is(Keyword, "MTU") && m->mtu != 0) {
        c->param.ParameterType = NdisParameterInteger;
        c->param.ParameterData.IntegerData = m->mtu;
    } else if (keyword_is(Keyword, "MediaStatus")) {
        c->param.ParameterType = NdisParameterInteger;
        c->param.ParameterData.IntegerData = m->media_status;
    } else {
        return;
    }
    (void)ParameterType;
    *ParameterValue = &c->param;
    *Status = NDIS_STATUS_SUCCESS;
}

VOID NdisReadNetworkAddress(PNDIS_STATUS Status, PVOID *NetworkAddress,
                            PUINT NetworkAddressLength, NDIS_HANDLE ConfigurationHandle)
{
    (void)ConfigurationHandle;
    sim_require_passive("NdisReadNetworkAddress");
    if (!current->has_mac) {
        *Status = NDIS_STATUS_FAILURE;
        return;
    }
    *NetworkAddress = current->mac;
    *NetworkAddressLength = 6;
    *Status = NDIS_STATUS_SUCCESS;
}

VOID NdisCloseConfiguration(NDIS_HANDLE ConfigurationHandle)
{
    struct sim_config_handle *c = ConfigurationHandle;
    sim_require_passive("NdisCloseConfiguration");
    if (c == NULL || c->magic != CONFIG_MAGIC) {
        sim_violation("config", "NdisCloseConfiguration with an invalid handle");
        return;
    }
    c->magic = 0;
    memset(c, 0xDD, sizeof(*c));
    free(c);
}

/* ---- NET_BUFFER_LIST pools ---------------------------------------------------------------------- */
NDIS_HANDLE NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle,
                                          PNET_BUFFER_LIST_POOL_PARAMETERS Parameters)
{
    struct sim_adapter *a = adapter_of(NdisHandle, "NdisAllocateNetBufferListPool");
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisAllocateNetBufferListPool");
    if (Parameters->Header.Type != NDIS_OBJECT_TYPE_DEFAULT ||
        Parameters->Header.Revision != NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 ||
        Parameters->Header.Size != NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1) {
        sim_violation("nbl-pool", "NET_BUFFER_LIST_POOL_PARAMETERS header");
    }
    if (!Parameters->fAllocateNetBuffer || Parameters->DataSize != 0) {
        sim_violation("nbl-pool", "NdisAllocateNetBufferAndNetBufferList needs "
                                  "fAllocateNetBuffer and DataSize 0");
    }
    struct sim_nbl_pool *p = calloc(1, sizeof(*p));
    p->magic = POOL_MAGIC_NBL;
    p->adapter = a;
    pthread_mutex_lock(&pools_mu);
    p->next_pool = all_pools;
    all_pools = p;
    pthread_mutex_unlock(&pools_mu);
    return p;
}

VOID NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle)
{
    struct sim_nbl_pool *p = PoolHandle;
    if (p == NULL || p->magic != POOL_MAGIC_NBL || p->freed) {
        sim_violation("nbl-pool", "NdisFreeNetBufferListPool of an invalid or freed pool");
        return;
    }
    if (p->live != 0) {
        sim_violation("nbl-pool", "NdisFreeNetBufferListPool with %ld NBLs not freed", p->live);
    }
    p->freed = 1; /* kept for checks; released with the machine */
}

PNET_BUFFER_LIST NdisAllocateNetBufferAndNetBufferList(NDIS_HANDLE PoolHandle, USHORT ContextSize,
                                                       USHORT ContextBackFill, PMDL MdlChain,
                                                       ULONG DataOffset, SIZE_T DataLength)
{
    struct sim_nbl_pool *p = PoolHandle;
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisAllocateNetBufferAndNetBufferList");
    if (p == NULL || p->magic != POOL_MAGIC_NBL || p->freed) {
        sim_violation("nbl-pool", "allocation from an invalid or freed pool");
        return NULL;
    }
    if (ContextSize != 0 || ContextBackFill != 0) {
        sim_violation("nbl-pool", "context sizes must be 0 here");
    }
    if (__atomic_load_n(&sim_fail_allocations, __ATOMIC_SEQ_CST) > 0 &&
        __atomic_sub_fetch(&sim_fail_allocations, 1, __ATOMIC_SEQ_CST) >= 0) {
        return NULL;
    }
    struct sim_nbl *n = calloc(1, sizeof(*n));
    n->magic = NBL_MAGIC;
    n->pool = p;
    n->nbl.FirstNetBuffer = &n->nb;
    n->nbl.NdisPoolHandle = p;
    n->nb.MdlChain = MdlChain;
    n->nb.CurrentMdl = MdlChain;
    n->nb.DataOffset = DataOffset;
    n->nb.CurrentMdlOffset = DataOffset;
    n->nb.DataLength = (ULONG)DataLength;
    __atomic_add_fetch(&p->live, 1, __ATOMIC_SEQ_CST);
    return &n->nbl;
}

static struct sim_nbl *nbl_of(PNET_BUFFER_LIST nbl, const char *routine)
{
    struct sim_nbl *n = CONTAINING_RECORD(nbl, struct sim_nbl, nbl);
    if (nbl == NULL || n->magic != NBL_MAGIC) {
        sim_violation("nbl", "%s: not a live NET_BUFFER_LIST", routine);
        abort();
    }
    return n;
}

VOID NdisFreeNetBufferList(PNET_BUFFER_LIST NetBufferList)
{
    struct sim_nbl *n = nbl_of(NetBufferList, "NdisFreeNetBufferList");
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisFreeNetBufferList");
    if (n->ndis_owns) {
        sim_violation("nbl-ownership", "NdisFreeNetBufferList of an NBL NDIS still owns");
    }
    __atomic_sub_fetch(&n->pool->live, 1, __ATOMIC_SEQ_CST);
    n->magic = 0;
    memset(n, 0xDD, sizeof(*n));
    free(n);
}

/* Copies the data an NB describes (walking its MDL chain). */
static int nb_copy(PNET_BUFFER nb, uint8_t *out, uint32_t cap)
{
    ULONG left = nb->DataLength;
    ULONG offset = nb->DataOffset;
    uint32_t done = 0;
    for (PMDL mdl = nb->MdlChain; mdl != NULL && left > 0; mdl = mdl->Next) {
        if (offset >= mdl->ByteCount) {
            offset -= mdl->ByteCount;
            continue;
        }
        ULONG take = mdl->ByteCount - offset;
        if (take > left) take = left;
        if (done + take > cap) return -1;
        memcpy(out + done, (const uint8_t *)mdl->MappedSystemVa + offset, take);
        done += take;
        left -= take;
        offset = 0;
    }
    return left == 0 ? (int)done : -1;
}

PVOID NdisGetDataBuffer(PNET_BUFFER NetBuffer, ULONG BytesNeeded, PVOID Storage,
                        UINT AlignMultiple, UINT AlignOffset)
{
    (void)AlignMultiple;
    (void)AlignOffset;
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisGetDataBuffer");
    if (BytesNeeded == 0 || BytesNeeded > NetBuffer->DataLength) {
        return NULL;
    }
    PMDL mdl = NetBuffer->CurrentMdl;
    ULONG off = NetBuffer->CurrentMdlOffset;
    if (mdl != NULL && off + BytesNeeded <= mdl->ByteCount) {
        return (uint8_t *)mdl->MappedSystemVa + off; /* contiguous */
    }
    if (Storage == NULL) {
        return NULL;
    }
    uint8_t tmp[65536];
    if (nb_copy(NetBuffer, tmp, sizeof(tmp)) < (int)BytesNeeded) {
        return NULL;
    }
    memcpy(Storage, tmp, BytesNeeded);
    return Storage;
}

/* ---- receive indications ------------------------------------------------------------------------- */
static void push_frame(tts_machine *m, const uint8_t *data, uint32_t len)
{
    struct frame *f = malloc(sizeof(*f) + len);
    f->next = NULL;
    f->len = len;
    memcpy(f->data, data, len);
    pthread_mutex_lock(&m->mu);
    if (m->rx_tail != NULL) m->rx_tail->next = f;
    else m->rx_head = f;
    m->rx_tail = f;
    pthread_mutex_unlock(&m->mu);
}

VOID NdisMIndicateReceiveNetBufferLists(NDIS_HANDLE MiniportAdapterHandle,
                                        PNET_BUFFER_LIST NetBufferList,
                                        NDIS_PORT_NUMBER PortNumber,
                                        ULONG NumberOfNetBufferLists, ULONG ReceiveFlags)
{
    struct sim_adapter *a = adapter_of(MiniportAdapterHandle, "NdisMIndicateReceiveNetBufferLists");
    tts_machine *m = a->machine;
    KIRQL irql = KeGetCurrentIrql();
    ULONG count = 0;
    (void)PortNumber;
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisMIndicateReceiveNetBufferLists");
    sim_require_no_spin_lock("NdisMIndicateReceiveNetBufferLists");
    if (((ReceiveFlags & NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL) != 0) != (irql == DISPATCH_LEVEL)) {
        sim_violation("receive-flags", "NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL %s at IRQL %d",
                      (ReceiveFlags & NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL) ? "set" : "clear", irql);
    }
    pthread_mutex_lock(&m->mu);
    enum adapter_state st = a->state;
    ULONG filter = a->packet_filter;
    pthread_mutex_unlock(&m->mu);
    if (st != ST_RUNNING) {
        sim_violation("receive-state", "receive indicated in state %s (only Running may indicate)",
                      state_names[st]);
    }
    if (filter == 0) {
        sim_violation("packet-filter-zero",
                      "receive indicated while the packet filter is 0 (receives are disabled)");
    }
    for (PNET_BUFFER_LIST nbl = NetBufferList; nbl != NULL; nbl = nbl->Next) {
        struct sim_nbl *n = nbl_of(nbl, "NdisMIndicateReceiveNetBufferLists");
        uint8_t data[65536];
        count++;
        if (n->pool->adapter != a || n->pool->freed) {
            sim_violation("nbl-ownership", "indicated NBL is not from this adapter's live pool");
        }
        if (n->ndis_owns) {
            sim_violation("nbl-ownership", "indicated an NBL NDIS already owns");
        }
        if (nbl->SourceHandle != MiniportAdapterHandle) {
            sim_violation("nbl-source", "NBL SourceHandle is not the miniport adapter handle");
        }
        for (PNET_BUFFER nb = nbl->FirstNetBuffer; nb != NULL; nb = nb->Next) {
            int len = nb_copy(nb, data, sizeof(data));
            if (len < 0) {
                sim_violation("nbl", "NET_BUFFER data outside its MDL chain");
            } else {
                push_frame(m, data, (uint32_t)len);
            }
        }
        n->ndis_owns = 1;
        __atomic_add_fetch(&a->receives_outstanding, 1, __ATOMIC_SEQ_CST);
    }
    if (count != NumberOfNetBufferLists) {
        sim_violation("receive", "NumberOfNetBufferLists %u, chain has %u",
                      (unsigned)NumberOfNetBufferLists, (unsigned)count);
    }
    if (m->flags & TTS_FLAG_HOLD_RECEIVES) {
        pthread_mutex_lock(&m->mu);
        for (PNET_BUFFER_LIST nbl = NetBufferList; nbl != NULL; nbl = nbl->Next) {
            if (m->held_count < (int)(sizeof(m->held) / sizeof(m->held[0]))) {
                m->held[m->held_count++] = CONTAINING_RECORD(nbl, struct sim_nbl, nbl);
            }
        }
        pthread_mutex_unlock(&m->mu);
        return;
    }
    /* A protocol that copies at once returns the NBLs from its receive
     * handler, at the same IRQL. */
    for (PNET_BUFFER_LIST nbl = NetBufferList; nbl != NULL; nbl = nbl->Next) {
        CONTAINING_RECORD(nbl, struct sim_nbl, nbl)->ndis_owns = 0;
    }
    __atomic_sub_fetch(&a->receives_outstanding, (long)count, __ATOMIC_SEQ_CST);
    m->chars.ReturnNetBufferListsHandler(a->context, NetBufferList,
                                         irql == DISPATCH_LEVEL ? NDIS_RETURN_FLAGS_DISPATCH_LEVEL
                                                                : 0);
}

uint32_t tts_host_return_all(tts_machine *m)
{
    uint32_t n = 0;
    for (;;) {
        pthread_mutex_lock(&m->mu);
        if (m->held_count == 0) {
            pthread_mutex_unlock(&m->mu);
            return n;
        }
        struct sim_nbl *s = m->held[--m->held_count];
        pthread_mutex_unlock(&m->mu);
        struct sim_adapter *a = s->pool->adapter;
        s->ndis_owns = 0;
        s->nbl.Next = NULL;
        __atomic_sub_fetch(&a->receives_outstanding, 1, __ATOMIC_SEQ_CST);
        m->chars.ReturnNetBufferListsHandler(a->context, &s->nbl, 0);
        n++;
    }
}

VOID NdisMPauseComplete(NDIS_HANDLE MiniportAdapterHandle)
{
    struct sim_adapter *a = adapter_of(MiniportAdapterHandle, "NdisMPauseComplete");
    sim_require_no_spin_lock("NdisMPauseComplete");
    pthread_mutex_lock(&a->machine->mu);
    if (a->state != ST_PAUSING || !a->pause_pended) {
        sim_violation("pause", "NdisMPauseComplete without a pending pause (state %s)",
                      state_names[a->state]);
    }
    if (__atomic_load_n(&a->receives_outstanding, __ATOMIC_SEQ_CST) != 0) {
        sim_violation("pause", "NdisMPauseComplete with %ld receive NBLs still owned by NDIS",
                      a->receives_outstanding);
    }
    a->pause_completes++;
    a->state = ST_PAUSED;
    pthread_cond_broadcast(&a->machine->cv);
    pthread_mutex_unlock(&a->machine->mu);
}

VOID NdisMIndicateStatusEx(NDIS_HANDLE MiniportAdapterHandle,
                           PNDIS_STATUS_INDICATION StatusIndication)
{
    struct sim_adapter *a = adapter_of(MiniportAdapterHandle, "NdisMIndicateStatusEx");
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisMIndicateStatusEx");
    sim_require_no_spin_lock("NdisMIndicateStatusEx");
    if (StatusIndication->Header.Type != NDIS_OBJECT_TYPE_STATUS_INDICATION ||
        StatusIndication->Header.Revision != NDIS_STATUS_INDICATION_REVISION_1 ||
        StatusIndication->Header.Size != NDIS_SIZEOF_STATUS_INDICATION_REVISION_1) {
        sim_violation("status", "NDIS_STATUS_INDICATION header");
    }
    if (StatusIndication->SourceHandle != MiniportAdapterHandle) {
        sim_violation("status", "SourceHandle is not the miniport adapter handle");
    }
    if (a->in_initialize && !a->registration_set) {
        sim_violation("status", "status indicated before the registration attributes");
    }
    if (StatusIndication->StatusCode == NDIS_STATUS_LINK_STATE) {
        const NDIS_LINK_STATE *l = StatusIndication->StatusBuffer;
        if (StatusIndication->StatusBufferSize != sizeof(NDIS_LINK_STATE) ||
            l->Header.Revision != NDIS_LINK_STATE_REVISION_1 ||
            l->Header.Size != NDIS_SIZEOF_LINK_STATE_REVISION_1) {
            sim_violation("status", "NDIS_LINK_STATE buffer");
        }
        pthread_mutex_lock(&a->machine->mu);
        a->link = l->MediaConnectState == MediaConnectStateConnected ? 1 : 0;
        pthread_mutex_unlock(&a->machine->mu);
    }
}

/* ---- send -------------------------------------------------------------------------------------- */
VOID NdisMSendNetBufferListsComplete(NDIS_HANDLE MiniportAdapterHandle,
                                     PNET_BUFFER_LIST NetBufferList, ULONG SendCompleteFlags)
{
    struct sim_adapter *a = adapter_of(MiniportAdapterHandle, "NdisMSendNetBufferListsComplete");
    KIRQL irql = KeGetCurrentIrql();
    sim_require_irql_at_most(DISPATCH_LEVEL, "NdisMSendNetBufferListsComplete");
    sim_require_no_spin_lock("NdisMSendNetBufferListsComplete");
    if (((SendCompleteFlags & NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL) != 0) !=
        (irql == DISPATCH_LEVEL)) {
        sim_violation("send-flags", "NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL wrong at IRQL %d",
                      irql);
    }
    for (PNET_BUFFER_LIST nbl = NetBufferList; nbl != NULL; nbl = nbl->Next) {
        struct sim_nbl *n = nbl_of(nbl, "NdisMSendNetBufferListsComplete");
        NDIS_STATUS s = nbl->Status;
        if (n->pool != &a->machine->send_pool) {
            sim_violation("send-completion", "completed an NBL that NDIS did not send");
        }
        if (n->ndis_owns) {
            sim_violation("send-completion", "send NBL completed twice");
        }
        if (s != NDIS_STATUS_SUCCESS && s != NDIS_STATUS_PAUSED && s != NDIS_STATUS_RESOURCES &&
            s != NDIS_STATUS_FAILURE && s != NDIS_STATUS_INVALID_LENGTH &&
            s != NDIS_STATUS_REQUEST_ABORTED) {
            sim_violation("send-completion", "undocumented send completion status %08x",
                          (unsigned)s);
        }
        n->ndis_owns = 1;
    }
    pthread_mutex_lock(&a->machine->mu);
    a->machine->send_completed = 1;
    pthread_cond_broadcast(&a->machine->cv);
    pthread_mutex_unlock(&a->machine->mu);
}

uint32_t tts_host_send(tts_machine *m, const void *frame, uint32_t len)
{
    struct sim_adapter *a = m->adapter;
    pthread_mutex_lock(&m->mu);
    int running = a != NULL && a->state == ST_RUNNING && !a->power_d3;
    m->send_completed = 0;
    pthread_mutex_unlock(&m->mu);
    if (!running) {
        return (uint32_t)NDIS_STATUS_PAUSED;
    }
    /* The stack's buffer: split in two MDLs for frames above 64 bytes so
     * that the miniport sees chained MDLs as well as flat ones. */
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, frame, len);
    MDL mdl1, mdl2;
    memset(&mdl1, 0, sizeof(mdl1));
    memset(&mdl2, 0, sizeof(mdl2));
    uint32_t first = len > 64 && (len & 1) ? 40 : len;
    mdl1.MappedSystemVa = copy;
    mdl1.ByteCount = first;
    if (first < len) {
        mdl1.Next = &mdl2;
        mdl2.MappedSystemVa = copy + first;
        mdl2.ByteCount = len - first;
    }
    struct sim_nbl *n = calloc(1, sizeof(*n));
    n->magic = NBL_MAGIC;
    n->pool = &m->send_pool;
    n->nbl.FirstNetBuffer = &n->nb;
    n->nb.MdlChain = n->nb.CurrentMdl = &mdl1;
    n->nb.DataLength = len;
    n->nbl.Status = (NDIS_STATUS)0xDEADBEEF;
    n->ndis_owns = 0; /* the miniport owns it until it completes it */
    /* NDIS calls MiniportSendNetBufferLists at IRQL <= DISPATCH_LEVEL; the
     * stack's sends mostly arrive at DISPATCH_LEVEL. Alternate. */
    static long sends;
    int at_dispatch = (__atomic_add_fetch(&sends, 1, __ATOMIC_SEQ_CST) & 1) != 0;
    sim_set_irql(at_dispatch ? DISPATCH_LEVEL : PASSIVE_LEVEL);
    m->chars.SendNetBufferListsHandler(a->context, &n->nbl, NDIS_DEFAULT_PORT_NUMBER,
                                       at_dispatch ? NDIS_SEND_FLAGS_DISPATCH_LEVEL : 0);
    if (KeGetCurrentIrql() != (at_dispatch ? DISPATCH_LEVEL : PASSIVE_LEVEL) ||
        sim_spin_locks_held() != 0) {
        sim_violation("irql", "MiniportSendNetBufferLists returned at another IRQL or holding a lock");
    }
    sim_set_irql(PASSIVE_LEVEL);
    pthread_mutex_lock(&m->mu);
    while (!n->ndis_owns) {
        pthread_cond_wait(&m->cv, &m->mu); /* completed asynchronously */
    }
    pthread_mutex_unlock(&m->mu);
    uint32_t status = (uint32_t)n->nbl.Status;
    memset(copy, 0xDD, len);
    free(copy);
    free(n);
    return status;
}

int32_t tts_host_receive(tts_machine *m, void *buf, uint32_t cap)
{
    pthread_mutex_lock(&m->mu);
    struct frame *f = m->rx_head;
    if (f != NULL) {
        m->rx_head = f->next;
        if (m->rx_head == NULL) m->rx_tail = NULL;
    }
    pthread_mutex_unlock(&m->mu);
    if (f == NULL) {
        return -1;
    }
    int32_t len = (int32_t)f->len;
    memcpy(buf, f->data, f->len < cap ? f->len : cap);
    free(f);
    return len;
}

/* ---- OID requests ---------------------------------------------------------------------------- */
static uint32_t oid_request(tts_machine *m, NDIS_REQUEST_TYPE type, uint32_t oid, void *buf,
                            uint32_t len, uint32_t *bytes, uint32_t *needed)
{
    struct sim_adapter *a = m->adapter;
    NDIS_OID_REQUEST r;
    memset(&r, 0, sizeof(r));
    r.Header.Type = NDIS_OBJECT_TYPE_OID_REQUEST;
    r.Header.Revision = NDIS_OID_REQUEST_REVISION_1;
    r.Header.Size = sizeof(r);
    r.RequestType = type;
    r.RequestId = &r;
    if (type == NdisRequestSetInformation) {
        r.DATA.SET_INFORMATION.Oid = oid;
        r.DATA.SET_INFORMATION.InformationBuffer = buf;
        r.DATA.SET_INFORMATION.InformationBufferLength = len;
    } else {
        r.DATA.QUERY_INFORMATION.Oid = oid;
        r.DATA.QUERY_INFORMATION.InformationBuffer = buf;
        r.DATA.QUERY_INFORMATION.InformationBufferLength = len;
    }
    if (a == NULL || a->state == ST_HALTED) {
        return (uint32_t)NDIS_STATUS_FAILURE;
    }
    NDIS_STATUS s = m->chars.OidRequestHandler(a->context, &r);
    if (s == NDIS_STATUS_PENDING) {
        sim_violation("oid", "OID %08x pended but NdisMOidRequestComplete is never called", oid);
    }
    if (sim_spin_locks_held() != 0 || KeGetCurrentIrql() != PASSIVE_LEVEL) {
        sim_violation("irql", "MiniportOidRequest returned holding a lock");
        sim_kernel_reset_thread();
    }
    UINT done = type == NdisRequestSetInformation ? r.DATA.SET_INFORMATION.BytesRead
                                                 : r.DATA.QUERY_INFORMATION.BytesWritten;
    if (done > len) {
        sim_violation("oid", "OID %08x: BytesWritten/BytesRead %u above the buffer's %u", oid,
                      done, len);
    }
    if (bytes != NULL) *bytes = done;
    if (needed != NULL) {
        *needed = type == NdisRequestSetInformation ? r.DATA.SET_INFORMATION.BytesNeeded
                                                    : r.DATA.QUERY_INFORMATION.BytesNeeded;
    }
    if (s == NDIS_STATUS_SUCCESS && type == NdisRequestSetInformation &&
        oid == OID_GEN_CURRENT_PACKET_FILTER && len >= 4) {
        pthread_mutex_lock(&m->mu);
        memcpy(&a->packet_filter, buf, 4);
        pthread_mutex_unlock(&m->mu);
    }
    return (uint32_t)s;
}

uint32_t tts_oid_query(tts_machine *m, uint32_t oid, void *buf, uint32_t len, uint32_t *bytes,
                       uint32_t *needed)
{
    return oid_request(m, NdisRequestQueryInformation, oid, buf, len, bytes, needed);
}

uint32_t tts_oid_set(tts_machine *m, uint32_t oid, const void *buf, uint32_t len,
                     uint32_t *bytes, uint32_t *needed)
{
    uint8_t copy[512];
    if (len > sizeof(copy)) return (uint32_t)NDIS_STATUS_INVALID_LENGTH;
    memcpy(copy, buf, len);
    return oid_request(m, NdisRequestSetInformation, oid, copy, len, bytes, needed);
}

int tts_link_connected(tts_machine *m)
{
    pthread_mutex_lock(&m->mu);
    int l = m->adapter == NULL ? -1 : m->adapter->link;
    pthread_mutex_unlock(&m->mu);
    return l;
}

/* ---- control device ------------------------------------------------------------------------------ */
NDIS_STATUS NdisRegisterDeviceEx(NDIS_HANDLE NdisHandle,
                                 PNDIS_DEVICE_OBJECT_ATTRIBUTES Attr,
                                 PDEVICE_OBJECT *pDeviceObject, PNDIS_HANDLE NdisDeviceHandle)
{
    sim_require_passive("NdisRegisterDeviceEx");
    if (NdisHandle != &current->driver) {
        sim_violation("device", "NdisRegisterDeviceEx needs the miniport driver handle");
    }
    if (Attr->Header.Type != NDIS_OBJECT_TYPE_DEVICE_OBJECT_ATTRIBUTES ||
        Attr->Header.Revision != NDIS_DEVICE_OBJECT_ATTRIBUTES_REVISION_1 ||
        Attr->Header.Size != NDIS_SIZEOF_DEVICE_OBJECT_ATTRIBUTES_REVISION_1) {
        sim_violation("device", "NDIS_DEVICE_OBJECT_ATTRIBUTES header");
    }
    if (Attr->DeviceClassGuid != NULL) {
        sim_violation("device-class-guid",
                      "DeviceClassGuid is reserved for NDIS and must be NULL");
    }
    if (Attr->MajorFunctions[IRP_MJ_PNP] != NULL || Attr->MajorFunctions[IRP_MJ_POWER] != NULL) {
        sim_violation("device-pnp-power",
                      "a driver must not supply PnP or Power dispatch routines for this device");
    }
    struct sim_device *d = calloc(1, sizeof(*d));
    sim_wide_to_ascii(Attr->DeviceName->Buffer, Attr->DeviceName->Length / sizeof(WCHAR), d->name,
                      sizeof(d->name));
    sim_wide_to_ascii(Attr->SymbolicName->Buffer, Attr->SymbolicName->Length / sizeof(WCHAR),
                      d->link, sizeof(d->link));
    for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
        d->major[i] = Attr->MajorFunctions[i];
    }
    if (Attr->ExtensionSize != 0) {
        d->extension = calloc(1, Attr->ExtensionSize);
        d->dev.DeviceExtension = d->extension;
    }
    d->dev.Flags = DO_DEVICE_INITIALIZING;
    d->dev.DriverObject = &current->driver_object;
    *pDeviceObject = &d->dev;
    *NdisDeviceHandle = d;
    sim_device_publish(d); /* visible to CreateFile from now on */
    if (sim_hook_device_registered != NULL) {
        sim_hook_device_registered(&d->dev);
    }
    return NDIS_STATUS_SUCCESS;
}

VOID NdisDeregisterDeviceEx(NDIS_HANDLE NdisDeviceHandle)
{
    struct sim_device *d = NdisDeviceHandle;
    sim_require_passive("NdisDeregisterDeviceEx");
    sim_require_no_spin_lock("NdisDeregisterDeviceEx");
    /* "If NdisRegisterDeviceEx allocated an extension, NdisDeregisterDeviceEx
     * frees the extension." */
    if (d->extension != NULL) {
        memset(d->extension, 0xDD, 8);
        free(d->extension);
    }
    sim_device_unpublish(d); /* the object lives on while files are open */
}

PVOID NdisGetDeviceReservedExtension(PDEVICE_OBJECT DeviceObject)
{
    return DeviceObject->DeviceExtension;
}

/* ---- the adapter's life -------------------------------------------------------------------------- */
static void check_teardown(struct sim_adapter *a)
{
    long live = sim_pool_live(a);
    if (live != 0) {
        sim_violation("leak", "%ld pool allocations of the adapter not freed by MiniportHaltEx",
                      live);
    }
}

static NDIS_STATUS initialize_adapter(tts_machine *m)
{
    struct sim_adapter *a = calloc(1, sizeof(*a));
    NDIS_MINIPORT_INIT_PARAMETERS params;
    a->magic = ADAPTER_MAGIC;
    a->machine = m;
    a->state = ST_INITIALIZING;
    a->link = -1;
    a->in_initialize = 1;
    memset(&params, 0, sizeof(params));
    params.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS;
    params.Header.Revision = 1;
    params.Header.Size = sizeof(params);
    pthread_mutex_lock(&m->mu);
    m->adapter = a;
    pthread_mutex_unlock(&m->mu);
    NDIS_STATUS s = m->chars.InitializeHandlerEx(a, &m->driver, &params);
    if (sim_spin_locks_held() != 0 || KeGetCurrentIrql() != PASSIVE_LEVEL) {
        sim_violation("irql", "MiniportInitializeEx returned holding a lock");
        sim_kernel_reset_thread();
    }
    a->in_initialize = 0;
    pthread_mutex_lock(&m->mu);
    if (s == NDIS_STATUS_SUCCESS) {
        if (!a->registration_set || !a->general_set) {
            sim_violation("attributes", "MiniportInitializeEx succeeded without setting the "
                                        "registration and general attributes");
        }
        a->state = ST_PAUSED;
    } else {
        a->state = ST_HALTED;
        a->dead = 1;
    }
    pthread_mutex_unlock(&m->mu);
    if (s != NDIS_STATUS_SUCCESS) {
        check_teardown(a);
    }
    return s;
}

uint32_t tts_restart(tts_machine *m)
{
    struct sim_adapter *a = m->adapter;
    NDIS_MINIPORT_RESTART_PARAMETERS p;
    pthread_mutex_lock(&m->mu);
    if (a == NULL || a->state != ST_PAUSED) {
        pthread_mutex_unlock(&m->mu);
        return (uint32_t)NDIS_STATUS_FAILURE; /* NDIS restarts only paused adapters */
    }
    a->state = ST_RESTARTING;
    pthread_mutex_unlock(&m->mu);
    memset(&p, 0, sizeof(p));
    NDIS_STATUS s = m->chars.RestartHandler(a->context, &p);
    if (s != NDIS_STATUS_SUCCESS && s != NDIS_STATUS_FAILURE && s != NDIS_STATUS_RESOURCES) {
        sim_violation("restart", "MiniportRestart returned %08x", (unsigned)s);
    }
    pthread_mutex_lock(&m->mu);
    a->state = s == NDIS_STATUS_SUCCESS ? ST_RUNNING : ST_PAUSED;
    pthread_mutex_unlock(&m->mu);
    if (s == NDIS_STATUS_SUCCESS && !(m->flags & TTS_FLAG_NO_PACKET_FILTER) &&
        a->packet_filter == 0) {
        ULONG filter = NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_MULTICAST |
                       NDIS_PACKET_TYPE_BROADCAST;
        (void)tts_oid_set(m, OID_GEN_CURRENT_PACKET_FILTER, &filter, sizeof(filter), NULL, NULL);
    }
    return (uint32_t)s;
}

uint32_t tts_pause(tts_machine *m)
{
    struct sim_adapter *a = m->adapter;
    NDIS_MINIPORT_PAUSE_PARAMETERS p;
    pthread_mutex_lock(&m->mu);
    if (a == NULL || a->state != ST_RUNNING) {
        pthread_mutex_unlock(&m->mu);
        return (uint32_t)NDIS_STATUS_SUCCESS; /* NDIS pauses only running adapters */
    }
    a->state = ST_PAUSING;
    a->pause_pended = 0;
    a->pause_completes = 0;
    pthread_mutex_unlock(&m->mu);
    memset(&p, 0, sizeof(p));
    NDIS_STATUS s = m->chars.PauseHandler(a->context, &p);
    pthread_mutex_lock(&m->mu);
    if (s == NDIS_STATUS_SUCCESS) {
        if (__atomic_load_n(&a->receives_outstanding, __ATOMIC_SEQ_CST) != 0) {
            sim_violation("pause", "MiniportPause succeeded with receive NBLs still owned by NDIS");
        }
        if (a->state == ST_PAUSING) a->state = ST_PAUSED;
    } else if (s == NDIS_STATUS_PENDING) {
        a->pause_pended = 1;
        while (a->state != ST_PAUSED) {
            pthread_mutex_unlock(&m->mu);
            if (m->held_count > 0 && !(m->flags & TTS_FLAG_HOLD_RECEIVES)) {
                (void)tts_host_return_all(m);
            }
            pthread_mutex_lock(&m->mu);
            if (a->state != ST_PAUSED) {
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += 1000000;
                if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
                pthread_cond_timedwait(&m->cv, &m->mu, &ts);
            }
        }
        if (a->pause_completes != 1) {
            sim_violation("pause", "NdisMPauseComplete called %d times", a->pause_completes);
        }
    } else {
        sim_violation("pause", "MiniportPause returned %08x; only SUCCESS or PENDING are allowed",
                      (unsigned)s);
        a->state = ST_PAUSED;
    }
    pthread_mutex_unlock(&m->mu);
    return (uint32_t)s;
}

void tts_halt(tts_machine *m)
{
    struct sim_adapter *a = m->adapter;
    if (a == NULL || a->state == ST_HALTED) {
        return;
    }
    if (a->state == ST_RUNNING) {
        if (m->flags & TTS_FLAG_HOLD_RECEIVES) {
            (void)tts_host_return_all(m);
        }
        (void)tts_pause(m);
    }
    if (a->state != ST_PAUSED) {
        sim_violation("sim", "halt from state %s", state_names[a->state]);
    }
    m->chars.HaltHandlerEx(a->context, NdisHaltDeviceDisabled);
    if (sim_spin_locks_held() != 0 || KeGetCurrentIrql() != PASSIVE_LEVEL) {
        sim_violation("irql", "MiniportHaltEx returned holding a lock");
        sim_kernel_reset_thread();
    }
    pthread_mutex_lock(&m->mu);
    a->state = ST_HALTED;
    a->dead = 1;
    a->next_halted = m->halted;
    m->halted = a;
    pthread_mutex_unlock(&m->mu);
    check_teardown(a);
}

uint32_t tts_reinitialize(tts_machine *m)
{
    if (m->adapter != NULL && m->adapter->state != ST_HALTED) {
        return (uint32_t)NDIS_STATUS_FAILURE;
    }
    NDIS_STATUS s = initialize_adapter(m);
    if (s == NDIS_STATUS_SUCCESS) {
        s = (NDIS_STATUS)tts_restart(m);
    }
    return (uint32_t)s;
}

uint32_t tts_sleep(tts_machine *m)
{
    struct sim_adapter *a = m->adapter;
    if (a == NULL || a->state == ST_HALTED) {
        return (uint32_t)NDIS_STATUS_FAILURE;
    }
    if (!a->power_managed && !a->no_halt_on_suspend) {
        /* "Power Management for Old Miniport Drivers": halted before D3. */
        tts_halt(m);
        m->sleeping_halted = 1;
        return (uint32_t)NDIS_STATUS_SUCCESS;
    }
    (void)tts_pause(m);
    ULONG d3 = NdisDeviceStateD3;
    uint32_t s = tts_oid_query(m, OID_PNP_QUERY_POWER, &d3, sizeof(d3), NULL, NULL);
    if (s != (uint32_t)NDIS_STATUS_SUCCESS) {
        sim_violation("power", "OID_PNP_QUERY_POWER(D3) failed with %08x", s);
    }
    s = tts_oid_set(m, OID_PNP_SET_POWER, &d3, sizeof(d3), NULL, NULL);
    if (s != (uint32_t)NDIS_STATUS_SUCCESS) {
        sim_violation("power", "OID_PNP_SET_POWER(D3) failed with %08x", s);
    }
    a->power_d3 = 1;
    return s;
}

uint32_t tts_wake(tts_machine *m)
{
    if (m->sleeping_halted) {
        m->sleeping_halted = 0;
        return tts_reinitialize(m);
    }
    struct sim_adapter *a = m->adapter;
    if (a == NULL || !a->power_d3) {
        return (uint32_t)NDIS_STATUS_FAILURE;
    }
    ULONG d0 = NdisDeviceStateD0;
    uint32_t s = tts_oid_set(m, OID_PNP_SET_POWER, &d0, sizeof(d0), NULL, NULL);
    if (s != (uint32_t)NDIS_STATUS_SUCCESS) {
        sim_violation("power", "OID_PNP_SET_POWER(D0) failed with %08x", s);
    }
    a->power_d3 = 0;
    return tts_restart(m);
}

int sim_adapter_power_managed(tts_machine *m)
{
    return m->adapter != NULL && m->adapter->power_managed;
}

/* ---- machine ------------------------------------------------------------------------------------ */
int tts_api_version(void)
{
    return TTS_API_VERSION;
}

tts_machine *tts_machine_create(const tts_config *config)
{
    static const char default_guid[] = "{6B8F2A41-0C3D-4E5F-9A7B-1C2D3E4F5A6B}";
    UNICODE_STRING registry_path;
    if (current != NULL) {
        fprintf(stderr, "tuntapsim: one machine at a time\n");
        return NULL;
    }
    tts_machine *m = calloc(1, sizeof(*m));
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->cv, NULL);
    m->driver.magic = DRIVER_MAGIC;
    m->send_pool.magic = POOL_MAGIC_NBL;
    snprintf(m->guid, sizeof(m->guid), "%s",
             config != NULL && config->instance_guid != NULL ? config->instance_guid
                                                             : default_guid);
    if (config != NULL) {
        m->mtu = config->mtu;
        m->media_status = config->media_status;
        m->flags = config->flags;
        if (config->network_address != NULL) {
            memcpy(m->mac, config->network_address, 6);
            m->has_mac = 1;
        }
    }
    const char *env = getenv("TUNTAPSIM_ABORT");
    sim_abort_on_violation = (m->flags & TTS_FLAG_ABORT_ON_VIOLATION) ||
                             (env != NULL && env[0] == '1');
    snprintf(m->path, sizeof(m->path), "\\\\.\\Global\\%s.tap", m->guid);
    sim_violation_reset();
    sim_kernel_reset_thread();
    current = m;

    RtlInitUnicodeString(&registry_path, L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\tuntap6");
    NTSTATUS s = DriverEntry(&m->driver_object, &registry_path);
    if (!NT_SUCCESS(s) || !m->driver.registered) {
        fprintf(stderr, "tuntapsim: DriverEntry failed: %08x\n", (unsigned)s);
        current = NULL;
        free(m);
        return NULL;
    }
    NDIS_STATUS ns = initialize_adapter(m);
    if (ns != NDIS_STATUS_SUCCESS) {
        fprintf(stderr, "tuntapsim: MiniportInitializeEx failed: %08x\n", (unsigned)ns);
        if (m->chars.UnloadHandler != NULL) m->chars.UnloadHandler(&m->driver_object);
        current = NULL;
        free(m->adapter);
        free(m);
        return NULL;
    }
    (void)tts_restart(m);
    return m;
}

unsigned tts_machine_destroy(tts_machine *m)
{
    tts_halt(m);
    m->chars.UnloadHandler(&m->driver_object);
    if (m->driver.registered) {
        sim_violation("unload", "MiniportDriverUnload did not call NdisMDeregisterMiniportDriver");
    }
    long live = sim_pool_live(NULL);
    if (live != 0) {
        sim_violation("leak", "%ld pool allocations still live after unload", live);
    }
    unsigned n = sim_violation_count(NULL, 0);
    pthread_mutex_lock(&pools_mu);
    while (all_pools != NULL) {
        struct sim_nbl_pool *p = all_pools;
        all_pools = p->next_pool;
        free(p);
    }
    pthread_mutex_unlock(&pools_mu);
    while (m->rx_head != NULL) {
        struct frame *f = m->rx_head;
        m->rx_head = f->next;
        free(f);
    }
    while (m->halted != NULL) {
        struct sim_adapter *a = m->halted;
        m->halted = a->next_halted;
        if (a != m->adapter) free(a);
    }
    free(m->adapter);
    current = NULL;
    pthread_mutex_destroy(&m->mu);
    pthread_cond_destroy(&m->cv);
    free(m);
    return n;
}

unsigned tts_violations(tts_machine *m, char *buf, size_t len)
{
    (void)m;
    return sim_violation_count(buf, len);
}

const char *tts_device_path(tts_machine *m)
{
    return m->path;
}

/* ---- user side ---------------------------------------------------------------------------------- */
uint32_t tts_open(tts_machine *m, const char *path, tts_file **out)
{
    const char *rest = NULL;
    sim_kernel_reset_thread();
    struct sim_device *d = sim_device_lookup(path, &rest);
    if (d == NULL) {
        return (uint32_t)STATUS_OBJECT_NAME_NOT_FOUND;
    }
    tts_file *f = calloc(1, sizeof(*f));
    f->device = d;
    f->refs = 1;
    f->machine = m;
    f->fo.DeviceObject = &d->dev;
    size_t n = strlen(rest);
    f->name_buffer = calloc(n + 1, sizeof(WCHAR));
    for (size_t i = 0; i < n; i++) f->name_buffer[i] = (WCHAR)rest[i];
    f->fo.FileName.Buffer = f->name_buffer;
    f->fo.FileName.Length = (USHORT)(n * sizeof(WCHAR));
    f->fo.FileName.MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
    struct sim_irp *si = sim_irp_new(f, IRP_MJ_CREATE);
    (void)sim_dispatch(si);
    NTSTATUS s = sim_irp_wait(si, UINT32_MAX, NULL);
    sim_irp_delete(si);
    if (!NT_SUCCESS(s)) {
        /* A failed create gets neither cleanup nor close. */
        free(f->name_buffer);
        struct sim_device *dev = f->device;
        free(f);
        sim_device_file_failed(dev);
        return (uint32_t)s;
    }
    *out = f;
    return (uint32_t)s;
}

uint32_t tts_ioctl(tts_file *f, uint32_t code, const void *in, uint32_t in_len, void *out,
                   uint32_t out_len, uint32_t *returned)
{
    ULONG_PTR info = 0;
    sim_kernel_reset_thread();
    sim_file_reference(f);
    struct sim_irp *si = sim_irp_new(f, IRP_MJ_DEVICE_CONTROL);
    sim_irp_buffered(si, in, in_len, out, out_len);
    si->stack.Parameters.DeviceIoControl.IoControlCode = code;
    si->stack.Parameters.DeviceIoControl.InputBufferLength = in_len;
    si->stack.Parameters.DeviceIoControl.OutputBufferLength = out_len;
    (void)sim_dispatch(si);
    NTSTATUS s = sim_irp_wait(si, UINT32_MAX, &info);
    sim_irp_delete(si);
    sim_file_release(f);
    if (returned != NULL) *returned = (uint32_t)info;
    return (uint32_t)s;
}

static tts_io *rw(tts_file *f, UCHAR major, void *buf, uint32_t len)
{
    sim_kernel_reset_thread();
    sim_file_reference(f);
    struct sim_irp *si = sim_irp_new(f, major);
    if (f->device->dev.Flags & DO_DIRECT_IO) {
        if (len > 0) {
            si->mdl.MappedSystemVa = buf;
            si->mdl.StartVa = buf;
            si->mdl.ByteCount = len;
            si->irp.MdlAddress = &si->mdl;
        }
    } else {
        si->irp.UserBuffer = buf; /* neither buffered nor direct */
    }
    if (major == IRP_MJ_READ) si->stack.Parameters.Read.Length = len;
    else si->stack.Parameters.Write.Length = len;
    si->dispatch_pending = sim_dispatch(si) == STATUS_PENDING;
    return (tts_io *)si;
}

int tts_io_pended(tts_io *io)
{
    return ((struct sim_irp *)io)->dispatch_pending;
}

tts_io *tts_read(tts_file *f, void *buf, uint32_t len)
{
    return rw(f, IRP_MJ_READ, buf, len);
}

tts_io *tts_write(tts_file *f, const void *buf, uint32_t len)
{
    return rw(f, IRP_MJ_WRITE, (void *)buf, len);
}

uint32_t tts_io_wait(tts_io *io, uint32_t timeout_ms, uint32_t *information)
{
    ULONG_PTR info = 0;
    NTSTATUS s = sim_irp_wait((struct sim_irp *)io, timeout_ms, &info);
    if (information != NULL) *information = (uint32_t)info;
    return (uint32_t)s;
}

int tts_io_cancel(tts_io *io)
{
    sim_kernel_reset_thread();
    struct sim_irp *si = (struct sim_irp *)io;
    if (sim_irp_completed(si)) return 0;
    (void)sim_cancel_irp(si);
    return 1;
}

void tts_io_free(tts_io *io)
{
    struct sim_irp *si = (struct sim_irp *)io;
    sim_kernel_reset_thread();
    if (!sim_irp_completed(si)) {
        (void)sim_cancel_irp(si);
        if (sim_irp_wait(si, 10000, NULL) == STATUS_PENDING) {
            sim_violation("irp-not-completed", "a cancelled IRP was not completed within 10 s");
            return; /* leaked on purpose: the driver still owns it */
        }
    }
    tts_file *f = si->file;
    sim_irp_delete(si);
    sim_file_release(f);
}

void tts_close(tts_file *f)
{
    sim_kernel_reset_thread();
    struct sim_irp *si = sim_irp_new(f, IRP_MJ_CLEANUP);
    (void)sim_dispatch(si);
    if (sim_irp_wait(si, 10000, NULL) == STATUS_PENDING) {
        sim_violation("irp-not-completed", "IRP_MJ_CLEANUP not completed");
    } else {
        sim_irp_delete(si);
    }
    sim_file_release(f);
}
