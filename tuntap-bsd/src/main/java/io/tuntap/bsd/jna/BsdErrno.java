// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

/**
 * errno values shared by FreeBSD, OpenBSD, NetBSD and macOS (the 4.4BSD numbering, {@code <sys/errno.h>} of
 * each); only those the backend names. EOPNOTSUPP is left out on purpose: 45 on the BSDs, 102 on macOS.
 */
public final class BsdErrno {
    private BsdErrno() {
    }

    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** No such process (a routing-socket delete of a route that does not exist). */
    public static final int ESRCH = 3;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Input/output error. */
    public static final int EIO = 5;
    /** Cannot allocate memory (a sysctl buffer too small). */
    public static final int ENOMEM = 12;
    /** Device not configured. */
    public static final int ENXIO = 6;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** Operation not supported by device. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files in system. */
    public static final int ENFILE = 23;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** Inappropriate ioctl for device. */
    public static final int ENOTTY = 25;
    /** Resource temporarily unavailable (= EWOULDBLOCK). */
    public static final int EAGAIN = 35;
    /** Destination address required. */
    public static final int EDESTADDRREQ = 39;
    /** Message too long. */
    public static final int EMSGSIZE = 40;
    /** Address family not supported by protocol family. */
    public static final int EAFNOSUPPORT = 47;
    /** Can't assign requested address. */
    public static final int EADDRNOTAVAIL = 49;
    /** Network is down. */
    public static final int ENETDOWN = 50;
    /** No buffer space available. */
    public static final int ENOBUFS = 55;
    /** Host is down. */
    public static final int EHOSTDOWN = 64;
    /** Broken pipe: the peer closed. */
    public static final int EPIPE = 32;
    /** Socket operation on non-socket. */
    public static final int ENOTSOCK = 38;
    /** Address already in use: a Unix socket's path exists. */
    public static final int EADDRINUSE = 48;
    /** Connection reset by peer. */
    public static final int ECONNRESET = 54;
    /** Socket is not connected. */
    public static final int ENOTCONN = 57;
    /** Connection refused: nothing listens on the path. */
    public static final int ECONNREFUSED = 61;

    /** The symbolic name of {@code errno}, or {@code "errno N"}. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case ENOTTY -> "ENOTTY";
            case EAGAIN -> "EAGAIN";
            case EDESTADDRREQ -> "EDESTADDRREQ";
            case EMSGSIZE -> "EMSGSIZE";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETDOWN -> "ENETDOWN";
            case ENOBUFS -> "ENOBUFS";
            case EHOSTDOWN -> "EHOSTDOWN";
            case EPIPE -> "EPIPE";
            case ENOTSOCK -> "ENOTSOCK";
            case EADDRINUSE -> "EADDRINUSE";
            case ECONNRESET -> "ECONNRESET";
            case ENOTCONN -> "ENOTCONN";
            case ECONNREFUSED -> "ECONNREFUSED";
            default -> "errno " + errno;
        };
    }
}
