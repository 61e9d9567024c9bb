/* SPDX-License-Identifier: Apache-2.0 */
/*
 * make_seeds - writes the seed corpora under tests/fuzz/corpus/<target>/.
 * Run by `make fuzz-seeds` when the packet builders change; the output is
 * committed so that `make check` never depends on this tool.
 * Usage: make_seeds <corpus-dir>
 */
#include <stdio.h>
#include <string.h>

#include "../../abi/tuntap_tap_ioctl.h"
#include "../../core/tt_bytes.h"
#include "../support/packets.h"

static const char *root;

static int write_seed(const char *target, const char *name, const uint8_t *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    return 0;
}

/* Engine seeds are a configuration byte followed by a frame. */
static int engine_seed(const char *name, uint8_t config, const uint8_t *frame, size_t len)
{
    uint8_t buf[PK_FRAME_MAX + 1];
    buf[0] = config;
    memcpy(buf + 1, frame, len);
    return write_seed("engine", name, buf, len + 1);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds <corpus-dir>\n");
        return 2;
    }
    root = argv[1];
    int err = 0;
    uint8_t f[PK_FRAME_MAX];
    size_t n;
    const uint8_t peer[6] = {0x06, 0x11, 0x22, 0x33, 0x44, 0x55};
    const uint8_t host_ll[16] = {0xFE, 0x80, [15] = 2};
    const uint8_t target_ll[16] = {0xFE, 0x80, [15] = 8};
    const uint8_t unspecified[16] = {0};
    uint8_t snm[16];
    pk_solicited_node(snm, target_ll);

    n = pk_arp_request(f, pk_host_mac, 0x0A080002, 0x0A080001);
    err |= write_seed("arp", "request", f + 14, n - 14);
    err |= write_seed("frame", "arp", f, n);
    err |= engine_seed("tun-arp", 0x05, f, n);
    err |= engine_seed("tap-arp", 0x00, f, n);

    n = pk_ipv4_udp(f, peer, 0x0A080002, 0x0A080001, 4000, 53, (const uint8_t *)"query", 5);
    err |= write_seed("ipv4", "udp", f + 14, n - 14);
    err |= write_seed("frame", "ipv4", f, n);
    err |= engine_seed("tun-ipv4", 0x05, f, n);
    n = pk_ipv4(f, peer, 0x0A080002, 0x0A080001, 1, 16);
    err |= write_seed("ipv4", "icmp", f + 14, n - 14);

    n = pk_ns(f, host_ll, snm, target_ll, 1);
    err |= write_seed("ipv6_nd", "ns-slla", f + 14, n - 14);
    err |= write_seed("frame", "ipv6-ns", f, n);
    err |= engine_seed("tun-ns", 0x01, f, n);
    n = pk_ns(f, unspecified, snm, target_ll, 0);
    err |= write_seed("ipv6_nd", "ns-dad", f + 14, n - 14);
    n = pk_ipv6(f, peer, 24);
    err |= write_seed("ipv6_nd", "udp6", f + 14, n - 14);
    err |= engine_seed("tun-ipv6", 0x01, f, n);

    static const struct { const char *name; uint8_t type; uint32_t ciaddr, req, sid; } dhcp[] = {
        {"discover", 1, 0, 0, 0},
        {"request-selecting", 3, 0, 0x0A080006, 0x0A080005},
        {"request-renewing", 3, 0x0A080006, 0, 0},
        {"inform", 8, 0x0A080006, 0, 0},
    };
    for (size_t i = 0; i < sizeof(dhcp) / sizeof(dhcp[0]); i++) {
        n = pk_dhcp(f, dhcp[i].type, 0x1000u + (uint32_t)i, dhcp[i].ciaddr, 0, dhcp[i].req,
                    dhcp[i].sid);
        err |= write_seed("dhcp", dhcp[i].name, f, n);
        char bare[64];
        snprintf(bare, sizeof(bare), "%s-bootp", dhcp[i].name);
        err |= write_seed("dhcp", bare, f + 42, n - 42);
    }
    n = pk_dhcp(f, 1, 7, 0, 0x8000, 0, 0);
    err |= write_seed("frame", "dhcp", f, n);
    err |= engine_seed("tap-dhcp", 0x02, f, n);
    const uint8_t user_opts[] = {6, 8, 10, 8, 0, 1, 10, 8, 0, 2, 15, 3, 'l', 'a', 'n'};
    err |= write_seed("dhcp", "user-options", user_opts, sizeof(user_opts));

    /* IOCTL seeds: code selector, output length, input. */
    uint8_t io[64];
    for (uint8_t fn = 1; fn <= 11; fn++) {
        memset(io, 0, sizeof(io));
        io[0] = fn;
        io[1] = 16;
        size_t in_len = 0;
        switch (fn) {
        case 5: tt_put_be32(io + 2, 0x0A080002); tt_put_be32(io + 6, 0x0A080001); in_len = 8; break;
        case 6: io[2] = 1; in_len = 4; break;
        case 7:
            tt_put_be32(io + 2, 0x0A080006); tt_put_be32(io + 6, 0xFFFFFFFC);
            tt_put_be32(io + 10, 0x0A080005); tt_put_le32(io + 14, 3600); in_len = 16; break;
        case 9: memcpy(io + 2, user_opts, sizeof(user_opts)); in_len = sizeof(user_opts); break;
        case 10:
            tt_put_be32(io + 2, 0x0A080002); tt_put_be32(io + 6, 0x0A080000);
            tt_put_be32(io + 10, 0xFFFFFF00); in_len = 12; break;
        case 11: in_len = 4; break;
        default: break;
        }
        char name[32];
        snprintf(name, sizeof(name), "fn%02u", fn);
        err |= write_seed("ioctl", name, io, 2 + in_len);
    }
    /* DHCP_MASQ then SET_OPT in one input (the second request starts at the
     * midpoint; byte 0 with bit 7 set also pre-enables DHCP). */
    memset(io, 0, sizeof(io));
    io[0] = 7; io[1] = 4;
    tt_put_be32(io + 2, 0x0A080006); tt_put_be32(io + 6, 0xFFFFFFFC);
    tt_put_be32(io + 10, 0x0A080005); tt_put_le32(io + 14, 3600);
    io[18] = 9; io[19] = 0; memcpy(io + 20, user_opts, sizeof(user_opts));
    err |= write_seed("ioctl", "masq-then-opt", io, 20 + sizeof(user_opts));
    return err;
}
