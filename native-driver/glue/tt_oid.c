/* SPDX-License-Identifier: Apache-2.0 */
#include "tt_oid.h"

#include "../core/tt_ether.h"

const NDIS_OID TtSupportedOids[] = {
    OID_GEN_SUPPORTED_LIST,
    OID_GEN_HARDWARE_STATUS,
    OID_GEN_MEDIA_SUPPORTED,
    OID_GEN_MEDIA_IN_USE,
    OID_GEN_MAXIMUM_LOOKAHEAD,
    OID_GEN_MAXIMUM_FRAME_SIZE,
    OID_GEN_LINK_SPEED,
    OID_GEN_TRANSMIT_BUFFER_SPACE,
    OID_GEN_RECEIVE_BUFFER_SPACE,
    OID_GEN_TRANSMIT_BLOCK_SIZE,
    OID_GEN_RECEIVE_BLOCK_SIZE,
    OID_GEN_VENDOR_ID,
    OID_GEN_VENDOR_DESCRIPTION,
    OID_GEN_VENDOR_DRIVER_VERSION,
    OID_GEN_CURRENT_PACKET_FILTER,
    OID_GEN_CURRENT_LOOKAHEAD,
    OID_GEN_DRIVER_VERSION,
    OID_GEN_MAXIMUM_TOTAL_SIZE,
    OID_GEN_MAC_OPTIONS,
    OID_GEN_MEDIA_CONNECT_STATUS,
    OID_GEN_MAXIMUM_SEND_PACKETS,
    OID_GEN_XMIT_OK,
    OID_GEN_RCV_OK,
    OID_GEN_XMIT_ERROR,
    OID_GEN_RCV_ERROR,
    OID_GEN_RCV_NO_BUFFER,
    OID_GEN_STATISTICS,
    OID_802_3_PERMANENT_ADDRESS,
    OID_802_3_CURRENT_ADDRESS,
    OID_802_3_MULTICAST_LIST,
    OID_802_3_MAXIMUM_LIST_SIZE,
    OID_GEN_INTERRUPT_MODERATION,
    OID_GEN_LINK_PARAMETERS,
    OID_PNP_QUERY_POWER,
    OID_PNP_SET_POWER,
};
const ULONG TtSupportedOidCount = sizeof(TtSupportedOids) / sizeof(TtSupportedOids[0]);

/* How a query's answer is shaped. */
typedef enum _TT_OID_ANSWER {
    TtAnswerUlong,
    TtAnswerCounter, /* ULONG64, or its low ULONG for a 4-byte buffer */
    TtAnswerBytes
} TT_OID_ANSWER;

static NDIS_STATUS CopyOut(PVOID Buffer, ULONG Length, const void *Data, ULONG Size,
                           PULONG BytesWritten, PULONG BytesNeeded)
{
    if (Length < Size) {
        *BytesNeeded = Size;
        *BytesWritten = 0;
        return NDIS_STATUS_BUFFER_TOO_SHORT;
    }
    if (Size > 0) {
        NdisMoveMemory(Buffer, Data, Size);
    }
    *BytesWritten = Size;
    *BytesNeeded = 0;
    return NDIS_STATUS_SUCCESS;
}

