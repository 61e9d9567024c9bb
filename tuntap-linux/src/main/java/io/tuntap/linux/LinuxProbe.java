// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.NativeCalls;
import io.tuntap.linux.jna.Sys;
import io.tuntap.linux.uring.UringSupport;
import io.tuntap.spi.Availability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Whether this Linux system can open devices, found once: loads JNA (the first native touch of the
 * backend), opens {@code /dev/net/tun} and asks {@code TUNGETFEATURES} which flags the driver accepts.
 * A holder class, reached only after the OS check, so that other systems never load it.
 */
final class LinuxProbe {
    /** The result for this process. */
    static final LinuxProbe RESULT = probe();

    final Availability availability;
    final Set<Capability> capabilities;
    final LinuxLibC libc;
    /**
     * EACCES or EPERM if this process may not open {@link IfTun#CLONE_DEVICE}, else 0. The backend is
     * then available (it is the right one here) but every open fails with a permission error that says so.
     */
    final int accessErrno;

    private LinuxProbe(Availability availability, Set<Capability> capabilities, LinuxLibC libc) {
        this(availability, capabilities, libc, 0);
    }

    private LinuxProbe(Availability availability, Set<Capability> capabilities, LinuxLibC libc, int accessErrno) {
        this.availability = availability;
        this.capabilities = Set.copyOf(capabilities);
        this.libc = libc;
        this.accessErrno = accessErrno;
    }

    private static LinuxProbe probe() {
        LinuxLibC libc;
        try {
            libc = NativeCalls.libc();
        } catch (LinkageError | RuntimeException e) {
            return new LinuxProbe(Availability.unavailable("JNA could not load its native library: " + e
                    + ". Check that the jna artifact matches this CPU (os.arch=" + System.getProperty("os.arch")
                    + ") and that jna.tmpdir is writable and not mounted noexec", e), Set.of(), null);
        }
        return probe(libc);
    }

    /**
     * The permission error for {@code open(/dev/net/tun)}: names the device, its mode and owner, this
     * process's uid, and the fixes.
     */
    static TunTapException cloneDeviceDenied(LinuxLibC libc, int errno) {
        return cloneDeviceDenied(libc, errno, Path.of(IfTun.CLONE_DEVICE));
    }

    /** {@link #cloneDeviceDenied(LinuxLibC, int)} with the device node at {@code node}; visible for tests. */
    static TunTapException cloneDeviceDenied(LinuxLibC libc, int errno, Path node) {
        String mode;
        try {
            Map<String, Object> a = Files.readAttributes(node, "unix:mode,uid,gid");
            mode = "mode 0" + Integer.toOctalString((Integer) a.get("mode") & 07777) + ", owner uid " + a.get("uid")
                    + " gid " + a.get("gid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            mode = "mode unknown (" + e.getMessage() + ")";
        }
        return LinuxErrors.of("open(" + IfTun.CLONE_DEVICE + ")", errno, IfTun.CLONE_DEVICE + " (" + mode + ") is "
                + "not readable and writable by uid " + libc.geteuid() + ". Fix: make it mode 0666 as most "
                + "distributions do ('chmod 0666 " + IfTun.CLONE_DEVICE + "', kept across boots by a udev rule "
                + "KERNEL==\"tun\", MODE=\"0666\"; the kernel still checks CAP_NET_ADMIN or the device's owner), "
                + "or give this user's group read and write access to it, or run as root; in a container, pass "
                + "the device in (--device /dev/net/tun)");
    }

    /** Which path packet batches take: io_uring only over the real kernel, never over a test's fake libc. */
    private static String batchPath(LinuxLibC libc) {
        return libc == NativeCalls.libc() ? UringSupport.get().description() : "plain read/write per packet";
    }

    /**
     * What the kernel offers, from the {@code TUNGETFEATURES} flags of a {@code /dev/net/tun} descriptor (this
     * probe's, or an adopted one's).
     */
    static Set<Capability> capabilities(int features) {
        Set<Capability> caps = EnumSet.of(Capability.CHOOSE_NAME, Capability.PERSISTENT, Capability.OWNER_AND_GROUP,
                Capability.ATTACH, Capability.MTU, Capability.LINK_STATE, Capability.IPV4_ADDRESSES,
                Capability.IPV6_ADDRESSES, Capability.PEER_ADDRESSES, Capability.ROUTES, Capability.ROUTE_METRICS,
                Capability.EVENTS, Capability.ZERO_COPY, Capability.ADOPT, Capability.BYPASS_ROUTES);
        if ((features & IfTun.IFF_TUN) != 0) {
            caps.add(Capability.TUN);
        }
        if ((features & IfTun.IFF_TAP) != 0) {
            caps.add(Capability.TAP);
            caps.add(Capability.SET_MAC_ADDRESS);
        }
        if ((features & IfTun.IFF_VNET_HDR) != 0) {
            caps.add(Capability.OFFLOAD);
        }
        if ((features & IfTun.IFF_MULTI_QUEUE) != 0) {
            caps.add(Capability.MULTI_QUEUE);
        }
        return caps;
    }

    /**
     * CAP_NET_ADMIN, the capability that creating a TUN/TAP device and configuring an interface need: bit 12 of a
     * capability set ({@code #define CAP_NET_ADMIN 12}, include/uapi/linux/capability.h, torvalds/linux
     * 035f0801).
     */
    static final int CAP_NET_ADMIN = 12;

    /** Where the kernel shows this process's credentials, with the {@code CapEff:} line (proc(5)). */
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    /** Probes through {@code libc}; visible for tests with a fake libc. */
    static LinuxProbe probe(LinuxLibC libc) {
        return probe(libc, netAdminMissing(PROC_STATUS, libc.geteuid()));
    }

    /**
     * Why this process cannot create devices: null if its effective capability set has CAP_NET_ADMIN, else the
     * reason and the fixes. Reads the {@code CapEff:} line of {@code status} (proc(5): the effective set, as hex);
     * where that cannot be read, effective uid 0 counts as having it.
     */
    static String netAdminMissing(Path status, int euid) {
        String capEff = null;
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("CapEff:")) {
                    capEff = line.substring("CapEff:".length()).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            return euid == 0 ? null : "this process (effective uid " + euid + ") is not root, and " + status
                    + " could not be read to check for CAP_NET_ADMIN (" + e.getMessage() + ")" + NET_ADMIN_FIXES;
        }
        if (capEff != null && !capEff.isEmpty()) {
            try {
                if ((Long.parseUnsignedLong(capEff, 16) & (1L << CAP_NET_ADMIN)) != 0) {
                    return null;
                }
                return "this process (effective uid " + euid + ", CapEff " + capEff + ") lacks CAP_NET_ADMIN"
                        + NET_ADMIN_FIXES;
            } catch (NumberFormatException e) {
                // fall through to the uid
            }
        }
        return euid == 0 ? null : "this process (effective uid " + euid + ") is not root, and " + status
                + " shows no effective capability set" + NET_ADMIN_FIXES;
    }

