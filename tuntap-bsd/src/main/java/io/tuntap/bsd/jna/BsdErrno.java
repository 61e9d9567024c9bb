// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import io.tuntap.spi.ErrorCodes;
import java.lang.invoke.MethodHandles;

/**
 * errno values shared by FreeBSD, OpenBSD, NetBSD and macOS (the 4.4BSD numbering of each {@code sys/errno.h});
 * only those the backend names. Each gives its line in freebsd/freebsd-src 01ca612a {@code sys/sys/errno.h} and
 * in apple-oss-distributions/xnu xnu-11417.101.15 {@code bsd/sys/errno.h}; openbsd/src {@code sys/sys/errno.h}
 * 1.12 and NetBSD/src {@code sys/sys/errno.h} 1.38.16.1 have the same numbers. EOPNOTSUPP is left out on
 * purpose: 45 on the BSDs, 102 on macOS. The class holds these constants and nothing else: {@link #TABLE} reads
 * them.
 */
public final class BsdErrno {
    private BsdErrno() {
    }

    /** Operation not permitted. */
    public static final int EPERM = 1; // FreeBSD :53, xnu :90
    /** No such file or directory. */
    public static final int ENOENT = 2; // FreeBSD :54, xnu :91
    /** No such process (a routing-socket delete of a route that does not exist). */
    public static final int ESRCH = 3; // FreeBSD :55, xnu :92
    /** Interrupted system call. */
    public static final int EINTR = 4; // FreeBSD :56, xnu :93
    /** Input/output error. */
    public static final int EIO = 5; // FreeBSD :57, xnu :94
    /** Device not configured. */
    public static final int ENXIO = 6; // FreeBSD :58, xnu :95
    /** Bad file descriptor. */
    public static final int EBADF = 9; // FreeBSD :61, xnu :98
    /** Cannot allocate memory (a sysctl buffer too small). */
    public static final int ENOMEM = 12; // FreeBSD :65, xnu :102
    /** Permission denied. */
    public static final int EACCES = 13; // FreeBSD :66, xnu :103
    /** Bad address. */
    public static final int EFAULT = 14; // FreeBSD :67, xnu :104
    /** Device busy. */
    public static final int EBUSY = 16; // FreeBSD :71, xnu :108
    /** File exists. */
    public static final int EEXIST = 17; // FreeBSD :72, xnu :109
    /** Operation not supported by device. */
    public static final int ENODEV = 19; // FreeBSD :74, xnu :111
    /** Invalid argument. */
    public static final int EINVAL = 22; // FreeBSD :77, xnu :114
    /** Too many open files in system. */
    public static final int ENFILE = 23; // FreeBSD :78, xnu :115
    /** Too many open files. */
    public static final int EMFILE = 24; // FreeBSD :79, xnu :116
    /** Inappropriate ioctl for device. */
    public static final int ENOTTY = 25; // FreeBSD :80, xnu :117
    /** Resource temporarily unavailable (= EWOULDBLOCK). */
    public static final int EAGAIN = 35; // FreeBSD :96, xnu :131
    /** Destination address required. */
    public static final int EDESTADDRREQ = 39; // FreeBSD :104, xnu :138
    /** Message too long. */
    public static final int EMSGSIZE = 40; // FreeBSD :105, xnu :139
    /** Address family not supported by protocol family. */
    public static final int EAFNOSUPPORT = 47; // FreeBSD :113, xnu :162
    /** Can't assign requested address. */
    public static final int EADDRNOTAVAIL = 49; // FreeBSD :115, xnu :164
    /** Network is down. */
    public static final int ENETDOWN = 50; // FreeBSD :118, xnu :167
    /** No buffer space available. */
    public static final int ENOBUFS = 55; // FreeBSD :123, xnu :172
    /** Host is down. */
    public static final int EHOSTDOWN = 64; // FreeBSD :137, xnu :187
    /** Broken pipe: the peer closed. */
    public static final int EPIPE = 32; // FreeBSD :89, xnu :124
    /** Socket operation on non-socket. */
    public static final int ENOTSOCK = 38; // FreeBSD :103, xnu :137
    /** Address already in use: a Unix socket's path exists. */
    public static final int EADDRINUSE = 48; // FreeBSD :114, xnu :163
    /** Connection reset by peer. */
    public static final int ECONNRESET = 54; // FreeBSD :122, xnu :171
    /** Socket is not connected. */
    public static final int ENOTCONN = 57; // FreeBSD :125, xnu :174
    /** Connection refused: nothing listens on the path. */
    public static final int ECONNREFUSED = 61; // FreeBSD :129, xnu :180

    /** The table of the constants above. */
    public static final ErrorCodes TABLE = ErrorCodes.of("errno", MethodHandles.lookup());

    /** The symbolic name of {@code errno}, or {@code "errno N"}. */
    public static String name(int errno) {
        return TABLE.name(errno);
    }
}
