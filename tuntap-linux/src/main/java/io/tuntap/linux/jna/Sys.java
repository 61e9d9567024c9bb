// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

/** Flags of {@code open}, {@code eventfd}, {@code socket}, {@code poll} and {@code setns} on Linux (generic and x86-64). */
public final class Sys {
    private Sys() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    /** Every fd is opened close-on-exec, so that no child process inherits a device. */
    public static final int O_CLOEXEC = 0x80000;

    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVBUFFORCE = 33;

    /** {@code sizeof(struct pollfd)}: int fd, short events, short revents. */
    public static final int POLLFD_SIZE = 8;
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;

    /** setns(2) type for a network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;

    /** {@code IFNAMSIZ}: interface names have at most 15 bytes plus the terminating NUL. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on LP64 Linux: the 16-byte name and a 24-byte union. */
    public static final int IFREQ_SIZE = 40;
    /** Offset of {@code ifr_flags} (a short) and of the other union members in {@code struct ifreq}. */
    public static final int IFREQ_UNION_OFFSET = 16;

    /** {@code F_GETFD}: include/uapi/asm-generic/fcntl.h. */
    public static final int F_GETFD = 1;
    /** {@code F_SETFD}: include/uapi/asm-generic/fcntl.h. */
    public static final int F_SETFD = 2;
    /** {@code F_GETFL}: include/uapi/asm-generic/fcntl.h. */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}: include/uapi/asm-generic/fcntl.h. */
    public static final int F_SETFL = 4;
    /** {@code FD_CLOEXEC}: include/uapi/asm-generic/fcntl.h. */
    public static final int FD_CLOEXEC = 1;
    /** {@code F_DUPFD_CLOEXEC}: {@code F_LINUX_SPECIFIC_BASE + 6} = 1024 + 6, include/uapi/linux/fcntl.h. */
    public static final int F_DUPFD_CLOEXEC = 1030;
}
