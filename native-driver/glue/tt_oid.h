/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_oid.h - the OIDs this Ethernet miniport answers, as one table.
 *
 * NDIS 6 answers many general OIDs itself from the attributes given to
 * NdisMSetMiniportAttributes, but a miniport must still handle the ones it
 * lists in SupportedOidList ("OID_GEN_SUPPORTED_LIST", NDIS docs). Query
 * results follow the documented types: ULONG values, 6-byte addresses,
 * 64-bit counters that shrink to a ULONG when the caller's buffer holds only
 * 4 bytes (OID_GEN_XMIT_OK et al.), and NDIS_STATISTICS_INFO.
 *
 * Portable: builds against the WDK and tests/stubs. Not thread-safe; the
 * caller holds the adapter lock while the context is read or changed.
 */
#ifndef TT_OID_H
#define TT_OID_H

#include <ndis.h>

#define TT_MAX_MULTICAST_ADDRESSES 32u
#define TT_LINK_SPEED_BPS 1000000000ull /* advertised: 1 Gbit/s */
#define TT_VENDOR_DESCRIPTION "tuntap6 TAP adapter"

/* Packet filters this adapter honours (it sees every frame anyway). */
#define TT_SUPPORTED_PACKET_FILTERS                                           \
    (NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_MULTICAST |                 \
     NDIS_PACKET_TYPE_ALL_MULTICAST | NDIS_PACKET_TYPE_BROADCAST |            \
     NDIS_PACKET_TYPE_PROMISCUOUS)

typedef struct _TT_OID_COUNTERS {
    ULONG64 XmitOk;      /* frames the host sent that reached user space  */
    ULONG64 XmitBytes;
    ULONG64 XmitError;
    ULONG64 XmitDiscards;/* dropped: queue full, no reader, not for peer  */
    ULONG64 RcvOk;       /* frames indicated to the host                  */
    ULONG64 RcvBytes;
    ULONG64 RcvError;
    ULONG64 RcvNoBuffer; /* user writes dropped for lack of resources     */
} TT_OID_COUNTERS;

typedef struct _TT_OID_CONTEXT {
    UCHAR PermanentAddress[6];
    UCHAR CurrentAddress[6];
    ULONG Mtu;                 /* IP MTU; frame size = Mtu + 14          */
    BOOLEAN MediaConnected;
    ULONG PacketFilter;        /* last OID_GEN_CURRENT_PACKET_FILTER set */
    ULONG Lookahead;
    ULONG DriverVersion;       /* major << 16 | minor                    */
    ULONG PowerState;          /* last OID_PNP_SET_POWER (NDIS_DEVICE_POWER_STATE) */
    ULONG MulticastCount;
    UCHAR MulticastList[TT_MAX_MULTICAST_ADDRESSES][6];
    TT_OID_COUNTERS Counters;
} TT_OID_CONTEXT, *PTT_OID_CONTEXT;

/* The list reported in OID_GEN_SUPPORTED_LIST and in the general
 * attributes' SupportedOidList. */
extern const NDIS_OID TtSupportedOids[];
extern const ULONG TtSupportedOidCount;

/*
 * Answers a query. Buffer/Length is the caller's InformationBuffer.
 * On NDIS_STATUS_SUCCESS *BytesWritten is set; on
 * NDIS_STATUS_BUFFER_TOO_SHORT *BytesNeeded says how much is required and
 * nothing was written; NDIS_STATUS_NOT_SUPPORTED for unknown OIDs.
 */
NDIS_STATUS TtOidQuery(const TT_OID_CONTEXT *Ctx, NDIS_OID Oid, PVOID Buffer, ULONG Length,
                       PULONG BytesWritten, PULONG BytesNeeded);

/*
 * Applies a set. On NDIS_STATUS_SUCCESS *BytesRead is set; on
 * NDIS_STATUS_INVALID_LENGTH *BytesNeeded says what is required;
 * NDIS_STATUS_NOT_SUPPORTED for unsupported packet filter bits (as the
 * OID_GEN_CURRENT_PACKET_FILTER docs require) and for OIDs that cannot be
 * set, NDIS_STATUS_INVALID_DATA for a lookahead above the MTU,
 * NDIS_STATUS_MULTICAST_FULL for more than 32 addresses. Ctx is unchanged
 * on failure.
 */
NDIS_STATUS TtOidSet(PTT_OID_CONTEXT Ctx, NDIS_OID Oid, const void *Buffer, ULONG Length,
                     PULONG BytesRead, PULONG BytesNeeded);

#endif /* TT_OID_H */
