/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "../../core/tt_ether.h"
#include "../../core/tt_mac.h"
#include "../../core/tt_queue.h"
#include "../../core/tt_state.h"
#include "../support/harness.h"
#include "suites.h"

#define MAC_GOLDEN_A {0xC2, 0x96, 0xF2, 0xEB, 0x85, 0x75}

static int tokens[16];

static void queue_is_fifo(void)
{
    tt_queue_slot slots[4];
    tt_queue q;
    tt_queue_init(&q, slots, 4, 0);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(tt_queue_push(&q, &tokens[i], (uint32_t)(100 + i)), TT_OK);
    }
    uint32_t len = 0;
    CHECK(tt_queue_peek_length(&q, &len));
    CHECK_EQ(len, 100);
    for (int i = 0; i < 3; i++) {
        void *p = NULL;
        CHECK(tt_queue_pop(&q, &p, &len));
        CHECK(p == &tokens[i]);
        CHECK_EQ(len, 100 + i);
    }
    void *p;
    CHECK(!tt_queue_pop(&q, &p, &len));
    CHECK(!tt_queue_peek_length(&q, &len));
    CHECK_EQ(q.stats.enqueued, 3);
    CHECK_EQ(q.stats.dequeued, 3);
    CHECK_EQ(q.bytes, 0);
}

static void queue_counts_drops_when_full(void)
{
    tt_queue_slot slots[2];
    tt_queue q;
    tt_queue_init(&q, slots, 2, 0);
    CHECK_EQ(tt_queue_push(&q, &tokens[0], 1), TT_OK);
    CHECK_EQ(tt_queue_push(&q, &tokens[1], 1), TT_OK);
    CHECK_EQ(tt_queue_push(&q, &tokens[2], 1), TT_E_QUEUE_FULL);
    CHECK_EQ(tt_queue_push(&q, &tokens[3], 1), TT_E_QUEUE_FULL);
    CHECK_EQ(q.stats.dropped_full, 2);
    CHECK_EQ(tt_queue_count(&q), 2);
}

static void queue_byte_budget(void)
{
    tt_queue_slot slots[8];
    tt_queue q;
    tt_queue_init(&q, slots, 8, 3000);
    CHECK_EQ(tt_queue_push(&q, &tokens[0], 1500), TT_OK);
    CHECK_EQ(tt_queue_push(&q, &tokens[1], 1500), TT_OK);
    CHECK_EQ(tt_queue_push(&q, &tokens[2], 1), TT_E_QUEUE_FULL);
    CHECK_EQ(q.stats.dropped_bytes, 1);
    void *p;
    uint32_t len;
    CHECK(tt_queue_pop(&q, &p, &len));
    CHECK_EQ(tt_queue_push(&q, &tokens[2], 1500), TT_OK);
}

static void queue_wraps_around(void)
{
    tt_queue_slot slots[3];
    tt_queue q;
    tt_queue_init(&q, slots, 3, 0);
    int next_in = 0, next_out = 0;
    for (int round = 0; round < 10; round++) {
        while (tt_queue_push(&q, &tokens[next_in % 16], 1) == TT_OK) {
            next_in++;
        }
        void *p;
        uint32_t len;
        for (int k = 0; k < 2; k++) {
            CHECK(tt_queue_pop(&q, &p, &len));
            CHECK(p == &tokens[next_out % 16]);
            next_out++;
        }
    }
    CHECK_EQ(tt_queue_count(&q), (uint32_t)(next_in - next_out));
}

static const uint8_t guid_a[16] = {0x58, 0x34, 0x73, 0x2F, 0x0F, 0x49, 0x63, 0x4E,
                                   0xB7, 0x23, 0x66, 0xF7, 0xDE, 0xEC, 0x81, 0x93};

static void mac_is_local_unicast_and_role_distinct(void)
{
    uint8_t g[16];
    memcpy(g, guid_a, 16);
    for (int i = 0; i < 256; i++) {
        g[15] = (uint8_t)i;
        g[3] = (uint8_t)(i * 31);
        uint8_t a[6], p[6], d[6];
        tt_mac_from_guid(g, TT_MAC_ROLE_ADAPTER, a);
        tt_mac_from_guid(g, TT_MAC_ROLE_PEER, p);
        tt_mac_from_guid(g, TT_MAC_ROLE_DHCP_SERVER, d);
        CHECK(tt_mac_is_assignable(a));
        CHECK(tt_mac_is_assignable(p));
        CHECK(tt_mac_is_assignable(d));
        CHECK(memcmp(a, p, 6) != 0 && memcmp(a, d, 6) != 0 && memcmp(p, d, 6) != 0);
    }
}

