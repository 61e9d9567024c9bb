// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tuntap.testkit.HeaderNumbers;
import org.junit.jupiter.api.Test;

/**
 * The BSD errno table against the four systems' headers: every name it has must stand in each with the same
 * number. The numbers below are transcribed from the headers, not from the code under test:
 * <ul>
 * <li>FreeBSD: freebsd/freebsd-src 01ca612a {@code sys/sys/errno.h}, lines 53-138;</li>
 * <li>OpenBSD: openbsd/src {@code sys/sys/errno.h} 1.12 (0ede50fc);</li>
 * <li>NetBSD: NetBSD/src {@code sys/sys/errno.h} 1.38.16.1 (03d5d34f);</li>
 * <li>macOS: apple-oss-distributions/xnu xnu-11417.101.15 {@code bsd/sys/errno.h}, lines 90-190.</li>
 * </ul>
 * Up to EHOSTUNREACH (65) the four agree name for name; they part after that, and at EOPNOTSUPP.
 */
class BsdErrnoGoldenTest {
    private static final String FOUR_AGREE = "EPERM 1 ENOENT 2 ESRCH 3 EINTR 4 EIO 5 ENXIO 6 E2BIG 7 ENOEXEC 8 "
            + "EBADF 9 ECHILD 10 EDEADLK 11 ENOMEM 12 EACCES 13 EFAULT 14 ENOTBLK 15 EBUSY 16 EEXIST 17 EXDEV 18 "
            + "ENODEV 19 ENOTDIR 20 EISDIR 21 EINVAL 22 ENFILE 23 EMFILE 24 ENOTTY 25 ETXTBSY 26 EFBIG 27 ENOSPC 28 "
            + "ESPIPE 29 EROFS 30 EMLINK 31 EPIPE 32 EDOM 33 ERANGE 34 EAGAIN 35 EINPROGRESS 36 EALREADY 37 "
            + "ENOTSOCK 38 EDESTADDRREQ 39 EMSGSIZE 40 EPROTOTYPE 41 ENOPROTOOPT 42 EPROTONOSUPPORT 43 "
            + "ESOCKTNOSUPPORT 44 EPFNOSUPPORT 46 EAFNOSUPPORT 47 EADDRINUSE 48 EADDRNOTAVAIL 49 ENETDOWN 50 "
            + "ENETUNREACH 51 ENETRESET 52 ECONNABORTED 53 ECONNRESET 54 ENOBUFS 55 EISCONN 56 ENOTCONN 57 "
            + "ESHUTDOWN 58 ETOOMANYREFS 59 ETIMEDOUT 60 ECONNREFUSED 61 ELOOP 62 ENAMETOOLONG 63 EHOSTDOWN 64 "
            + "EHOSTUNREACH 65";
    private static final String FREEBSD = "EOPNOTSUPP 45 ENOTEMPTY 66 ENOSYS 78 EIDRM 82 EOVERFLOW 84 ECANCELED 85";
    private static final String OPENBSD = "EOPNOTSUPP 45 ENOTEMPTY 66 ENOSYS 78 EIPSEC 82 ENOATTR 83";
    private static final String NETBSD = "EOPNOTSUPP 45 ENOTEMPTY 66 ENOSYS 78 ENOTSUP 86 ECANCELED 87 EBADMSG 88 "
            + "ENOSR 90 ENOSTR 91 ETIME 92 EPROTO 96";
    private static final String MACOS = "ENOTSUP 45 ENOTEMPTY 66 ENOSYS 78 ECANCELED 89 EBADMSG 94 ENOSR 98 "
            + "ENOSTR 99 EPROTO 100 ETIME 101 EOPNOTSUPP 102";

    @Test
    void everyNameHasTheNumberOfEachSystemsHeader() {
        HeaderNumbers.assertAgrees(BsdErrno.TABLE, "FreeBSD sys/errno.h", FOUR_AGREE + " " + FREEBSD);
        HeaderNumbers.assertAgrees(BsdErrno.TABLE, "OpenBSD sys/errno.h", FOUR_AGREE + " " + OPENBSD);
        HeaderNumbers.assertAgrees(BsdErrno.TABLE, "NetBSD sys/errno.h", FOUR_AGREE + " " + NETBSD);
        HeaderNumbers.assertAgrees(BsdErrno.TABLE, "xnu bsd/sys/errno.h", FOUR_AGREE + " " + MACOS);
    }

    @Test
    void eopnotsuppIsNotSharedSoTheTableLeavesItOut() {
        assertNotEquals(HeaderNumbers.parse(FREEBSD).get("EOPNOTSUPP"), HeaderNumbers.parse(MACOS).get("EOPNOTSUPP"));
        assertEquals(-1, BsdErrno.TABLE.number("EOPNOTSUPP"));
    }
}
