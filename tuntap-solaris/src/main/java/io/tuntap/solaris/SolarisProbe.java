// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.posix.PosixCalls;
import io.tuntap.posix.PosixLibC;
import io.tuntap.solaris.jna.ForeignSolarisLibC;
import io.tuntap.solaris.jna.IfTun;
import io.tuntap.solaris.jna.SolarisLibC;
import io.tuntap.solaris.jna.SolarisLibCDirect;
import io.tuntap.spi.Availability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether this system can open devices, found once: the OS from {@code os.name} ("SunOS" on Solaris and
 * illumos), the driver's device nodes, then JNA (the first native touch of the backend). A holder class,
 * reached only after the OS check, so that other systems never load native code for it.
 */
final class SolarisProbe {
    /** The result for this process. */
    static final SolarisProbe RESULT = probe();

    final Availability availability;
    /** The modes whose device node exists. */
    final Set<DeviceMode> modes;
    final SunOs kernel;

    SolarisProbe(Availability availability, Set<DeviceMode> modes, SunOs kernel) {
        this.availability = availability;
        this.modes = modes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(modes));
        this.kernel = kernel;
    }

    /** True for the {@code os.name} of Solaris and illumos. */
    static boolean isSunOs(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        return n.startsWith("sunos") || n.startsWith("solaris");
    }

    /** Why this provider cannot serve on another system. */
    static Availability notSunOs(String osName) {
        return Availability.unavailable("not Solaris or illumos: os.name=" + osName + "; this provider drives the "
                + "STREAMS tun/tap driver of Solaris and illumos (/dev/tun, /dev/tap) and has nothing to open here."
                + (osName.toLowerCase(Locale.ROOT).startsWith("linux") ? " On Linux use io.tuntap:tuntap-linux." : ""));
    }

    /** Capabilities of a mode, given what was found. */
    Set<Capability> capabilities(DeviceMode mode) {
        return availability.isAvailable() && modes.contains(mode) ? SolarisDeviceOpener.capabilities(mode) : Set.of();
    }

    private static SolarisProbe probe() {
        SolarisProbe nodes = nodes(p -> Files.exists(Path.of(p)));
        if (!nodes.availability.isAvailable()) {
            return nodes;
        }
        PosixLibC libc;
        SolarisLibC streams;
        try {
            libc = PosixCalls.libc();
            streams = PosixCalls.foreign() ? ForeignSolarisLibC.INSTANCE : SolarisLibCDirect.INSTANCE;
        } catch (LinkageError | RuntimeException e) {
            return new SolarisProbe(Availability.unavailable("JNA could not bind the C library's calls (getmsg, "
                    + "putmsg, ioctl): " + e + ". Check that the jna artifact has a native library for this CPU "
                    + "(os.arch=" + System.getProperty("os.arch") + ") and that jna.tmpdir is writable", e),
                    Set.of(), null);
        }
        return new SolarisProbe(Availability.available(nodes.availability.detail() + "; native calls: "
                + PosixCalls.binding()), nodes.modes, new SunOs(libc, streams));
    }

    /**
     * What the device nodes say, through {@code exists}; visible for tests.
     *
     * @param exists whether a path exists
     */
    static SolarisProbe nodes(Predicate<String> exists) {
        Set<DeviceMode> modes = EnumSet.noneOf(DeviceMode.class);
        if (exists.test(IfTun.TUN_DEVICE)) {
            modes.add(DeviceMode.TUN);
        }
        if (exists.test(IfTun.TAP_DEVICE)) {
            modes.add(DeviceMode.TAP);
        }
        if (modes.isEmpty()) {
            return new SolarisProbe(Availability.unavailable("neither " + IfTun.TUN_DEVICE + " nor "
                    + IfTun.TAP_DEVICE + " exists: " + SolarisErrors.DRIVER_FIX), Set.of(), null);
        }
        String missing = modes.size() == 2 ? "" : " (" + (modes.contains(DeviceMode.TUN) ? IfTun.TAP_DEVICE
                : IfTun.TUN_DEVICE) + " is missing: its mode is unavailable; " + SolarisErrors.DRIVER_FIX + ")";
        return new SolarisProbe(Availability.available("STREAMS tun/tap driver: " + modes + " via "
                + (modes.contains(DeviceMode.TUN) ? IfTun.TUN_DEVICE + " " : "")
                + (modes.contains(DeviceMode.TAP) ? IfTun.TAP_DEVICE : "") + missing), modes, null);
    }
}
