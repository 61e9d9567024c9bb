/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The write and read baselines of tunwrite.c and tunread.c, with io_uring: BATCH reads or writes per
 * io_uring_enter on a ring mapped once, the device a registered file.
 * usage: tunuring write DEV SIZE COUNT RUNS BATCH
 *        tunuring read  DEV SIZE COUNT RUNS BATCH DST_IP
 * Reads use a non-blocking fd, so a read with nothing queued completes at once with -EAGAIN, as read() does.
 * Also prints how many threads the process has at the end: more than one would mean the kernel handed
 * requests to io_uring worker threads instead of running them in the caller.
 * With TUNURING_LINK=1 in the environment, the writes of a batch are linked (IOSQE_IO_LINK), as tuntap links
 * them so that a failed packet stops the rest of its batch: the cost of that ordering, measured alone.
 */
#include "common.h"
#include "uring.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/fs.h>

static int thread_count(void) {
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d));) if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

int main(int argc, char **argv) {
    int writing = argc == 7 && !strcmp(argv[1], "write");
    int reading = argc == 8 && !strcmp(argv[1], "read");
    if (!writing && !reading) {
        fprintf(stderr, "usage: tunuring write DEV SIZE COUNT RUNS BATCH | read DEV SIZE COUNT RUNS BATCH DST_IP\n");
        return 2;
    }
    const char *link_env = getenv("TUNURING_LINK");
    int link = link_env && !strcmp(link_env, "1");
    const char *dev = argv[2];
    int size = atoi(argv[3]);
    long count = atol(argv[4]);
    int runs = atoi(argv[5]);
    unsigned batch = (unsigned)atoi(argv[6]);
    if (size < 28 || size > 65000 || count < 1 || runs < 1 || runs > 100 || batch < 1 || batch > 4096) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    int fd = tun_attach(dev, 0);
    struct ring r;
    if (ring_init(&r, batch, fd) < 0) die("io_uring");
    if (batch > r.entries) batch = r.entries;
    double pps[100], cpu[100];
    if (writing) {
        uint8_t *pkt = malloc(size);
        build_udp4(pkt, size, 0x0ac90102 /* 10.201.1.2 */, 0xef010101 /* 239.1.1.1 */);
        for (int run = 0; run < runs; run++) {
            double t0 = now_s(), c0 = cpu_s();
            for (long i = 0; i < count; i += batch) {
                unsigned n = count - i < batch ? (unsigned)(count - i) : batch;
                for (unsigned j = 0; j < n; j++) {
                    uint8_t flags = link && j + 1 < n ? IOSQE_IO_LINK : 0;
                    ring_prep_flags(&r, IORING_OP_WRITE, flags, pkt, size, 0, j);
                }
                if (ring_submit_wait(&r, n) != (int)n) die("io_uring_enter");
                for (unsigned j = 0; j < n; j++) {
                    uint64_t tag;
                    int res = ring_reap(&r, &tag);
                    if (res != size) { errno = res < 0 ? -res : EIO; die("write (io_uring)"); }
                }
            }
            pps[run] = count / (now_s() - t0);
            cpu[run] = count / (cpu_s() - c0);
        }
        printf("RESULT pps=%.0f cpu_pps=%.0f batch=%u threads=%d\n", median(pps, runs), median(cpu, runs), batch,
               thread_count());
        ring_exit(&r);
        close(fd);
        return 0;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl");
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) die("socket");
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
    if (inet_pton(AF_INET, argv[7], &to.sin_addr) != 1) { fprintf(stderr, "bad DST_IP\n"); return 2; }
    if (connect(s, (struct sockaddr *)&to, sizeof to) < 0) die("connect");
    uint8_t *payload = calloc(1, size);
    /* One 2 KiB buffer per request of a batch, as the Java batch reader gives it. */
    uint8_t *bufs = malloc((size_t)batch * 2048);
    uint8_t *drain = malloc(65536);
    while (read(fd, drain, 65536) > 0) { }
    long dropped0 = read_stat(dev, "tx_dropped"), total_read = 0;
    for (int run = 0; run < runs; run++) {
        for (long i = 0; i < count; i++) {
            if (send(s, payload, size - 28, 0) < 0) die("send");
        }
        usleep(20000);
        long n = 0;
        double t0 = now_s(), c0 = cpu_s();
        for (;;) {
            for (unsigned j = 0; j < batch; j++) ring_prep(&r, IORING_OP_READ, bufs + (size_t)j * 2048, 2048, RWF_NOWAIT, j);
            if (ring_submit_wait(&r, batch) != (int)batch) die("io_uring_enter");
            unsigned got = 0, again = 0;
            for (unsigned j = 0; j < batch; j++) {
                uint64_t tag;
                int res = ring_reap(&r, &tag);
                if (res > 0) got++;
                else if (res == -EAGAIN) again++;
                else { errno = -res; die("read (io_uring)"); }
            }
            n += got;
            if (again) break; /* the queue ran empty within this batch: the plain loop's EAGAIN */
        }
        pps[run] = n / (now_s() - t0);
        cpu[run] = n / (cpu_s() - c0);
        total_read += n;
    }
    printf("RESULT pps=%.0f cpu_pps=%.0f read=%ld sent=%ld tx_dropped=%ld batch=%u threads=%d\n", median(pps, runs),
           median(cpu, runs), total_read,
           count * runs, read_stat(dev, "tx_dropped") - dropped0, batch, thread_count());
    ring_exit(&r);
    close(fd);
    return 0;
}