    private static final String NET_ADMIN_FIXES = ": it can open an existing persistent device that its user owns "
            + "(OpenPolicy.ATTACH_EXISTING), but creating a device or changing its configuration fails with "
            + "DevicePermissionException. Fix: run as root, or give this JVM the capability (setcap "
            + "cap_net_admin+ep on a dedicated copy of java), or run it in a user and network namespace of its own "
            + "(unshare -rn)";

    /** {@link #probe(LinuxLibC)} with {@code netAdminMissing} as found; visible for tests. */
    static LinuxProbe probe(LinuxLibC libc, String netAdminMissing) {
        int fd = libc.open(IfTun.CLONE_DEVICE, Sys.O_RDWR | Sys.O_CLOEXEC);
        if (fd < 0) {
            int errno = libc.errno();
            if (errno == Errno.EACCES || errno == Errno.EPERM) {
                // The driver is there, this user may not use it: a permission problem, not a missing backend.
                // Opening then fails with DevicePermissionException instead of "no provider".
                String denied = IfTun.CLONE_DEVICE + " exists but " + cloneDeviceDenied(libc, errno).getMessage();
                return new LinuxProbe(Availability.attachOnly(netAdminMissing == null ? denied
                        : denied + "; and " + netAdminMissing), Set.of(), libc, errno);
            }
            String why = switch (errno) {
                case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> IfTun.CLONE_DEVICE + " is missing: load the tun "
                        + "module ('modprobe tun'), or in a container pass the device in (--device /dev/net/tun)";
                default -> "open(" + IfTun.CLONE_DEVICE + ") failed with " + Errno.name(errno);
            };
            return new LinuxProbe(Availability.unavailable(why), Set.of(), libc);
        }
        try (Memory features = new Memory(4)) {
            features.setInt(0, 0);
            int flags;
            if (libc.ioctl(fd, IfTun.TUNGETFEATURES, Pointer.nativeValue(features)) < 0) {
                // Kernels before 2.6.27 lack TUNGETFEATURES; they have TUN and TAP and nothing newer.
                flags = IfTun.IFF_TUN | IfTun.IFF_TAP | IfTun.IFF_NO_PI;
            } else {
                flags = features.getInt(0);
            }
            Set<Capability> caps = capabilities(flags);
            String found = IfTun.CLONE_DEVICE + ", TUNGETFEATURES=0x" + Integer.toHexString(flags & 0xffff)
                    + ", kernel " + System.getProperty("os.version") + "; native calls: " + NativeCalls.binding()
                    + "; packet batches: " + batchPath(libc);
            return new LinuxProbe(netAdminMissing == null ? Availability.available(found)
                    : Availability.attachOnly(netAdminMissing + " (found " + found + ")"), caps, libc);
        } finally {
            libc.close(fd);
        }
    }
}
