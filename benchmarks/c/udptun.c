/* SPDX-License-Identifier: Apache-2.0 */
/*
 * C UDP tunnel endpoint, same wire format as the example tunnel and socat (one raw IP packet per datagram):
 * one blocking thread reads the device and sends, another receives and writes the device.
 * usage: udptun DEV LOCAL_IP PORT REMOTE_IP PORT   (runs until killed)
 */
#include "common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

static int tun, sock;

static void *dev_to_udp(void *arg) {
    (void)arg;
    uint8_t *buf = malloc(65536);
    for (;;) {
        ssize_t n = read(tun, buf, 65536);
        if (n < 0) { if (errno == EINTR) continue; die("read"); }
        send(sock, buf, n, 0); /* a refused datagram is lost, as on a wire */
    }
    return NULL;
}

static void *udp_to_dev(void *arg) {
    (void)arg;
    uint8_t *buf = malloc(65536);
    for (;;) {
        ssize_t n = recv(sock, buf, 65536, 0);
        if (n <= 0) continue;
        write(tun, buf, n);
    }
    return NULL;
}

static struct sockaddr_in addr(const char *ip, const char *port) {
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
    if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) { fprintf(stderr, "bad address %s\n", ip); exit(2); }
    return a;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: udptun DEV LOCAL_IP PORT REMOTE_IP PORT\n"); return 2; }
    tun = tun_attach(argv[1], 0);
    sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock < 0) die("socket");
    struct sockaddr_in local = addr(argv[2], argv[3]), remote = addr(argv[4], argv[5]);
    if (bind(sock, (struct sockaddr *)&local, sizeof local) < 0) die("bind");
    if (connect(sock, (struct sockaddr *)&remote, sizeof remote) < 0) die("connect");
    pthread_t t1, t2;
    if (pthread_create(&t1, NULL, dev_to_udp, NULL) || pthread_create(&t2, NULL, udp_to_dev, NULL)) die("pthread_create");
    printf("READY\n");
    fflush(stdout);
    pthread_join(t1, NULL);
    return 0;
}