/* Pinned value: the derivation is part of the adapter's identity (a MAC
 * that changed across driver versions would reset network profiles). */
static void mac_derivation_is_stable(void)
{
    uint8_t a[6];
    tt_mac_from_guid(guid_a, TT_MAC_ROLE_ADAPTER, a);
    const uint8_t expected[6] = MAC_GOLDEN_A;
    CHECK_MEM(a, expected, 6);
}

static void mac_assignable_rules(void)
{
    const uint8_t zero[6] = {0};
    const uint8_t multicast[6] = {0x03, 1, 2, 3, 4, 5};
    const uint8_t universal[6] = {0x00, 0x1B, 0x21, 1, 2, 3};
    const uint8_t local[6] = {0x02, 0, 0, 0, 0, 1};
    CHECK(!tt_mac_is_assignable(zero));
    CHECK(!tt_mac_is_assignable(multicast));
    CHECK(!tt_mac_is_assignable(universal));
    CHECK(tt_mac_is_assignable(local));
}

static void roles_from_administered_mac(void)
{
    const uint8_t admin[6] = {0x06, 0, 0, 0, 0, 7};
    uint8_t same[6], p[6], d[6];
    tt_mac_for_role(admin, TT_MAC_ROLE_ADAPTER, same);
    tt_mac_for_role(admin, TT_MAC_ROLE_PEER, p);
    tt_mac_for_role(admin, TT_MAC_ROLE_DHCP_SERVER, d);
    CHECK_MEM(same, admin, 6);
    CHECK(memcmp(p, admin, 6) != 0 && memcmp(d, admin, 6) != 0 && memcmp(p, d, 6) != 0);
    CHECK(tt_mac_is_assignable(p) && tt_mac_is_assignable(d));
}

static void state_init_clamps_and_defaults(void)
{
    const uint8_t mac[6] = {0x02, 1, 2, 3, 4, 5};
    tt_state st;
    tt_state_init(&st, mac, 9000, TT_MEDIA_APPLICATION_CONTROLLED, false);
    CHECK_EQ(st.mtu, TT_MTU_MAX);
    CHECK_EQ(st.mode, TT_MODE_TAP);
    CHECK(!tt_state_media_connected(&st));
    CHECK(!st.dhcp.enabled);
    tt_state_init(&st, mac, 10, TT_MEDIA_ALWAYS_CONNECTED, false);
    CHECK_EQ(st.mtu, TT_MTU_MIN);
    CHECK(tt_state_media_connected(&st));
}

static void state_reset_on_close(void)
{
    const uint8_t mac[6] = {0x02, 1, 2, 3, 4, 5};
    tt_state st;
    tt_state_init(&st, mac, 1500, TT_MEDIA_APPLICATION_CONTROLLED, false);
    st.mode = TT_MODE_TUN;
    st.dhcp.enabled = true;
    st.media_requested = true;
    CHECK(tt_state_reset_on_close(&st));
    CHECK_EQ(st.mode, TT_MODE_TAP);
    CHECK(!st.dhcp.enabled);
    CHECK(!tt_state_media_connected(&st));
    CHECK(!tt_state_reset_on_close(&st)); /* no change the second time */
    tt_state_init(&st, mac, 1500, TT_MEDIA_ALWAYS_CONNECTED, false);
    st.media_requested = true;
    CHECK(!tt_state_reset_on_close(&st)); /* always connected: stays up */
}

void suite_queue(void)
{
    RUN(queue_is_fifo);
    RUN(queue_counts_drops_when_full);
    RUN(queue_byte_budget);
    RUN(queue_wraps_around);
}

void suite_mac_state(void)
{
    RUN(mac_is_local_unicast_and_role_distinct);
    RUN(mac_derivation_is_stable);
    RUN(mac_assignable_rules);
    RUN(roles_from_administered_mac);
    RUN(state_init_clamps_and_defaults);
    RUN(state_reset_on_close);
}
