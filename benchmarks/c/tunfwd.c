/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TUN <-> TUN forwarder between two network namespaces: one blocking thread per direction, read() from one
 * device and write() into the other. With VNET=1 both devices carry IFF_VNET_HDR and offloads are switched on,
 * so TCP super-packets of up to 64 KB cross whole, their virtio_net_hdr passed on unchanged.
 * usage: tunfwd NS_A DEV_A NS_B DEV_B VNET   (runs until killed)
 */
#include "common.h"
#include <pthread.h>
#include <signal.h>

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20 /* <linux/if_tun.h> since 6.2; older uapi headers lack it */
#define TUN_F_USO6 0x40
#endif

struct pump { int from, to; long packets, errors; };

static void *run(void *arg) {
    struct pump *p = arg;
    uint8_t *buf = malloc(65536 + 64);
    for (;;) {
        ssize_t n = read(p->from, buf, 65536 + 64);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("read");
        }
        /* A refused packet (e.g. while the other side is not up yet) is lost, as on a wire. */
        if (write(p->to, buf, n) != n) p->errors++;
        p->packets++;
    }
    return NULL;
}

static int open_in(const char *ns, const char *dev, int vnet) {
    enter_netns(ns);
    int fd = tun_attach(dev, vnet ? IFF_VNET_HDR : 0);
    if (vnet) {
        unsigned long all = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6;
        /* Kernels before 6.2 refuse the USO bits: fall back to TCP segmentation offload only. */
        if (ioctl(fd, TUNSETOFFLOAD, all) < 0 && ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) < 0)
            die("ioctl TUNSETOFFLOAD");
    }
    return fd;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: tunfwd NS_A DEV_A NS_B DEV_B VNET\n"); return 2; }
    int vnet = atoi(argv[5]);
    int a = open_in(argv[1], argv[2], vnet);
    int b = open_in(argv[3], argv[4], vnet);
    struct pump ab = { a, b, 0, 0 }, ba = { b, a, 0, 0 };
    pthread_t t1, t2;
    if (pthread_create(&t1, NULL, run, &ab) || pthread_create(&t2, NULL, run, &ba)) die("pthread_create");
    printf("READY\n");
    fflush(stdout);
    pthread_join(t1, NULL);
    return 0;
}
