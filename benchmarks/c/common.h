/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the C baseline programs: attach to a TUN device, enter a namespace, build packets, time. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static inline void die(const char *what) {
    perror(what);
    exit(1);
}

static inline double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Attaches to the TUN device NAME (the harness made it persistent and configured it) with FLAGS added. */
static inline int tun_attach(const char *name, int extra_flags) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) die("open /dev/net/tun");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI | extra_flags;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) die("ioctl TUNSETIFF");
    return fd;
}

/* Moves the calling thread into the named network namespace (made with 'ip netns add'). */
static inline void enter_netns(const char *name) {
    char path[256];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(path);
    if (setns(fd, CLONE_NEWNET) < 0) die("setns");
    close(fd);
}

static inline uint16_t ip_checksum(const uint8_t *p, int len) {
    uint32_t sum = 0;
    for (int i = 0; i + 1 < len; i += 2) sum += (uint32_t)p[i] << 8 | p[i + 1];
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* An IPv4/UDP packet of SIZE bytes in total, SRC -> DST (host byte order), UDP checksum 0 (allowed on IPv4). */
static inline void build_udp4(uint8_t *p, int size, uint32_t src, uint32_t dst) {
    memset(p, 0, size);
    p[0] = 0x45;
    p[2] = size >> 8; p[3] = size & 0xff;
    p[6] = 0x40;                 /* don't fragment */
    p[8] = 64; p[9] = 17;        /* TTL, UDP */
    for (int i = 0; i < 4; i++) { p[12 + i] = src >> (24 - 8 * i); p[16 + i] = dst >> (24 - 8 * i); }
    uint16_t c = ip_checksum(p, 20);
    p[10] = c >> 8; p[11] = c & 0xff;
    p[20] = 0x30; p[21] = 0x39;  /* source port 12345 */
    p[22] = 0x00; p[23] = 0x09;  /* discard */
    int ulen = size - 20;
    p[24] = ulen >> 8; p[25] = ulen & 0xff;
}

static inline long read_stat(const char *dev, const char *stat) {
    char path[256];
    snprintf(path, sizeof path, "/sys/class/net/%s/statistics/%s", dev, stat);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long v = -1;
    if (fscanf(f, "%ld", &v) != 1) v = -1;
    fclose(f);
    return v;
}

/* CPU time of the calling thread (user + system), so that a figure counts only the work of the loop. */
static inline double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static inline double median(double *v, int n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
