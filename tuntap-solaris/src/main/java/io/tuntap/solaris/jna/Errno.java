// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * The errno values of illumos and Solaris ({@code <sys/errno.h>}) that the backend names. Several differ from
 * Linux (EAFNOSUPPORT is 124 here, 97 there; EADDRNOTAVAIL 126 here, 99 there), and STREAMS adds its own
 * (ENOSTR, ENOSR, EBADMSG, ETIME).
 */
public final class Errno {
    /** Not owner. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** I/O error. */
    public static final int EIO = 5;
    /** No such device or address. */
    public static final int ENXIO = 6;
    /** Bad file number. */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable (= EWOULDBLOCK). */
    public static final int EAGAIN = 11;
    /** Not enough space. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** File table overflow. */
    public static final int ENFILE = 23;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** Result too large; for STREAMS writes, a message outside the driver's packet size range. */
    public static final int ERANGE = 34;
    /** Not a stream device. */
    public static final int ENOSTR = 60;
    /** Timer expired (an I_STR ioctl that got no answer). */
    public static final int ETIME = 62;
    /** Out of stream resources. */
    public static final int ENOSR = 63;
    /** Protocol error. */
    public static final int EPROTO = 71;
    /** Not a data message. */
    public static final int EBADMSG = 77;
    /** Operation not supported on socket. */
    public static final int EOPNOTSUPP = 122;
    /** Address family not supported by protocol family. */
    public static final int EAFNOSUPPORT = 124;
    /** Address already in use. */
    public static final int EADDRINUSE = 125;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 126;
    /** No buffer space available. */
    public static final int ENOBUFS = 132;
    /** No route to host. */
    public static final int EHOSTUNREACH = 148;
    /** No such process (a routing socket's "no such route"). */
    public static final int ESRCH = 3;

    private Errno() {
    }

    /** The symbolic name of {@code errno}, or {@code "errno N"} for one not listed. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case ERANGE -> "ERANGE";
            case ENOSTR -> "ENOSTR";
            case ETIME -> "ETIME";
            case ENOSR -> "ENOSR";
            case EPROTO -> "EPROTO";
            case EBADMSG -> "EBADMSG";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENOBUFS -> "ENOBUFS";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            default -> "errno " + errno;
        };
    }
}
