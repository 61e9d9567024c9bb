/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_engine.h - what the driver does with each frame, in both directions.
 *
 * "host frame": an Ethernet frame the Windows network stack sent through the
 *   adapter (NDIS send path). It is passed on to user space (a pending
 *   ReadFile), answered locally (ARP, Neighbor Discovery, DHCP), or dropped.
 * "user write": a buffer user space wrote (WriteFile). It becomes a frame the
 *   driver indicates to the stack as received (NDIS receive path).
 *
 * Pure functions over a read-only tt_state; the caller owns all buffers.
 */
#ifndef TT_ENGINE_H
#define TT_ENGINE_H

#include <stddef.h>
#include "tt_types.h"

#include "tt_dhcp.h"
#include "tt_state.h"
#include "tt_status.h"

typedef enum tt_verdict {
    TT_VERDICT_DROP,        /* discard; reason says why                     */
    TT_VERDICT_TO_USER,     /* queue frame[user_offset .. +user_length]     */
    TT_VERDICT_REPLY        /* indicate reply[0 .. reply_length) to the host */
} tt_verdict;

typedef enum tt_drop_reason {
    TT_DROP_NONE,
    TT_DROP_MALFORMED,    /* failed a parser's checks                          */
    TT_DROP_NOT_DIRECTED, /* TUN mode: not unicast to the peer                  */
    TT_DROP_UNSUPPORTED,  /* TUN mode: neither IPv4, IPv6, ARP nor ND           */
    TT_DROP_UNANSWERED    /* ARP/ND/DHCP the driver owns but need not answer    */
} tt_drop_reason;

typedef struct tt_host_frame_result {
    tt_verdict verdict;
    tt_drop_reason reason;
    size_t user_offset;  /* TT_VERDICT_TO_USER */
    size_t user_length;
    size_t reply_length; /* TT_VERDICT_REPLY   */
} tt_host_frame_result;

/* Reply buffers must hold this much: the largest locally built answer. */
#define TT_ENGINE_REPLY_MAX TT_DHCP_REPLY_FRAME_MAX

/*
 * Decides the fate of one host frame (len bytes at frame).
 *   - DHCP masquerade on: IPv4/UDP to port 67 is answered (or dropped).
 *   - ARP requests are answered with the peer's MAC in TUN mode for any
 *     address in the remote network except the host's own, and with the
 *     DHCP server's MAC for the server address when the masquerade is on.
 *   - TUN mode: Neighbor Solicitations (except DAD) are answered with the
 *     peer's MAC; IPv4/IPv6 unicast to the peer's MAC go to user space
 *     without the Ethernet header and trimmed to the IP length; all else
 *     is dropped.
 *   - TAP mode: everything not answered goes to user space unchanged.
 * Returns TT_OK and fills *res (a malformed frame is a TT_OK DROP), or
 * TT_E_INVALID_PARAMETER / TT_E_BUFFER_TOO_SMALL (reply_cap <
 * TT_ENGINE_REPLY_MAX) for caller errors. user_offset + user_length <= len
 * and reply_length <= reply_cap always hold.
 */
tt_status tt_engine_host_frame(const tt_state *st, const uint8_t *frame, size_t len,
                               uint8_t *reply, size_t reply_cap, tt_host_frame_result *res);

/* Size of the frame that a valid user write of len bytes produces. */
size_t tt_engine_user_frame_length(const tt_state *st, size_t len);

/*
 * Turns a user write into the frame to indicate. TAP mode: data must be an
 * Ethernet frame of 14 .. 14 + MTU bytes (18 + MTU if 802.1Q-tagged) and is
 * copied. TUN mode: data must be an IPv4 (>= 20 bytes) or IPv6 (>= 40 bytes)
 * packet of at most MTU bytes; the Ethernet header "peer -> adapter" is
 * prepended. Returns TT_OK with *frame_len, TT_E_INVALID_PARAMETER for a
 * write that is not acceptable, TT_E_BUFFER_TOO_SMALL if cap is short.
 * frame and data must not overlap.
 */
tt_status tt_engine_user_write(const tt_state *st, const uint8_t *data, size_t len,
                               uint8_t *frame, size_t cap, size_t *frame_len);

#endif /* TT_ENGINE_H */
