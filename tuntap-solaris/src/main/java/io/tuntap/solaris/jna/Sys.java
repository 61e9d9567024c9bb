// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * Flags and constants of illumos and Solaris that differ from Linux, or that the backend names: {@code <fcntl.h>},
 * {@code <poll.h>}, {@code <sys/socket.h>}, {@code <net/if.h>}.
 */
public final class Sys {
    /** open: read and write. */
    public static final int O_RDWR = 2;
    /** open, F_SETFL: non-blocking (0x80; Linux uses 0x800). */
    public static final int O_NONBLOCK = 0x80;
    /** open: close on exec (0x800000; illumos since 2013, Solaris 11). */
    public static final int O_CLOEXEC = 0x800000;
    /** fcntl: get the file status flags. */
    public static final int F_GETFL = 3;
    /** fcntl: set the file status flags. */
    public static final int F_SETFL = 4;
    /** fcntl: set the descriptor flags. */
    public static final int F_SETFD = 2;
    /** Descriptor flag: close on exec. */
    public static final int FD_CLOEXEC = 1;

    /** poll: data other than high-priority may be read. */
    public static final short POLLIN = 0x1;
    /** poll: a high-priority message is at the stream head. */
    public static final short POLLPRI = 0x2;
    /** poll: normal data may be written. */
    public static final short POLLOUT = 0x4;
    /** poll: an error message reached the stream head. */
    public static final short POLLERR = 0x8;
    /** poll: hung up. */
    public static final short POLLHUP = 0x10;
    /** poll: not an open fd. */
    public static final short POLLNVAL = 0x20;
    /** {@code struct pollfd { int fd; short events; short revents; }}. */
    public static final int POLLFD_SIZE = 8;

    /** IPv4. */
    public static final int AF_INET = 2;
    /** The routing socket family. */
    public static final int AF_ROUTE = 24;
    /** IPv6 (26; Linux uses 10, FreeBSD 28). */
    public static final int AF_INET6 = 26;
    /** Raw socket type (4; Linux uses 3). */
    public static final int SOCK_RAW = 4;

    /** The interface is administratively up. */
    public static final long IFF_UP = 0x1;
    /** Point-to-point link. */
    public static final long IFF_POINTOPOINT = 0x10;
    /** Resources allocated. */
    public static final long IFF_RUNNING = 0x40;
    /** No address resolution. */
    public static final long IFF_NOARP = 0x80;
    /** Supports multicast (0x800; the BSDs use 0x8000). */
    public static final long IFF_MULTICAST = 0x800;
    /** An IPv4 interface: given to SIOCSLIFNAME. */
    public static final long IFF_IPV4 = 0x1000000;
    /** An IPv6 interface: given to SIOCSLIFNAME. */
    public static final long IFF_IPV6 = 0x2000000;

    private Sys() {
    }
}
