/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Read baseline, drain style: fill the TUN device's queue (txqueuelen set large by the harness) with UDP
 * datagrams sent from a socket to an address routed through the device, then time read() until EAGAIN.
 * usage: tunread DEV SIZE COUNT RUNS DST_IP
 * prints the median packets per second over RUNS, and the tun tx_dropped delta over all fills.
 */
#include "common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: tunread DEV SIZE COUNT RUNS DST_IP\n"); return 2; }
    const char *dev = argv[1];
    int size = atoi(argv[2]);
    long count = atol(argv[3]);
    int runs = atoi(argv[4]);
    if (size < 28 || size > 65000 || count < 1 || runs < 1 || runs > 100) { fprintf(stderr, "bad arguments\n"); return 2; }
    int fd = tun_attach(dev, 0);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl");
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) die("socket");
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
    if (inet_pton(AF_INET, argv[5], &to.sin_addr) != 1) { fprintf(stderr, "bad DST_IP\n"); return 2; }
    if (connect(s, (struct sockaddr *)&to, sizeof to) < 0) die("connect");
    uint8_t *payload = calloc(1, size);
    uint8_t *buf = malloc(65536);
    /* Empty whatever the kernel queued before we started (nothing, if IPv6 is off in the namespace). */
    while (read(fd, buf, 65536) > 0) { }
    double pps[100], cpu[100];
    long dropped0 = read_stat(dev, "tx_dropped"), total_read = 0;
    for (int r = 0; r < runs; r++) {
        for (long i = 0; i < count; i++) {
            if (send(s, payload, size - 28, 0) < 0) die("send");
        }
        usleep(20000); /* let any packet still between socket and device arrive */
        long n = 0;
        double t0 = now_s(), c0 = cpu_s();
        for (;;) {
            ssize_t got = read(fd, buf, 65536);
            if (got < 0) {
                if (errno == EAGAIN) break;
                die("read");
            }
            n++;
        }
        /* includes the one final EAGAIN read (~0.3 us), negligible against ~10^5 packets */
        pps[r] = n / (now_s() - t0);
        cpu[r] = n / (cpu_s() - c0);
        total_read += n;
    }
    printf("RESULT pps=%.0f cpu_pps=%.0f read=%ld sent=%ld tx_dropped=%ld\n", median(pps, runs), median(cpu, runs),
           total_read, count * runs,
           read_stat(dev, "tx_dropped") - dropped0);
    return 0;
}
