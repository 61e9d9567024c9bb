// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Native;
import io.tuntap.spi.HostOs;
import io.tuntap.windows.win32.IpHelper;
import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.Kernel32IoDirect;
import io.tuntap.windows.win32.NetAdapterRegistry;
import io.tuntap.windows.win32.SetupApiNetAdapters;

/**
 * The Win32 bindings the providers use: the real DLLs on Windows, loaded once, only after the OS check
 * (a holder class, so that other systems never touch JNA through it), or fakes in tests.
 *
 * @param k32 kernel32's device I/O
 * @param ip IP Helper
 * @param adapters SetupAPI and the registry
 * @param elevation whether this process is elevated
 * @param problem why the bindings could not be loaded, or null
 */
record WindowsPlatform(Kernel32Io k32, IpHelper ip, NetAdapterRegistry adapters, Elevation elevation, String problem) {

    /**
     * Fakes for a process that is elevated, as the tests of what an Administrator can do assume.
     *
     * @param k32 kernel32's device I/O
     * @param ip IP Helper
     * @param adapters SetupAPI and the registry
     * @param problem why the bindings could not be loaded, or null
     */
    WindowsPlatform(Kernel32Io k32, IpHelper ip, NetAdapterRegistry adapters, String problem) {
        this(k32, ip, adapters, () -> true, problem);
    }

    /** Why this system cannot have the Windows providers, or null if it can. */
    static String unsupportedReason() {
        if (HostOs.current() != HostOs.WINDOWS) {
            return "not Windows (os.name=" + System.getProperty("os.name") + "): the Windows providers open "
                    + "tap-windows6 and Wintun adapters through kernel32, SetupAPI and IP Helper, which only Windows "
                    + "has; on this system use the provider for " + HostOs.current().name().toLowerCase(java.util.Locale.ROOT)
                    + (HostOs.current().backendArtifact() == null ? "" : " (" + HostOs.current().backendArtifact() + ")");
        }
        return null;
    }

    /** The real bindings; reached only on Windows. */
    static final class Real {
        static final WindowsPlatform INSTANCE = load();

        private static WindowsPlatform load() {
            try {
                if (Native.POINTER_SIZE != 8) {
                    return new WindowsPlatform(null, null, null, "this is a 32-bit JVM (os.arch="
                            + System.getProperty("os.arch") + "): the Windows backend needs a 64-bit JVM (x64 or ARM64)");
                }
                return new WindowsPlatform(Kernel32IoDirect.INSTANCE, IpHelper.load(), new SetupApiNetAdapters(),
                        Elevation.PROCESS_TOKEN, null);
            } catch (LinkageError | RuntimeException e) {
                return new WindowsPlatform(null, null, null, "JNA could not bind kernel32, iphlpapi or setupapi: " + e
                        + ". Check that the jna artifact matches this CPU (os.arch=" + System.getProperty("os.arch")
                        + ") and that jna.tmpdir is writable");
            }
        }

        private Real() {
        }
    }
}
