/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packets.h - builders of well-formed test frames (ARP, IPv4/UDP, DHCP,
 * IPv6 Neighbor Solicitation). Used by the unit tests and by the fuzz seed
 * generator. Each writes a complete Ethernet frame into buf (which must hold
 * PK_FRAME_MAX bytes) and returns its length.
 */
#ifndef TT_TEST_PACKETS_H
#define TT_TEST_PACKETS_H

#include <stddef.h>
#include <stdint.h>

#define PK_FRAME_MAX 1600

extern const uint8_t pk_host_mac[6];

size_t pk_arp_request(uint8_t *buf, const uint8_t sender_mac[6], uint32_t sender_ip,
                      uint32_t target_ip);

/* IPv4/UDP frame to dst_mac; checksums valid. */
size_t pk_ipv4_udp(uint8_t *buf, const uint8_t dst_mac[6], uint32_t src_ip, uint32_t dst_ip,
                   uint16_t src_port, uint16_t dst_port, const uint8_t *payload, size_t len);

/* IPv4 frame with an arbitrary protocol and payload_len zero bytes. */
size_t pk_ipv4(uint8_t *buf, const uint8_t dst_mac[6], uint32_t src_ip, uint32_t dst_ip,
               uint8_t protocol, size_t payload_len);

/* DHCP client message (broadcast frame from pk_host_mac). Options 50 and 54
 * are included when requested_ip / server_id are non-zero. */
size_t pk_dhcp(uint8_t *buf, uint8_t type, uint32_t xid, uint32_t ciaddr, uint16_t flags,
               uint32_t requested_ip, uint32_t server_id);

/* IPv6 Neighbor Solicitation; hop limit 255, checksum valid. */
size_t pk_ns(uint8_t *buf, const uint8_t src_ip[16], const uint8_t dst_ip[16],
             const uint8_t target[16], int with_source_lladdr);

/* IPv6 frame (next header 17, payload_len zero bytes) to dst_mac. */
size_t pk_ipv6(uint8_t *buf, const uint8_t dst_mac[6], size_t payload_len);

/* Fills the solicited-node multicast address ff02::1:ffXX:XXXX of target. */
void pk_solicited_node(uint8_t out[16], const uint8_t target[16]);

#endif /* TT_TEST_PACKETS_H */
