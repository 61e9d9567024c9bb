// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import com.sun.jna.Platform;
import java.util.Map;

/**
 * The symbol the C library exports for a function. NetBSD keeps old binaries running when a function's ABI
 * changes by giving the new one a versioned symbol, to which its headers rename the call ({@code __RENAME}); the
 * plain name stays the old ABI. A binding that looks the plain name up gets the compatibility function, so it
 * must ask for the versioned one, as a C program compiled with the headers does:
 * <ul>
 * <li>{@code socket}: {@code __socket30} (NetBSD/src 00285d2d sys/sys/socket.h:
 *     {@code int socket(int, int, int) __RENAME(__socket30)});
 * <li>{@code fstat}: {@code __fstat50} (NetBSD/src sys/sys/stat.h:
 *     {@code int fstat(int, struct stat *) __RENAME(__fstat50)}), whose {@code struct stat} is another layout;
 * <li>{@code kevent}: {@code __kevent50} (NetBSD/src 002a0307 sys/sys/event.h 1.45: {@code int kevent(int, const
 *     struct kevent *, size_t, struct kevent *, size_t, const struct timespec *) __RENAME(__kevent50)}), over the
 *     40-byte {@code struct kevent} of NetBSD 9 and 10. NetBSD 11 renames it again, to {@code __kevent100} over a
 *     72-byte struct with {@code ext[4]}, and keeps {@code __kevent50} in libc for the 40-byte one (NetBSD/src
 *     f6bcb9dc sys/compat/sys/event.h 1.4 declares both: {@code __kevent50} over {@code struct kevent100}, the
 *     old layout), so {@code __kevent50} is right on every NetBSD the backend knows.
 * </ul>
 * The other systems export each of these under its own name.
 */
public final class LibcSymbols {
    private static final Map<String, String> NETBSD = Map.of("socket", "__socket30", "fstat", "__fstat50", "kevent",
            "__kevent50");

    private LibcSymbols() {
    }

    /**
     * The symbol of {@code function} in this host's C library.
     *
     * @param function the C function's name, e.g. {@code "socket"}
     * @return the symbol to bind
     */
    public static String of(String function) {
        return of(function, Platform.isNetBSD());
    }

    static String of(String function, boolean netBsd) {
        return netBsd ? NETBSD.getOrDefault(function, function) : function;
    }
}
