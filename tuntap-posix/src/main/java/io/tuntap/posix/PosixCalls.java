// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * Picks the binding of every Unix backend's native calls, once per process. On Java 17 to 21 this is JNA
 * direct mapping ({@link PosixLibCDirect}, and each backend's own direct-mapped classes). The multi-release
 * jar carries a second version of this class for Java 22 and later ({@code META-INF/versions/22}) that binds
 * every call through the foreign function API instead, with errno captured per thread, unless
 * {@code -D}{@value #PROPERTY}{@code =false}.
 *
 * <p>A backend binds its own calls (eventfd, getmsg, sysctl...) with {@link #bind} when {@link #foreign()} is
 * true, so that {@link PosixLibC#errno()} of {@link #libc()} answers for them too; on JNA it uses its
 * direct-mapped classes, whose errno JNA keeps in the same place as {@link PosixLibCDirect}'s.
 */
public final class PosixCalls {
    /** System property: {@code false} keeps JNA for every call on Java 22 and later too. */
    public static final String PROPERTY = "tuntap.ffm";

    private PosixCalls() {
    }

    /** The POSIX calls, through the binding this process uses. */
    public static PosixLibC libc() {
        return PosixLibCDirect.INSTANCE;
    }

    /** True if the calls go through the foreign function API: never, in this version of the class. */
    public static boolean foreign() {
        return false;
    }

    /** Which binding the calls use and why, for the diagnostics report. */
    public static String binding() {
        return Runtime.version().feature() < 22 ? "JNA direct mapping (the foreign function API needs Java 22)"
                : "JNA direct mapping (this tuntap-posix jar was built without its Java 22 classes)";
    }

    /**
     * A C function of the C library bound through the foreign function API, errno captured where
     * {@link PosixLibC#errno()} of {@link #libc()} reads it. Only when {@link #foreign()} is true.
     *
     * @param name the C function
     * @param type its Java signature, of {@code int}, {@code long} and {@code void} only (pointers as long)
     * @return a handle of exactly {@code type}
     * @throws UnsupportedOperationException always, in this version of the class
     */
    public static MethodHandle bind(String name, MethodType type) {
        throw new UnsupportedOperationException("binding " + name + " needs the Java 22 classes of tuntap-posix");
    }

    /**
     * {@link #bind} for a variadic C function, such as {@code ioctl}, {@code fcntl}, {@code open} or
     * {@code syscall}: the arguments from index {@code fixed} on are passed as variadic ones, which the Apple
     * arm64 ABI puts on the stack.
     *
     * @param name the C function
     * @param type its Java signature, as for {@link #bind}
     * @param fixed how many arguments C declares before the {@code ...}
     * @return a handle of exactly {@code type}
     * @throws UnsupportedOperationException always, in this version of the class
     */
    public static MethodHandle bindVariadic(String name, MethodType type, int fixed) {
        throw new UnsupportedOperationException("binding " + name + " needs the Java 22 classes of tuntap-posix");
    }

    /**
     * The errno that the last call bound by {@link #bind} left on this thread. Only when {@link #foreign()}.
     *
     * @throws UnsupportedOperationException always, in this version of the class
     */
    public static int capturedErrno() {
        throw new UnsupportedOperationException("needs the Java 22 classes of tuntap-posix");
    }
}
