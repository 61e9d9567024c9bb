/* SPDX-License-Identifier: Apache-2.0 */
#include <stddef.h>
#include <string.h>

#include "../../glue/tt_oid.h"
#include "../support/harness.h"

void suite_oid(void);

static void context(TT_OID_CONTEXT *c)
{
    memset(c, 0, sizeof(*c));
    const UCHAR mac[6] = {0x02, 1, 2, 3, 4, 5};
    memcpy(c->PermanentAddress, mac, 6);
    memcpy(c->CurrentAddress, mac, 6);
    c->Mtu = 1500;
    c->Lookahead = 1500;
    c->MediaConnected = TRUE;
}

static void every_supported_oid_answers(void)
{
    TT_OID_CONTEXT c;
    context(&c);
    UCHAR buf[512];
    for (ULONG i = 0; i < TtSupportedOidCount; i++) {
        ULONG written = 0, needed = 0;
        if (TtSupportedOids[i] == OID_GEN_LINK_PARAMETERS ||
            TtSupportedOids[i] == OID_PNP_SET_POWER) {
            continue; /* set-only */
        }
        NDIS_STATUS s = TtOidQuery(&c, TtSupportedOids[i], buf, sizeof(buf), &written, &needed);
        CHECK_EQ(s, NDIS_STATUS_SUCCESS);
        CHECK(written <= sizeof(buf));
    }
}

static void unknown_oid_not_supported(void)
{
    TT_OID_CONTEXT c;
    context(&c);
    ULONG v, written, needed;
    CHECK_EQ(TtOidQuery(&c, 0x0001021F, &v, sizeof(v), &written, &needed),
             NDIS_STATUS_NOT_SUPPORTED);
    CHECK_EQ(TtOidSet(&c, OID_GEN_XMIT_OK, &v, sizeof(v), &written, &needed),
             NDIS_STATUS_NOT_SUPPORTED);
}

static void short_buffer_reports_needed(void)
{
    TT_OID_CONTEXT c;
    context(&c);
    UCHAR buf[8];
    ULONG written = 1, needed = 0;
    CHECK_EQ(TtOidQuery(&c, OID_GEN_SUPPORTED_LIST, buf, sizeof(buf), &written, &needed),
             NDIS_STATUS_BUFFER_TOO_SHORT);
    CHECK_EQ(written, 0);
    CHECK_EQ(needed, TtSupportedOidCount * sizeof(NDIS_OID));
    CHECK_EQ(TtOidQuery(&c, OID_802_3_CURRENT_ADDRESS, buf, 5, &written, &needed),
             NDIS_STATUS_BUFFER_TOO_SHORT);
    CHECK_EQ(needed, 6);
}

static void values_are_right(void)
{
    TT_OID_CONTEXT c;
    context(&c);
    ULONG v, written, needed;
    UCHAR mac[6];
    CHECK_EQ(TtOidQuery(&c, OID_GEN_MAXIMUM_FRAME_SIZE, &v, 4, &written, &needed), 0);
    CHECK_EQ(v, 1500);
    CHECK_EQ(TtOidQuery(&c, OID_GEN_MAXIMUM_TOTAL_SIZE, &v, 4, &written, &needed), 0);
    CHECK_EQ(v, 1514);
    CHECK_EQ(TtOidQuery(&c, OID_GEN_LINK_SPEED, &v, 4, &written, &needed), 0);
    CHECK_EQ(v, 10000000); /* 1 Gbit/s in 100 bit/s units */
    CHECK_EQ(TtOidQuery(&c, OID_GEN_MEDIA_CONNECT_STATUS, &v, 4, &written, &needed), 0);
    CHECK_EQ(v, NdisMediaStateConnected);
    c.MediaConnected = FALSE;
    CHECK_EQ(TtOidQuery(&c, OID_GEN_MEDIA_CONNECT_STATUS, &v, 4, &written, &needed), 0);
    CHECK_EQ(v, NdisMediaStateDisconnected);
    CHECK_EQ(TtOidQuery(&c, OID_802_3_PERMANENT_ADDRESS, mac, 6, &written, &needed), 0);
    CHECK_EQ(written, 6);
    CHECK_MEM(mac, c.PermanentAddress, 6);
}