static VOID FillStatistics(const TT_OID_CONTEXT *Ctx, NDIS_STATISTICS_INFO *Stats)
{
    NdisZeroMemory(Stats, sizeof(*Stats));
    Stats->Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    Stats->Header.Revision = NDIS_STATISTICS_INFO_REVISION_1;
    Stats->Header.Size = (USHORT)NDIS_SIZEOF_STATISTICS_INFO_REVISION_1;
    Stats->SupportedStatistics =
        NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_RCV | NDIS_STATISTICS_FLAGS_VALID_BYTES_RCV |
        NDIS_STATISTICS_FLAGS_VALID_RCV_DISCARDS | NDIS_STATISTICS_FLAGS_VALID_RCV_ERROR |
        NDIS_STATISTICS_FLAGS_VALID_DIRECTED_FRAMES_XMIT | NDIS_STATISTICS_FLAGS_VALID_BYTES_XMIT |
        NDIS_STATISTICS_FLAGS_VALID_XMIT_ERROR | NDIS_STATISTICS_FLAGS_VALID_XMIT_DISCARDS;
    /* "In" is what the host received from the adapter (our indications),
     * "Out" what it sent through it. Frames are not split by cast type:
     * all are reported as unicast. */
    Stats->ifHCInUcastPkts = Ctx->Counters.RcvOk;
    Stats->ifHCInOctets = Ctx->Counters.RcvBytes;
    Stats->ifHCInUcastOctets = Ctx->Counters.RcvBytes;
    Stats->ifInErrors = Ctx->Counters.RcvError;
    Stats->ifInDiscards = Ctx->Counters.RcvNoBuffer;
    Stats->ifHCOutUcastPkts = Ctx->Counters.XmitOk;
    Stats->ifHCOutOctets = Ctx->Counters.XmitBytes;
    Stats->ifHCOutUcastOctets = Ctx->Counters.XmitBytes;
    Stats->ifOutErrors = Ctx->Counters.XmitError;
    Stats->ifOutDiscards = Ctx->Counters.XmitDiscards;
}

