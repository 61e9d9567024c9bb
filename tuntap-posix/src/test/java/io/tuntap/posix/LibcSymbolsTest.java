// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LibcSymbolsTest {

    @Test
    void netBsdBindsTheVersionedSymbolsItsHeadersRenameTo() {
        // NetBSD/src 00285d2d sys/sys/socket.h: int socket(int, int, int) __RENAME(__socket30);
        // sys/sys/stat.h: int fstat(int, struct stat *) __RENAME(__fstat50).
        assertEquals("__socket30", LibcSymbols.of("socket", true));
        assertEquals("__fstat50", LibcSymbols.of("fstat", true));
        // NetBSD/src 002a0307 sys/sys/event.h 1.45: int kevent(...) __RENAME(__kevent50).
        assertEquals("__kevent50", LibcSymbols.of("kevent", true));
        assertEquals("kqueue", LibcSymbols.of("kqueue", true), "kqueue(2) keeps its name");
        assertEquals("poll", LibcSymbols.of("poll", true), "poll(2) keeps its name (pollts is the renamed one)");
    }

    @Test
    void elsewhereEveryFunctionHasItsOwnName() {
        assertEquals("socket", LibcSymbols.of("socket", false));
        assertEquals("fstat", LibcSymbols.of("fstat", false));
        assertEquals("kevent", LibcSymbols.of("kevent", false));
    }

    @Test
    void thisHostsBindingStillMakesSockets() {
        // Linux here: the mapper leaves the names alone, and the direct binding still finds socket().
        int fd = PosixLibCDirect.INSTANCE.socket(1, 1, 0); // AF_UNIX, SOCK_STREAM (include/linux/socket.h, net.h)
        try {
            assertTrue(fd >= 0, "socket(AF_UNIX, SOCK_STREAM) = " + fd);
        } finally {
            PosixLibCDirect.INSTANCE.close(fd);
        }
    }
}
