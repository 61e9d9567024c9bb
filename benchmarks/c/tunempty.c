/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-call baseline: read() on a TUN device whose queue is empty, non-blocking, so every call is one system
 * call that answers EAGAIN at once. Next to the same loop through tuntap, it shows what a call costs beyond
 * the system call itself, without the kernel's per-packet work, which dominates and varies in the other rows.
 *
 * With PAGES, each call is followed by a load from each of PAGES distinct pages (a cache line each, the lines
 * rotating so that the data stays in cache), as a Java call touches its objects, code and thread state
 * spread over several pages. With "nosyscall" the loop makes only those loads. The two together show what a
 * system call does to the next memory accesses: on a VM that flushes the TLB at every kernel entry or exit,
 * each page touched after the call costs a page walk.
 *
 * usage: tunempty DEV COUNT RUNS [PAGES [nosyscall]]   (prints the median ns of thread CPU time per call)
 */
#include "common.h"

#define MAX_PAGES 256
#define PAGE 4096L

int main(int argc, char **argv) {
    if (argc < 4 || argc > 6) { fprintf(stderr, "usage: tunempty DEV COUNT RUNS [PAGES [nosyscall]]\n"); return 2; }
    long count = atol(argv[2]);
    int runs = atoi(argv[3]);
    int pages = argc > 4 ? atoi(argv[4]) : 0;
    int syscalls = !(argc > 5 && strcmp(argv[5], "nosyscall") == 0);
    if (count < 1 || runs < 1 || runs > 100 || pages < 0 || pages > MAX_PAGES) { fprintf(stderr, "bad arguments\n"); return 2; }
    int fd = tun_attach(argv[1], 0);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl");
    uint8_t *buf = malloc(65536);
    /* Pages 8 apart, so that neighbouring pages' entries and the hardware prefetcher do not help. */
    volatile uint8_t *memory = aligned_alloc(PAGE, MAX_PAGES * 8 * PAGE);
    if (memory == NULL) die("aligned_alloc");
    for (long i = 0; i < MAX_PAGES * 8 * PAGE; i += 64) memory[i] = 1;
    unsigned long sum = 0;
    double ns[100];
    for (int r = 0; r < runs; r++) {
        double c0 = cpu_s();
        for (long i = 0; i < count; i++) {
            if (syscalls && (read(fd, buf, 65536) >= 0 || errno != EAGAIN)) {
                fprintf(stderr, "tunempty: the device's queue is not empty (is IPv6 off in its namespace?)\n");
                return 1;
            }
            for (int p = 0; p < pages; p++) sum += memory[p * 8 * PAGE + (i & 63) * 64];
        }
        ns[r] = (cpu_s() - c0) * 1e9 / count;
    }
    printf("RESULT ns=%.0f checksum=%lu\n", median(ns, runs), sum & 1);
    return 0;
}
