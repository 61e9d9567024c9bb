// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

/**
 * Picks the bindings of the packet path. On Java 17 to 21 these are the JNA direct-mapped classes. The
 * multi-release jar carries a second version of this class for Java 22 and later
 * ({@code META-INF/versions/22}), which binds the hot calls (read, write, readv, writev, poll and
 * io_uring_enter) with the foreign function API and keeps JNA for the rest.
 */
public final class NativeCalls {
    private NativeCalls() {
    }

    /** The libc calls of the backend. */
    public static LinuxLibC libc() {
        return LinuxLibCDirect.INSTANCE;
    }

    /** The io_uring system calls. */
    public static IoUringSys ioUring() {
        return IoUringSysDirect.INSTANCE;
    }

    /** Which binding {@link #libc()} and {@link #ioUring()} use, for diagnostics: {@code "JNA"} here. */
    public static String binding() {
        return "JNA direct mapping";
    }
}
