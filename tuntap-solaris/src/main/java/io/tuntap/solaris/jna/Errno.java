// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

import io.tuntap.spi.ErrorCodes;
import java.lang.invoke.MethodHandles;

/**
 * The errno values of illumos and Solaris that the backend names, each with its line in illumos/illumos-gate
 * 7c478bd9 {@code usr/src/uts/common/sys/errno.h}. Several differ from Linux (EAFNOSUPPORT is 124 here, 97
 * there; EADDRNOTAVAIL 126 here, 99 there), and STREAMS adds its own (ENOSTR, ENOSR, EBADMSG, ETIME). The class
 * holds these constants and nothing else: {@link #TABLE} reads them.
 */
public final class Errno {
    /** Not owner. */
    public static final int EPERM = 1; // errno.h:53
    /** No such file or directory. */
    public static final int ENOENT = 2; // errno.h:54
    /** No such process (a routing socket's "no such route"). */
    public static final int ESRCH = 3; // errno.h:55
    /** Interrupted system call. */
    public static final int EINTR = 4; // errno.h:56
    /** I/O error. */
    public static final int EIO = 5; // errno.h:57
    /** No such device or address. */
    public static final int ENXIO = 6; // errno.h:58
    /** Bad file number. */
    public static final int EBADF = 9; // errno.h:61
    /** Resource temporarily unavailable (= EWOULDBLOCK). */
    public static final int EAGAIN = 11; // errno.h:63
    /** Not enough space. */
    public static final int ENOMEM = 12; // errno.h:64
    /** Permission denied. */
    public static final int EACCES = 13; // errno.h:65
    /** Bad address. */
    public static final int EFAULT = 14; // errno.h:66
    /** Device busy. */
    public static final int EBUSY = 16; // errno.h:68
    /** File exists. */
    public static final int EEXIST = 17; // errno.h:69
    /** No such device. */
    public static final int ENODEV = 19; // errno.h:71
    /** Invalid argument. */
    public static final int EINVAL = 22; // errno.h:74
    /** File table overflow. */
    public static final int ENFILE = 23; // errno.h:75
    /** Too many open files. */
    public static final int EMFILE = 24; // errno.h:76
    /** Result too large; for STREAMS writes, a message outside the driver's packet size range. */
    public static final int ERANGE = 34; // errno.h:86
    /** Not a stream device. */
    public static final int ENOSTR = 60; // errno.h:121
    /** Timer expired (an I_STR ioctl that got no answer). */
    public static final int ETIME = 62; // errno.h:123
    /** Out of stream resources. */
    public static final int ENOSR = 63; // errno.h:124
    /** Protocol error. */
    public static final int EPROTO = 71; // errno.h:134
    /** Not a data message. */
    public static final int EBADMSG = 77; // errno.h:141
    /** Operation not supported on socket. */
    public static final int EOPNOTSUPP = 122; // errno.h:171
    /** Address family not supported by protocol family. */
    public static final int EAFNOSUPPORT = 124; // errno.h:173
    /** Address already in use. */
    public static final int EADDRINUSE = 125; // errno.h:175
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 126; // errno.h:176
    /** Network is unreachable (a routing socket's "the gateway is not reachable"). */
    public static final int ENETUNREACH = 128; // errno.h:179
    /** No buffer space available. */
    public static final int ENOBUFS = 132; // errno.h:184
    /** No route to host. */
    public static final int EHOSTUNREACH = 148; // errno.h:193

    /** The table of the constants above. */
    public static final ErrorCodes TABLE = ErrorCodes.of("errno", MethodHandles.lookup());

    private Errno() {
    }

    /** The symbolic name of {@code errno}, or {@code "errno N"} for one not listed. */
    public static String name(int errno) {
        return TABLE.name(errno);
    }
}
