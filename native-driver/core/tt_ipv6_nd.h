/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_ipv6_nd.h - IPv6 (RFC 8200) header views and Neighbor Discovery
 * (RFC 4861): validating Neighbor Solicitations and building the matching
 * Neighbor Advertisement. Views point into the caller's buffer.
 */
#ifndef TT_IPV6_ND_H
#define TT_IPV6_ND_H

#include "tt_types.h"
#include <stddef.h>

#include "tt_status.h"

#define TT_IPV6_HEADER_LEN    40u
#define TT_IPV6_NEXT_ICMPV6   58u
#define TT_ICMPV6_NS          135u
#define TT_ICMPV6_NA          136u
#define TT_ND_NS_MIN_LEN      24u  /* ICMPv6 header + reserved + target */
#define TT_ND_NA_LEN          32u  /* NA body + one target LL option     */
#define TT_ND_NA_FRAME_LEN    (14u + TT_IPV6_HEADER_LEN + TT_ND_NA_LEN)

typedef struct tt_ipv6_view {
    const uint8_t *src;     /* 16 bytes inside the packet */
    const uint8_t *dst;     /* 16 bytes inside the packet */
    uint8_t next_header;
    uint8_t hop_limit;
    const uint8_t *payload;
    size_t payload_length;  /* Payload Length field; <= buffer - 40 */
} tt_ipv6_view;

typedef struct tt_nd_solicitation {
    const uint8_t *target;   /* 16 bytes inside the packet             */
    bool source_unspecified; /* "::" source: Duplicate Address Detection */
    bool has_source_lladdr;
    uint8_t source_lladdr[6];
} tt_nd_solicitation;

/*
 * Parses the fixed IPv6 header of the len bytes at pkt. Extension headers
 * are not walked: next_header is the fixed header's value. Trailing bytes
 * past Payload Length are ignored. Returns TT_OK or TT_E_MALFORMED (short,
 * version != 6, Payload Length > len - 40).
 */
tt_status tt_ipv6_parse(const uint8_t *pkt, size_t len, tt_ipv6_view *view);

/*
 * Validates *ip as a Neighbor Solicitation following RFC 4861 section 7.1.1:
 * ICMPv6 directly after the fixed header, Hop Limit 255, valid ICMPv6
 * checksum, code 0, ICMP length >= 24, target not multicast, every option of
 * non-zero length and inside the packet, and for an unspecified source a
 * solicited-node multicast destination and no source link-layer option.
 * Returns TT_OK and fills *ns, or TT_E_MALFORMED (not an NS, or invalid).
 */
tt_status tt_nd_parse_solicitation(const tt_ipv6_view *ip, tt_nd_solicitation *ns);

/*
 * Builds a full Ethernet frame carrying the solicited Neighbor Advertisement
 * (RFC 4861 4.4 and 7.2.4) that says "ns->target is at responder_mac":
 * from the target address to the solicitation's source, Solicited and
 * Override set, Router clear, with a Target Link-Layer Address option.
 * The Ethernet destination is the source link-layer option if present,
 * else requester_mac (the solicitation frame's source).
 * Refuses (TT_E_INVALID_PARAMETER) a DAD solicitation (unspecified source):
 * answering it would tell the host its own tentative address is taken
 * (RFC 4862 5.4.3). Returns TT_OK with *out_len = TT_ND_NA_FRAME_LEN, or
 * TT_E_BUFFER_TOO_SMALL when cap is smaller (nothing written). out must not
 * overlap the solicitation.
 */
tt_status tt_nd_build_advertisement(const tt_ipv6_view *ip, const tt_nd_solicitation *ns,
                                    const uint8_t requester_mac[6],
                                    const uint8_t responder_mac[6],
                                    uint8_t *out, size_t cap, size_t *out_len);

#endif /* TT_IPV6_ND_H */
