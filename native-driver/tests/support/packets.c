/* SPDX-License-Identifier: Apache-2.0 */
#include "packets.h"

#include <string.h>

#include "../../core/tt_bytes.h"
#include "../../core/tt_checksum.h"
#include "../../core/tt_ipv4.h"

const uint8_t pk_host_mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t broadcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

static size_t eth(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
    memcpy(buf, dst, 6);
    memcpy(buf + 6, src, 6);
    tt_put_be16(buf + 12, type);
    return 14;
}

size_t pk_arp_request(uint8_t *buf, const uint8_t sender_mac[6], uint32_t sender_ip,
                      uint32_t target_ip)
{
    size_t n = eth(buf, broadcast, sender_mac, 0x0806);
    uint8_t *a = buf + n;
    tt_put_be16(a, 1);
    tt_put_be16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    tt_put_be16(a + 6, 1);
    memcpy(a + 8, sender_mac, 6);
    tt_put_be32(a + 14, sender_ip);
    memset(a + 18, 0, 6);
    tt_put_be32(a + 24, target_ip);
    return n + 28;
}

size_t pk_ipv4_udp(uint8_t *buf, const uint8_t dst_mac[6], uint32_t src_ip, uint32_t dst_ip,
                   uint16_t src_port, uint16_t dst_port, const uint8_t *payload, size_t len)
{
    size_t n = eth(buf, dst_mac, pk_host_mac, 0x0800);
    if (len > 0) {
        memcpy(buf + n + 28, payload, len);
    }
    tt_udp_write_header(buf + n + 20, src_ip, dst_ip, src_port, dst_port, len);
    tt_ipv4_write_header(buf + n, 17, 64, src_ip, dst_ip, 8 + len);
    return n + 28 + len;
}

size_t pk_ipv4(uint8_t *buf, const uint8_t dst_mac[6], uint32_t src_ip, uint32_t dst_ip,
               uint8_t protocol, size_t payload_len)
{
    size_t n = eth(buf, dst_mac, pk_host_mac, 0x0800);
    memset(buf + n + 20, 0, payload_len);
    tt_ipv4_write_header(buf + n, protocol, 64, src_ip, dst_ip, payload_len);
    return n + 20 + payload_len;
}

size_t pk_dhcp(uint8_t *buf, uint8_t type, uint32_t xid, uint32_t ciaddr, uint16_t flags,
               uint32_t requested_ip, uint32_t server_id)
{
    uint8_t msg[300];
    memset(msg, 0, sizeof(msg));
    msg[0] = 1; /* BOOTREQUEST */
    msg[1] = 1;
    msg[2] = 6;
    tt_put_be32(msg + 4, xid);
    tt_put_be16(msg + 10, flags);
    tt_put_be32(msg + 12, ciaddr);
    memcpy(msg + 28, pk_host_mac, 6);
    msg[236] = 99;
    msg[237] = 130;
    msg[238] = 83;
    msg[239] = 99;
    size_t o = 240;
    msg[o++] = 53;
    msg[o++] = 1;
    msg[o++] = type;
    if (requested_ip != 0) {
        msg[o++] = 50;
        msg[o++] = 4;
        tt_put_be32(msg + o, requested_ip);
        o += 4;
    }
    if (server_id != 0) {
        msg[o++] = 54;
        msg[o++] = 4;
        tt_put_be32(msg + o, server_id);
        o += 4;
    }
    msg[o++] = 55; /* parameter request list: mask, router, DNS */
    msg[o++] = 3;
    msg[o++] = 1;
    msg[o++] = 3;
    msg[o++] = 6;
    msg[o++] = 255;
    return pk_ipv4_udp(buf, broadcast, ciaddr, 0xFFFFFFFFu, 68, 67, msg, sizeof(msg));
}

void pk_solicited_node(uint8_t out[16], const uint8_t target[16])
{
    static const uint8_t prefix[13] = {0xFF, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xFF};
    memcpy(out, prefix, 13);
    memcpy(out + 13, target + 13, 3);
}

size_t pk_ns(uint8_t *buf, const uint8_t src_ip[16], const uint8_t dst_ip[16],
             const uint8_t target[16], int with_source_lladdr)
{
    static const uint8_t mcast_mac[6] = {0x33, 0x33, 0xFF, 0x00, 0x00, 0x08};
    size_t n = eth(buf, mcast_mac, pk_host_mac, 0x86DD);
    uint8_t *ip = buf + n;
    size_t icmp_len = 24 + (with_source_lladdr ? 8 : 0);
    memset(ip, 0, 40);
    ip[0] = 0x60;
    tt_put_be16(ip + 4, (uint16_t)icmp_len);
    ip[6] = 58;
    ip[7] = 255;
    memcpy(ip + 8, src_ip, 16);
    memcpy(ip + 24, dst_ip, 16);
    uint8_t *icmp = ip + 40;
    memset(icmp, 0, icmp_len);
    icmp[0] = 135;
    memcpy(icmp + 8, target, 16);
    if (with_source_lladdr) {
        icmp[24] = 1;
        icmp[25] = 1;
        memcpy(icmp + 26, pk_host_mac, 6);
    }
    uint32_t sum = tt_csum_ipv6_pseudo(src_ip, dst_ip, (uint32_t)icmp_len, 58);
    tt_put_be16(icmp + 2, tt_csum_finish(tt_csum_add(sum, icmp, icmp_len)));
    return n + 40 + icmp_len;
}

size_t pk_ipv6(uint8_t *buf, const uint8_t dst_mac[6], size_t payload_len)
{
    size_t n = eth(buf, dst_mac, pk_host_mac, 0x86DD);
    uint8_t *ip = buf + n;
    memset(ip, 0, 40 + payload_len);
    ip[0] = 0x60;
    tt_put_be16(ip + 4, (uint16_t)payload_len);
    ip[6] = 17;
    ip[7] = 64;
    ip[8] = 0xFE;
    ip[9] = 0x80;
    ip[23] = 1;
    ip[24] = 0x20;
    ip[25] = 0x01;
    ip[39] = 2;
    return n + 40 + payload_len;
}
