/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Write baseline: one write() per packet into a TUN device, UDP/IPv4 to 239.1.1.1. Nobody joined that group,
 * so the stack drops each packet at route input: the cheapest complete trip through the write path.
 * usage: tunwrite DEV SIZE COUNT RUNS   (prints the median packets per second over RUNS, of wall and of thread CPU time)
 */
#include "common.h"

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: tunwrite DEV SIZE COUNT RUNS\n"); return 2; }
    const char *dev = argv[1];
    int size = atoi(argv[2]);
    long count = atol(argv[3]);
    int runs = atoi(argv[4]);
    if (size < 28 || size > 65535 || count < 1 || runs < 1 || runs > 100) { fprintf(stderr, "bad arguments\n"); return 2; }
    int fd = tun_attach(dev, 0);
    uint8_t *pkt = malloc(size);
    build_udp4(pkt, size, 0x0ac90102 /* 10.201.1.2 */, 0xef010101 /* 239.1.1.1 */);
    double pps[100], cpu[100];
    for (int r = 0; r < runs; r++) {
        double t0 = now_s(), c0 = cpu_s();
        for (long i = 0; i < count; i++) {
            if (write(fd, pkt, size) != size) die("write");
        }
        pps[r] = count / (now_s() - t0);
        cpu[r] = count / (cpu_s() - c0);
    }
    printf("RESULT pps=%.0f cpu_pps=%.0f\n", median(pps, runs), median(cpu, runs));
    return 0;
}
