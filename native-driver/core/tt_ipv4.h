/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_ipv4.h - bounds-checked views of IPv4 (RFC 791) and UDP (RFC 768)
 * headers. A view points into the caller's buffer; it owns nothing and is
 * valid only as long as that buffer is.
 */
#ifndef TT_IPV4_H
#define TT_IPV4_H

#include "tt_types.h"
#include <stddef.h>

#include "tt_status.h"

#define TT_IPV4_MIN_HEADER_LEN 20u
#define TT_IPV4_PROTO_UDP      17u
#define TT_UDP_HEADER_LEN      8u

typedef struct tt_ipv4_view {
    const uint8_t *header;   /* start of the IPv4 header                 */
    size_t header_length;    /* IHL * 4, 20..60                          */
    size_t total_length;     /* Total Length field; <= buffer length     */
    uint8_t protocol;
    uint8_t ttl;
    uint32_t src;            /* host byte order                          */
    uint32_t dst;            /* host byte order                          */
    bool is_fragment;        /* MF set or non-zero fragment offset       */
    const uint8_t *payload;  /* header + header_length                   */
    size_t payload_length;   /* total_length - header_length             */
} tt_ipv4_view;

typedef struct tt_udp_view {
    uint16_t src_port;
    uint16_t dst_port;
    uint16_t checksum;       /* 0 means "not computed" (RFC 768)          */
    const uint8_t *payload;
    size_t payload_length;   /* UDP Length field - 8                      */
} tt_udp_view;

/*
 * Parses the IPv4 packet in the first len bytes of pkt. Trailing bytes
 * beyond Total Length (Ethernet padding) are allowed and ignored.
 * Returns TT_OK, or TT_E_MALFORMED when: len < 20, version != 4, IHL < 5,
 * Total Length < IHL*4 or > len, or the header checksum is wrong.
 */
tt_status tt_ipv4_parse(const uint8_t *pkt, size_t len, tt_ipv4_view *view);

/*
 * Parses the UDP datagram carried by an unfragmented IPv4 view. Returns
 * TT_OK, or TT_E_MALFORMED when the protocol is not UDP, the packet is a
 * fragment, the UDP Length is < 8 or exceeds the IP payload, or a non-zero
 * checksum does not verify.
 */
tt_status tt_udp_parse(const tt_ipv4_view *ip, tt_udp_view *udp);

/*
 * Writes a 20-byte IPv4 header (no options, DF clear, ID 0, checksum filled)
 * at out for a payload of payload_len bytes. The caller guarantees 20
 * writable bytes and payload_len <= 65515.
 */
void tt_ipv4_write_header(uint8_t *out, uint8_t protocol, uint8_t ttl,
                          uint32_t src, uint32_t dst, size_t payload_len);

/*
 * Writes the 8-byte UDP header in front of the payload_len bytes that the
 * caller has already placed at udp + 8, and fills in the checksum over the
 * RFC 768 pseudo-header. The caller guarantees 8 + payload_len bytes at udp.
 */
void tt_udp_write_header(uint8_t *udp, uint32_t src_ip, uint32_t dst_ip,
                         uint16_t src_port, uint16_t dst_port, size_t payload_len);

#endif /* TT_IPV4_H */
