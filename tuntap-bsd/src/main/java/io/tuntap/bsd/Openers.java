// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.OpenPolicy;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.Ifreq;
import io.tuntap.spi.ErrorMessages;

/** Steps the per-system openers share. */
final class Openers {
    private Openers() {
    }

    /**
     * Checks a requested name against the driver's unit names and the open policy.
     *
     * @return whether an interface of that name exists
     */
    static boolean checkName(BsdContext ctx, DeviceConfig config, String driver, String requested, String rule)
            throws TunTapException {
        return checkName(ctx, config, driver, requested, rule, false);
    }

    /**
     * Like {@link #checkName(BsdContext, DeviceConfig, String, String, String)}; with {@code anyName}, any
     * interface name is accepted: 1 to 15 ASCII letters, digits, '.', '_' or '-'.
     */
    static boolean checkName(BsdContext ctx, DeviceConfig config, String driver, String requested, String rule,
            boolean anyName) throws TunTapException {
        if (requested == null) {
            if (config.openPolicy() == OpenPolicy.ATTACH_EXISTING) {
                throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open(ATTACH_EXISTING)",
                        "OpenPolicy.ATTACH_EXISTING needs the name of "
                        + "an existing device, e.g. " + driver + "0"));
            }
            return false;
        }
        if (anyName) {
            if (!requested.matches("[A-Za-z0-9._-]{1,15}") || requested.equals(driver)) {
                throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open(" + requested + ")",
                        "'" + requested + "' is not a usable interface name: use 1 to 15 letters, digits, '.', '_' "
                        + "or '-' (and not the bare driver name)"));
            }
        } else if (UnitNames.unit(driver, requested) < 0) {
            throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open(" + requested + ")", "'"
                    + requested + "' is not a name this system gives a " + config.mode() + " device: " + rule
                    + " (a unit number such as " + driver + "0); choose such a name or none"));
        }
        boolean exists = ctx.index(requested) != 0;
        if (exists && config.openPolicy() == OpenPolicy.CREATE_NEW) {
            throw new DeviceBusyException("open", 0, ErrorMessages.failed("open(" + requested + ")", "cannot create "
                    + requested + ": an interface of that name exists. Choose another unit, leave the name unset, or "
                    + "attach with OpenPolicy.CREATE_OR_ATTACH"));
        }
        if (!exists && config.openPolicy() == OpenPolicy.ATTACH_EXISTING) {
            throw new DeviceNotFoundException("open", 0, ErrorMessages.failed("open(" + requested + ")", "cannot "
                    + "attach to " + requested + ": there is no such interface. Create it (DeviceConfig.persistent"
                    + "(true)), or open with OpenPolicy.CREATE_OR_ATTACH"));
        }
        return exists;
    }

    /** Opens a device node read-write, non-blocking and close-on-exec; explains the usual failures. */
    static int openNode(BsdContext ctx, String path, String what, String missingFix) throws TunTapException {
        int fd = ctx.libc.open(path, BsdAbi.O_RDWR | BsdAbi.O_NONBLOCK | ctx.abi.oCloexec);
        if (fd >= 0) {
            return fd;
        }
        int errno = ctx.libc.errno();
        throw openError(ctx, path, what, errno, missingFix);
    }

    /**
     * {@link #openNode} of {@code /dev/NAME} for an interface this call may have just made: on failure the
     * interface is destroyed again if {@code made}, then the open's failure is thrown.
     */
    static int openMade(BsdContext ctx, String name, boolean made, String missingFix) throws TunTapException {
        String path = "/dev/" + name;
        int fd = ctx.libc.open(path, BsdAbi.O_RDWR | BsdAbi.O_NONBLOCK | ctx.abi.oCloexec);
        if (fd >= 0) {
            return fd;
        }
        int errno = ctx.libc.errno();
        if (made) {
            ctx.destroy(name);
        }
        throw openError(ctx, path, name, errno, missingFix);
    }

    static TunTapException openError(BsdContext ctx, String path, String what, int errno, String missingFix) {
        String call = "open(" + path + ")";
        return switch (errno) {
            case BsdErrno.ENOENT, BsdErrno.ENXIO, BsdErrno.ENODEV -> BsdErrors.of(call, errno, "no device node for "
                    + what + ": " + missingFix);
            case BsdErrno.EBUSY -> BsdErrors.of(call, errno, what + " is in use: another process (or another device "
                    + "of this one) has it open; close that one, or choose another unit");
            case BsdErrno.EPERM, BsdErrno.EACCES -> BsdErrors.of(call, errno, "permission denied (uid "
                    + ctx.libc.geteuid() + "): " + BsdErrors.PRIVILEGE_FIX);
            default -> BsdErrors.ofCommon(call, errno, "cannot open " + what);
        };
    }

    /** TUNGIFNAME / TAPGIFNAME: the name of the interface behind a cloned fd. */
    static String gifname(BsdContext ctx, int fd, String call) throws TunTapException {
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            if (ctx.libc.ioctl(fd, ctx.abi.gifname, r.address) < 0) {
                int errno = ctx.libc.errno();
                throw BsdErrors.ofCommon("ioctl(" + call + ")", errno, "cannot learn the name of the new interface");
            }
            return Ifreq.getName(r.view);
        }
    }

    /**
     * Whether the configuration gives an address a peer: then a new FreeBSD or NetBSD tun stays
     * point-to-point; otherwise it is switched to broadcast mode, so that a prefix is on-link as on Linux.
     */
    static boolean hasPeer(DeviceConfig config) {
        return config.addresses().stream().anyMatch(a -> a.peer().isPresent());
    }

    /** Throws for a non-zero errno of an ioctl on the device. */
    static void check(int errno, String call, String name, String what) throws TunTapException {
        if (errno != 0) {
            throw BsdErrors.ofCommon("ioctl(" + call + ") on " + name, errno, what);
        }
    }
}
