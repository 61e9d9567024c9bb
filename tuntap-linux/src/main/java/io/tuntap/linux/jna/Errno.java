// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import io.tuntap.spi.ErrorCodes;
import java.lang.invoke.MethodHandles;

/**
 * The Linux errno values the backend names, each with the line of the header it comes from: torvalds/linux
 * {@code include/uapi/asm-generic/errno-base.h} at ef8c029f (1 to 34) and {@code include/uapi/asm-generic/errno.h}
 * at 01b944fe (35 and up; the x86, arm and riscv numbering; alpha, mips, parisc and sparc have their own). They
 * differ on the BSDs and illumos. The class holds these constants and nothing else: {@link #TABLE} reads them.
 */
public final class Errno {
    private Errno() {
    }

    public static final int EPERM = 1; // errno-base.h:4
    public static final int ENOENT = 2; // errno-base.h:5
    public static final int ESRCH = 3; // errno-base.h:6
    public static final int EINTR = 4; // errno-base.h:7
    public static final int EIO = 5; // errno-base.h:8
    public static final int ENXIO = 6; // errno-base.h:9
    public static final int EBADF = 9; // errno-base.h:12
    public static final int EAGAIN = 11; // errno-base.h:14
    public static final int ENOMEM = 12; // errno-base.h:15
    public static final int EACCES = 13; // errno-base.h:16
    public static final int EFAULT = 14; // errno-base.h:17
    public static final int EBUSY = 16; // errno-base.h:19
    public static final int EEXIST = 17; // errno-base.h:20
    public static final int ENODEV = 19; // errno-base.h:22
    public static final int EINVAL = 22; // errno-base.h:25
    public static final int ENFILE = 23; // errno-base.h:26
    public static final int EMFILE = 24; // errno-base.h:27
    public static final int ENOTTY = 25; // errno-base.h:28
    public static final int EPIPE = 32; // errno-base.h:35
    public static final int ERANGE = 34; // errno-base.h:37
    public static final int ENOSYS = 38; // errno.h:16
    public static final int EBADFD = 77; // errno.h:58
    public static final int ENOTSOCK = 88; // errno.h:69
    public static final int EMSGSIZE = 90; // errno.h:71
    public static final int EOPNOTSUPP = 95; // errno.h:76
    public static final int EAFNOSUPPORT = 97; // errno.h:78
    public static final int EADDRINUSE = 98; // errno.h:79
    public static final int EADDRNOTAVAIL = 99; // errno.h:80
    public static final int ENETDOWN = 100; // errno.h:81
    public static final int ENETUNREACH = 101; // errno.h:82
    public static final int ECONNRESET = 104; // errno.h:85
    public static final int ENOBUFS = 105; // errno.h:86
    public static final int ECONNREFUSED = 111; // errno.h:92
    public static final int ECANCELED = 125; // errno.h:107

    /** The table of the constants above. */
    public static final ErrorCodes TABLE = ErrorCodes.of("errno", MethodHandles.lookup());

    /** The symbolic name of an errno value, e.g. {@code "EBUSY"}, or {@code "errno N"}. */
    public static String name(int errno) {
        return TABLE.name(errno);
    }
}
