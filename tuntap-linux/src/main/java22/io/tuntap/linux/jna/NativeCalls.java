// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import java.lang.System.Logger.Level;

/**
 * Picks the bindings of the packet path, Java 22 and later: the foreign function API for read, write, readv,
 * writev, poll and io_uring_enter ({@link FfmLinuxLibC}, {@link FfmIoUringSys}), JNA for everything else. A
 * native call through the foreign function API costs a few nanoseconds where a JNA direct call costs about
 * two hundred. Switch it off with {@code -Dtuntap.linux.ffm=false}; if the binding cannot be made (the JVM
 * refuses native access, say), JNA takes the calls and the reason is logged.
 *
 * <p>The JVM warns once about the restricted method {@code Linker.downcallHandle} unless it runs with
 * {@code --enable-native-access=ALL-UNNAMED} (class path) or {@code --enable-native-access=io.tuntap.linux}
 * (module path).
 */
public final class NativeCalls {
    /** System property: {@code false} keeps JNA for every call on Java 22 and later too. */
    public static final String PROPERTY = "tuntap.linux.ffm";

    private NativeCalls() {
    }

    private static final class Holder {
        static final LinuxLibC LIBC;
        static final IoUringSys IO_URING;
        static final String BINDING;

        static {
            LinuxLibC libc = LinuxLibCDirect.INSTANCE;
            IoUringSys uring = IoUringSysDirect.INSTANCE;
            String binding;
            if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
                binding = "JNA direct mapping (foreign function API switched off with -D" + PROPERTY + "=false)";
            } else {
                try {
                    libc = new FfmLinuxLibC(LinuxLibCDirect.INSTANCE);
                    uring = new FfmIoUringSys(IoUringSysDirect.INSTANCE);
                    binding = "foreign function API for read, write, readv, writev, poll and io_uring_enter "
                            + "(Java " + Runtime.version().feature() + "), JNA direct mapping for the rest";
                } catch (RuntimeException | LinkageError e) {
                    libc = LinuxLibCDirect.INSTANCE;
                    uring = IoUringSysDirect.INSTANCE;
                    binding = "JNA direct mapping (the foreign function API binding failed: " + e + ")";
                    System.getLogger("io.tuntap.linux").log(Level.WARNING, "tuntap: {0}", binding);
                }
            }
            LIBC = libc;
            IO_URING = uring;
            BINDING = binding;
        }
    }

    /** The libc calls of the backend. */
    public static LinuxLibC libc() {
        return Holder.LIBC;
    }

    /** The io_uring system calls. */
    public static IoUringSys ioUring() {
        return Holder.IO_URING;
    }

    /** Which binding {@link #libc()} and {@link #ioUring()} use, for diagnostics. */
    public static String binding() {
        return Holder.BINDING;
    }
}