static void vendor_description_is_utf16le(void)
{
    TT_OID_CONTEXT c;
    context(&c);
    static const UCHAR expected[] = {'t', 0, 'u', 0, 'n', 0, 't', 0, 'a', 0, 'p', 0, '6', 0,
                                     ' ', 0, 'T', 0, 'A', 0, 'P', 0, ' ', 0, 'a', 0, 'd', 0,
                                     'a', 0, 'p', 0, 't', 0, 'e', 0, 'r', 0, 0,   0};
    UCHAR buf[64];
    ULONG written = 0, needed = 0;
    memset(buf, 0xAA, sizeof(buf));
    CHECK_EQ(TtOidQuery(&c, OID_GEN_VENDOR_DESCRIPTION, buf, sizeof(buf), &written, &needed),
             NDIS_STATUS_SUCCESS);
    CHECK_EQ(written, sizeof(expected));
    CHECK_MEM(buf, expected, sizeof(expected));
    CHECK_EQ(buf[sizeof(expected)], 0xAA); /* nothing past the terminator */
    CHECK_EQ(TtOidQuery(&c, OID_GEN_VENDOR_DESCRIPTION, buf, sizeof(expected) - 1, &written,
                        &needed),
             NDIS_STATUS_BUFFER_TOO_SHORT);
    CHECK_EQ(needed, sizeof(expected));
}

static void counters_shrink_to_ulong(void)
{
    TT_OID_CONTEXT c;
    context(&c);
    c.Counters.XmitOk = 0x100000005ull;
    ULONG64 wide = 0;
    ULONG narrow = 0, written, needed;
    CHECK_EQ(TtOidQuery(&c, OID_GEN_XMIT_OK, &wide, 8, &written, &needed), 0);
    CHECK_EQ(written, 8);
    CHECK(wide == 0x100000005ull);
    CHECK_EQ(TtOidQuery(&c, OID_GEN_XMIT_OK, &narrow, 4, &written, &needed), 0);
    CHECK_EQ(written, 4);
    CHECK_EQ(narrow, 5);
    CHECK_EQ(TtOidQuery(&c, OID_GEN_XMIT_OK, &narrow, 3, &written, &needed),
             NDIS_STATUS_BUFFER_TOO_SHORT);
    CHECK_EQ(needed, 8);
}

static void statistics_structure(void)
{
    /* Same numbers as check_against_mingw.c asserts for the real header. */
    CHECK_EQ(sizeof(NDIS_STATISTICS_INFO), 152);
    CHECK_EQ(offsetof(NDIS_STATISTICS_INFO, ifInDiscards), 8);
    CHECK_EQ(offsetof(NDIS_STATISTICS_INFO, ifHCOutBroadcastOctets), 144);
    TT_OID_CONTEXT c;
    context(&c);
    c.Counters.RcvOk = 7;
    c.Counters.XmitBytes = 900;
    NDIS_STATISTICS_INFO st;
    ULONG written, needed;
    CHECK_EQ(TtOidQuery(&c, OID_GEN_STATISTICS, &st, sizeof(st), &written, &needed), 0);
    CHECK_EQ(written, sizeof(st));
    CHECK_EQ(st.Header.Type, NDIS_OBJECT_TYPE_DEFAULT);
    CHECK_EQ(st.Header.Size, NDIS_SIZEOF_STATISTICS_INFO_REVISION_1);
    CHECK(st.ifHCInUcastPkts == 7);
    CHECK(st.ifHCOutOctets == 900);
}

static void set_packet_filter_and_lookahead(void)
{
    TT_OID_CONTEXT c;
    context(&c);
    ULONG v = NDIS_PACKET_TYPE_DIRECTED | NDIS_PACKET_TYPE_BROADCAST, read, needed;
    CHECK_EQ(TtOidSet(&c, OID_GEN_CURRENT_PACKET_FILTER, &v, 4, &read, &needed), 0);
    CHECK_EQ(read, 4);
    CHECK_EQ(c.PacketFilter, v);
    v = 0x00001000; /* NDIS_PACKET_TYPE_ALL_LOCAL: not supported */
    CHECK_EQ(TtOidSet(&c, OID_GEN_CURRENT_PACKET_FILTER, &v, 4, &read, &needed),
             NDIS_STATUS_NOT_SUPPORTED);
    CHECK_EQ(TtOidSet(&c, OID_GEN_CURRENT_PACKET_FILTER, &v, 3, &read, &needed),
             NDIS_STATUS_INVALID_LENGTH);
    CHECK_EQ(needed, 4);
    v = 1501;
    CHECK_EQ(TtOidSet(&c, OID_GEN_CURRENT_LOOKAHEAD, &v, 4, &read, &needed),
             NDIS_STATUS_INVALID_DATA);
    v = 128;
    CHECK_EQ(TtOidSet(&c, OID_GEN_CURRENT_LOOKAHEAD, &v, 4, &read, &needed), 0);
    CHECK_EQ(c.Lookahead, 128);
}

