// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdLibC;
import io.tuntap.bsd.jna.BsdLibCDirect;
import io.tuntap.bsd.jna.CtlInfo;
import io.tuntap.bsd.jna.DarwinLibC;
import io.tuntap.bsd.jna.ForeignBsdLibC;
import io.tuntap.posix.PosixCalls;
import io.tuntap.posix.PosixLibC;
import io.tuntap.posix.PosixLibCDirect;
import io.tuntap.spi.Availability;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this system can open devices, found once per process: loads JNA (the backend's first native touch)
 * and looks for the driver without creating anything. Reached only after the OS check, so other systems
 * never load it.
 */
final class BsdProbe {
    final Availability availability;
    final BsdContext context;

    private BsdProbe(Availability availability, BsdContext context) {
        this.availability = availability;
        this.context = context;
    }

    /** The JNA native library could not be loaded: what to do about it on {@code os}. */
    static String nativeFix(BsdAbi.Os os, Throwable e) {
        String arch = System.getProperty("os.arch");
        return switch (os) {
            case NETBSD -> "JNA could not load its native library (" + e + "). The jna jar ships no NetBSD build of "
                    + "libjnidispatch: build it from JNA's sources for this NetBSD release (or take one from the "
                    + "system's packages if it has one) and start the JVM with -Djna.boot.library.path=<the "
                    + "directory holding libjnidispatch.so>";
            case OPENBSD -> "JNA could not load its native library (" + e + "). The jna jar ships OpenBSD "
                    + "libjnidispatch for x86-64 only (os.arch=" + arch + "); on other CPUs build it from JNA's "
                    + "sources and set -Djna.boot.library.path";
            default -> "JNA could not load its native library (" + e + "). Check that the jna artifact matches "
                    + "this CPU (os.arch=" + arch + ") and that jna.tmpdir is writable and not mounted noexec";
        };
    }

    static BsdProbe probe(BsdAbi abi) {
        PosixLibC libc;
        BsdLibC bsd;
        try {
            // The foreign function binding passes the variadic ioctl and fcntl as variadic on every ABI; on JNA,
            // macOS needs DarwinLibC for them (Apple arm64).
            if (PosixCalls.foreign()) {
                libc = PosixCalls.libc();
                bsd = ForeignBsdLibC.INSTANCE;
            } else {
                libc = abi.os == BsdAbi.Os.DARWIN ? new DarwinLibC() : PosixLibCDirect.INSTANCE;
                bsd = BsdLibCDirect.INSTANCE;
            }
            libc = new KqueueLibC(libc, abi);
        } catch (LinkageError | RuntimeException e) {
            return new BsdProbe(Availability.unavailable(nativeFix(abi.os, e), e), null);
        }
        BsdContext ctx = new BsdContext(libc, bsd, abi);
        Availability found = probe(ctx);
        return new BsdProbe(found.canCreateDevices()
                ? Availability.available(found.detail() + "; native calls: " + PosixCalls.binding()
                        + "; virtual threads park with: " + poller(libc)) : found, ctx);
    }

    /** The poller of virtual threads, for the diagnostics report. */
    static String poller(PosixLibC libc) {
        return Runtime.version().feature() < 21 ? "none (Java " + Runtime.version().feature()
                + " has no virtual threads)" : KqueueParkingPoller.describe(libc.parkingPoller());
    }

    /** Probes through {@code ctx}; visible for tests with a fake kernel. */
    static Availability probe(BsdContext ctx) {
        int euid = ctx.libc.geteuid();
        String privilege = euid == 0 ? "" : "; euid " + euid + ": creating and configuring devices needs root";
        return switch (ctx.abi.os) {
            case DARWIN -> probeUtun(ctx, privilege);
            // Opening /dev/tun, even stat(2) of it, would clone a new interface on FreeBSD: the probe does not.
            case FREEBSD -> Availability.available("tun and tap through the /dev/tun and /dev/tap clone devices "
                    + "(if_tuntap; not opened by this check)" + privilege);
            case OPENBSD, NETBSD -> Files.exists(Path.of("/dev/tun0")) || Files.exists(Path.of("/dev/tap0"))
                    ? Availability.available("tun and tap through /dev/tunN and /dev/tapN" + privilege)
                    : Availability.unavailable("no /dev/tun0 or /dev/tap0: create the device nodes as root ('cd "
                            + "/dev && sh MAKEDEV tun0 tap0'), or check that the kernel has pseudo-devices tun "
                            + "and tap");
        };
    }

    private static Availability probeUtun(BsdContext ctx, String privilege) {
        int fd = ctx.libc.socket(CtlInfo.AF_SYSTEM, BsdAbi.SOCK_DGRAM, CtlInfo.SYSPROTO_CONTROL);
        if (fd < 0) {
            return Availability.unavailable("socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) failed with errno "
                    + ctx.libc.errno() + ": kernel controls are not available");
        }
        try (BsdContext.Request info = new BsdContext.Request(CtlInfo.SIZE)) {
            CtlInfo.put(info.view, CtlInfo.UTUN_CONTROL_NAME);
            if (ctx.libc.ioctl(fd, ctx.abi.ctliocginfo, info.address) < 0) {
                return Availability.unavailable("ioctl(CTLIOCGINFO, " + CtlInfo.UTUN_CONTROL_NAME + ") failed with "
                        + "errno " + ctx.libc.errno() + ": the utun control is not registered");
            }
            return Availability.available("utun (kernel control id " + CtlInfo.id(info.view) + "); TAP not "
                    + "offered" + privilege);
        } finally {
            ctx.libc.close(fd);
        }
    }
}