NDIS_STATUS TtOidQuery(const TT_OID_CONTEXT *Ctx, NDIS_OID Oid, PVOID Buffer, ULONG Length,
                       PULONG BytesWritten, PULONG BytesNeeded)
{
    TT_OID_ANSWER answer = TtAnswerUlong;
    ULONG value = 0;
    ULONG64 counter = 0;
    const void *bytes = NULL;
    ULONG size = 0;
    NDIS_STATISTICS_INFO stats;
    NDIS_INTERRUPT_MODERATION_PARAMETERS moderation;
    /* OID_GEN_VENDOR_DESCRIPTION: a null-terminated Unicode string, i.e.
     * UTF-16LE WCHARs. Built byte by byte from the ASCII text so the bytes
     * do not depend on the width of wchar_t where this is compiled. */
    static const char description_ascii[] = TT_VENDOR_DESCRIPTION;
    UCHAR description[2 * sizeof(description_ascii)];
    ULONG i;
    /* Vendor id: the first three octets are an OUI; 0xFFFFFF means "none"
     * (OID_GEN_VENDOR_ID docs), the low byte the vendor's NIC index. */
    static const ULONG vendor_id = 0x00FFFFFFu;

    *BytesWritten = 0;
    *BytesNeeded = 0;
    switch (Oid) {
    case OID_GEN_SUPPORTED_LIST:
        answer = TtAnswerBytes;
        bytes = TtSupportedOids;
        size = TtSupportedOidCount * (ULONG)sizeof(NDIS_OID);
        break;
    case OID_GEN_HARDWARE_STATUS:
        value = NdisHardwareStatusReady;
        break;
    case OID_GEN_MEDIA_SUPPORTED:
    case OID_GEN_MEDIA_IN_USE:
        value = NdisMedium802_3;
        break;
    case OID_GEN_MAXIMUM_LOOKAHEAD:
    case OID_GEN_MAXIMUM_FRAME_SIZE:
        value = Ctx->Mtu; /* frame size excludes the 14-byte header */
        break;
    case OID_GEN_CURRENT_LOOKAHEAD:
        value = Ctx->Lookahead;
        break;
    case OID_GEN_MAXIMUM_TOTAL_SIZE:
    case OID_GEN_TRANSMIT_BLOCK_SIZE:
    case OID_GEN_RECEIVE_BLOCK_SIZE:
        value = Ctx->Mtu + TT_ETH_HEADER_LEN;
        break;
    case OID_GEN_TRANSMIT_BUFFER_SPACE:
    case OID_GEN_RECEIVE_BUFFER_SPACE:
        value = (Ctx->Mtu + TT_ETH_HEADER_LEN) * 64u; /* queue depth, see tt_read_queue.h */
        break;
    case OID_GEN_LINK_SPEED:
        value = (ULONG)(TT_LINK_SPEED_BPS / 100u); /* in units of 100 bit/s */
        break;
    case OID_GEN_VENDOR_ID:
        value = vendor_id;
        break;
    case OID_GEN_VENDOR_DESCRIPTION:
        for (i = 0; i < (ULONG)sizeof(description_ascii); i++) {
            description[2 * i] = (UCHAR)description_ascii[i];
            description[2 * i + 1] = 0;
        }
        answer = TtAnswerBytes;
        bytes = description;
        size = (ULONG)sizeof(description);
        break;
    case OID_GEN_VENDOR_DRIVER_VERSION:
        value = Ctx->DriverVersion;
        break;
    case OID_GEN_DRIVER_VERSION:
        /* The NDIS version compiled for, as a USHORT in a ULONG. */
        value = ((ULONG)NDIS_MINIPORT_MAJOR_VERSION << 8) | NDIS_MINIPORT_MINOR_VERSION;
        break;
    case OID_GEN_INTERRUPT_MODERATION:
        /* Mandatory; a miniport without moderation says so. */
        NdisZeroMemory(&moderation, sizeof(moderation));
        moderation.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
        moderation.Header.Revision = NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        moderation.Header.Size = (USHORT)NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        moderation.Flags = 0;
        moderation.InterruptModeration = NdisInterruptModerationNotSupported;
        answer = TtAnswerBytes;
        bytes = &moderation;
        size = (ULONG)NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1;
        break;
    case OID_PNP_QUERY_POWER:
        /* Any power state is fine for a virtual adapter; nothing to return. */
        answer = TtAnswerBytes;
        bytes = NULL;
        size = 0;
        break;
    case OID_GEN_CURRENT_PACKET_FILTER:
        value = Ctx->PacketFilter;
        break;
    case OID_GEN_MAC_OPTIONS:
        value = NDIS_MAC_OPTION_COPY_LOOKAHEAD_DATA | NDIS_MAC_OPTION_TRANSFERS_NOT_PEND |
                NDIS_MAC_OPTION_NO_LOOPBACK;
        break;
    case OID_GEN_MEDIA_CONNECT_STATUS:
        value = Ctx->MediaConnected ? NdisMediaStateConnected : NdisMediaStateDisconnected;
        break;
    case OID_GEN_MAXIMUM_SEND_PACKETS:
        value = 1;
        break;
    case OID_802_3_MAXIMUM_LIST_SIZE:
        value = TT_MAX_MULTICAST_ADDRESSES;
        break;
    case OID_GEN_XMIT_OK:
        answer = TtAnswerCounter;
        counter = Ctx->Counters.XmitOk;
        break;
    case OID_GEN_RCV_OK:
        answer = TtAnswerCounter;
        counter = Ctx->Counters.RcvOk;
        break;
    case OID_GEN_XMIT_ERROR:
        answer = TtAnswerCounter;
        counter = Ctx->Counters.XmitError;
        break;
    case OID_GEN_RCV_ERROR:
        answer = TtAnswerCounter;
        counter = Ctx->Counters.RcvError;
        break;
    case OID_GEN_RCV_NO_BUFFER:
        answer = TtAnswerCounter;
        counter = Ctx->Counters.RcvNoBuffer;
        break;
    case OID_GEN_STATISTICS:
        FillStatistics(Ctx, &stats);
        answer = TtAnswerBytes;
        bytes = &stats;
        size = (ULONG)sizeof(stats);
        break;
    case OID_802_3_PERMANENT_ADDRESS:
        answer = TtAnswerBytes;
        bytes = Ctx->PermanentAddress;
        size = 6;
        break;
    case OID_802_3_CURRENT_ADDRESS:
        answer = TtAnswerBytes;
        bytes = Ctx->CurrentAddress;
        size = 6;
        break;
    case OID_802_3_MULTICAST_LIST:
        answer = TtAnswerBytes;
        bytes = Ctx->MulticastList;
        size = Ctx->MulticastCount * 6u;
        break;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }

    switch (answer) {
    case TtAnswerUlong:
        return CopyOut(Buffer, Length, &value, sizeof(value), BytesWritten, BytesNeeded);
    case TtAnswerCounter:
        if (Length >= sizeof(ULONG64)) {
            return CopyOut(Buffer, Length, &counter, sizeof(counter), BytesWritten, BytesNeeded);
        }
        value = (ULONG)counter;
        if (Length < sizeof(ULONG)) {
            /* Ask for the full 64-bit width. */
            *BytesNeeded = sizeof(ULONG64);
            return NDIS_STATUS_BUFFER_TOO_SHORT;
        }
        return CopyOut(Buffer, Length, &value, sizeof(value), BytesWritten, BytesNeeded);
    default:
        return CopyOut(Buffer, Length, bytes, size, BytesWritten, BytesNeeded);
    }
}

