// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The illumos errno table against the header: every name it has must stand there with the same number. The
 * numbers below are transcribed from illumos/illumos-gate 7c478bd9 {@code usr/src/uts/common/sys/errno.h}
 * (lines 53-193; EWOULDBLOCK is an alias there), not from the code under test.
 */
class ErrnoGoldenTest {
    private static final String ERRNO_H = "EPERM 1 ENOENT 2 ESRCH 3 EINTR 4 EIO 5 ENXIO 6 E2BIG 7 ENOEXEC 8 EBADF 9 "
            + "ECHILD 10 EAGAIN 11 ENOMEM 12 EACCES 13 EFAULT 14 ENOTBLK 15 EBUSY 16 EEXIST 17 EXDEV 18 ENODEV 19 "
            + "ENOTDIR 20 EISDIR 21 EINVAL 22 ENFILE 23 EMFILE 24 ENOTTY 25 ETXTBSY 26 EFBIG 27 ENOSPC 28 ESPIPE 29 "
            + "EROFS 30 EMLINK 31 EPIPE 32 EDOM 33 ERANGE 34 ENOMSG 35 EIDRM 36 ECHRNG 37 EL2NSYNC 38 EL3HLT 39 "
            + "EL3RST 40 ELNRNG 41 EUNATCH 42 ENOCSI 43 EL2HLT 44 EDEADLK 45 ENOLCK 46 ECANCELED 47 ENOTSUP 48 "
            + "EDQUOT 49 EBADE 50 EBADR 51 EXFULL 52 ENOANO 53 EBADRQC 54 EBADSLT 55 EDEADLOCK 56 EBFONT 57 "
            + "EOWNERDEAD 58 ENOTRECOVERABLE 59 ENOSTR 60 ENODATA 61 ETIME 62 ENOSR 63 ENONET 64 ENOPKG 65 "
            + "EREMOTE 66 ENOLINK 67 EADV 68 ESRMNT 69 ECOMM 70 EPROTO 71 ELOCKUNMAPPED 72 ENOTACTIVE 73 "
            + "EMULTIHOP 74 EBADMSG 77 ENAMETOOLONG 78 EOVERFLOW 79 ENOTUNIQ 80 EBADFD 81 EREMCHG 82 ELIBACC 83 "
            + "ELIBBAD 84 ELIBSCN 85 ELIBMAX 86 ELIBEXEC 87 EILSEQ 88 ENOSYS 89 ELOOP 90 ERESTART 91 ESTRPIPE 92 "
            + "ENOTEMPTY 93 EUSERS 94 ENOTSOCK 95 EDESTADDRREQ 96 EMSGSIZE 97 EPROTOTYPE 98 ENOPROTOOPT 99 "
            + "EPROTONOSUPPORT 120 ESOCKTNOSUPPORT 121 EOPNOTSUPP 122 EPFNOSUPPORT 123 EAFNOSUPPORT 124 "
            + "EADDRINUSE 125 EADDRNOTAVAIL 126 ENETDOWN 127 ENETUNREACH 128 ENETRESET 129 ECONNABORTED 130 "
            + "ECONNRESET 131 ENOBUFS 132 EISCONN 133 ENOTCONN 134 ESHUTDOWN 143 ETOOMANYREFS 144 ETIMEDOUT 145 "
            + "ECONNREFUSED 146 EHOSTDOWN 147 EHOSTUNREACH 148 EALREADY 149 EINPROGRESS 150 ESTALE 151";

    @Test
    void everyNameHasTheHeadersNumber() {
        Map<String, Integer> header = parse(ERRNO_H);
        assertFalse(Errno.TABLE.names().isEmpty());
        for (String name : Errno.TABLE.names()) {
            assertEquals(header.get(name), Errno.TABLE.number(name), name);
        }
    }

    private static Map<String, Integer> parse(String pairs) {
        String[] words = pairs.split(" ");
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < words.length; i += 2) {
            map.put(words[i], Integer.valueOf(words[i + 1]));
        }
        return map;
    }
}