static void multicast_list(void)
{
    TT_OID_CONTEXT c;
    context(&c);
    UCHAR list[33 * 6];
    memset(list, 0x01, sizeof(list));
    ULONG read, needed, written;
    CHECK_EQ(TtOidSet(&c, OID_802_3_MULTICAST_LIST, list, 12, &read, &needed), 0);
    CHECK_EQ(c.MulticastCount, 2);
    CHECK_EQ(TtOidSet(&c, OID_802_3_MULTICAST_LIST, list, 13, &read, &needed),
             NDIS_STATUS_INVALID_LENGTH);
    CHECK_EQ(TtOidSet(&c, OID_802_3_MULTICAST_LIST, list, sizeof(list), &read, &needed),
             NDIS_STATUS_MULTICAST_FULL);
    CHECK_EQ(c.MulticastCount, 2);
    UCHAR out[64];
    CHECK_EQ(TtOidQuery(&c, OID_802_3_MULTICAST_LIST, out, sizeof(out), &written, &needed), 0);
    CHECK_EQ(written, 12);
    CHECK_EQ(TtOidSet(&c, OID_802_3_MULTICAST_LIST, NULL, 0, &read, &needed), 0);
    CHECK_EQ(c.MulticastCount, 0);
}

/* Mandatory OIDs for miniport drivers: interrupt moderation (query and
 * set) and link parameters (set); power OIDs for the PM capabilities. */
static void mandatory_oids_answer(void)
{
    TT_OID_CONTEXT c;
    context(&c);
    NDIS_INTERRUPT_MODERATION_PARAMETERS m;
    ULONG written = 0, needed = 0, read = 0;
    CHECK_EQ(TtOidQuery(&c, OID_GEN_INTERRUPT_MODERATION, &m, sizeof(m), &written, &needed),
             NDIS_STATUS_SUCCESS);
    CHECK_EQ(written, NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1);
    CHECK_EQ(m.Header.Type, NDIS_OBJECT_TYPE_DEFAULT);
    CHECK_EQ(m.Header.Revision, NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1);
    CHECK_EQ(m.InterruptModeration, NdisInterruptModerationNotSupported);
    CHECK_EQ(TtOidSet(&c, OID_GEN_INTERRUPT_MODERATION, &m, sizeof(m), &read, &needed),
             NDIS_STATUS_INVALID_DATA);
    NDIS_LINK_PARAMETERS lp;
    memset(&lp, 0, sizeof(lp));
    CHECK_EQ(TtOidSet(&c, OID_GEN_LINK_PARAMETERS, &lp, sizeof(lp), &read, &needed),
             NDIS_STATUS_SUCCESS);
    CHECK_EQ(TtOidSet(&c, OID_GEN_LINK_PARAMETERS, &lp, 8, &read, &needed),
             NDIS_STATUS_INVALID_LENGTH);
    CHECK_EQ(needed, NDIS_SIZEOF_LINK_PARAMETERS_REVISION_1);
    ULONG d3 = 4;
    CHECK_EQ(TtOidQuery(&c, OID_PNP_QUERY_POWER, &d3, sizeof(d3), &written, &needed),
             NDIS_STATUS_SUCCESS);
    CHECK_EQ(TtOidSet(&c, OID_PNP_SET_POWER, &d3, sizeof(d3), &read, &needed),
             NDIS_STATUS_SUCCESS);
    CHECK_EQ(c.PowerState, 4);
}

void suite_oid(void)
{
    RUN(mandatory_oids_answer);
    RUN(every_supported_oid_answers);
    RUN(unknown_oid_not_supported);
    RUN(short_buffer_reports_needed);
    RUN(values_are_right);
    RUN(vendor_description_is_utf16le);
    RUN(counters_shrink_to_ulong);
    RUN(statistics_structure);
    RUN(set_packet_filter_and_lookahead);
    RUN(multicast_list);
}