NDIS_STATUS TtOidSet(PTT_OID_CONTEXT Ctx, NDIS_OID Oid, const void *Buffer, ULONG Length,
                     PULONG BytesRead, PULONG BytesNeeded)
{
    ULONG value;
    *BytesRead = 0;
    *BytesNeeded = 0;
    switch (Oid) {
    case OID_GEN_INTERRUPT_MODERATION:
        /* OID_GEN_INTERRUPT_MODERATION: without moderation, a set fails
         * with NDIS_STATUS_INVALID_DATA. */
        return NDIS_STATUS_INVALID_DATA;
    case OID_GEN_LINK_PARAMETERS:
        /* Mandatory set. A virtual link has nothing to renegotiate; the
         * parameters are accepted and the link stays as it is. */
        if (Length < (ULONG)NDIS_SIZEOF_LINK_PARAMETERS_REVISION_1) {
            *BytesNeeded = (ULONG)NDIS_SIZEOF_LINK_PARAMETERS_REVISION_1;
            return NDIS_STATUS_INVALID_LENGTH;
        }
        *BytesRead = (ULONG)NDIS_SIZEOF_LINK_PARAMETERS_REVISION_1;
        return NDIS_STATUS_SUCCESS;
    case OID_PNP_SET_POWER:
        /* D0 or a sleep state: nothing to power up or down. Pending reads
         * stay queued; NDIS pauses the adapter around the transition. */
        if (Length < sizeof(ULONG)) {
            *BytesNeeded = sizeof(ULONG);
            return NDIS_STATUS_INVALID_LENGTH;
        }
        NdisMoveMemory(&value, Buffer, sizeof(value));
        Ctx->PowerState = value;
        *BytesRead = sizeof(ULONG);
        return NDIS_STATUS_SUCCESS;
    case OID_GEN_CURRENT_PACKET_FILTER:
    case OID_GEN_CURRENT_LOOKAHEAD:
        if (Length < sizeof(ULONG)) {
            *BytesNeeded = sizeof(ULONG);
            return NDIS_STATUS_INVALID_LENGTH;
        }
        NdisMoveMemory(&value, Buffer, sizeof(value));
        if (Oid == OID_GEN_CURRENT_PACKET_FILTER) {
            if ((value & ~(ULONG)TT_SUPPORTED_PACKET_FILTERS) != 0) {
                return NDIS_STATUS_NOT_SUPPORTED;
            }
            Ctx->PacketFilter = value;
        } else {
            if (value > Ctx->Mtu) {
                return NDIS_STATUS_INVALID_DATA;
            }
            Ctx->Lookahead = value;
        }
        *BytesRead = sizeof(ULONG);
        return NDIS_STATUS_SUCCESS;
    case OID_802_3_MULTICAST_LIST:
        if (Length % 6u != 0) {
            *BytesNeeded = (Length / 6u + 1u) * 6u;
            return NDIS_STATUS_INVALID_LENGTH;
        }
        if (Length / 6u > TT_MAX_MULTICAST_ADDRESSES) {
            return NDIS_STATUS_MULTICAST_FULL;
        }
        if (Length > 0) {
            NdisMoveMemory(Ctx->MulticastList, Buffer, Length);
        }
        Ctx->MulticastCount = Length / 6u;
        *BytesRead = Length;
        return NDIS_STATUS_SUCCESS;
    default:
        return NDIS_STATUS_NOT_SUPPORTED;
    }
}
