// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import java.util.Set;

/**
 * OpenBSD 7 ({@code sys/net/if_tun.c} 1.252): no clone node; {@code /dev/tunN} and {@code /dev/tapN} create
 * unit N on open, and the kernel destroys a unit made that way on close. A unit made by {@code SIOCIFCREATE}
 * stays. A unit already open elsewhere answers {@code EBUSY}; a missing node {@code ENOENT} (only tun0–tun3
 * and tap0–tap3 exist by default). tun is point-to-point only, and always carries the address-family header.
 */
final class OpenBsdSystem extends BsdSystem {

    OpenBsdSystem() {
        super(BsdAbi.OPENBSD);
    }

    @Override
    Set<Capability> capabilities(DeviceMode mode) {
        return tunTapCapabilities(mode, true, Capability.ROUTE_METRICS);
    }

    @Override
    Opened open(BsdContext ctx, DeviceConfig config) throws TunTapException {
        boolean tun = config.mode() == DeviceMode.TUN;
        String driver = tun ? "tun" : "tap";
        String requested = config.name().orElse(null);
        boolean existed = Openers.checkName(ctx, config, driver, requested, "OpenBSD names them " + driver + "N");
        if (requested != null) {
            boolean made = !existed && config.persistent() && create(ctx, requested);
            int fd = Openers.openMade(ctx, requested, made, missingNodeFix(requested));
            Ending ending = existed || made ? Ending.PERSISTS : Ending.KERNEL_DESTROYS;
            return new Opened(fd, requested, driver, ending, tun, !existed);
        }
        for (int unit = 0; unit < UnitNames.MAX_UNITS; unit++) {
            String name = driver + unit;
            if (ctx.index(name) != 0) {
                continue; // in use, or a persistent unit of someone else: not a new device
            }
            boolean made = config.persistent() && create(ctx, name);
            if (config.persistent() && !made) {
                continue;
            }
            int fd = ctx.libc.open("/dev/" + name, BsdAbi.O_RDWR | BsdAbi.O_NONBLOCK | abi.oCloexec);
            if (fd >= 0) {
                return new Opened(fd, name, driver, made ? Ending.PERSISTS : Ending.KERNEL_DESTROYS, tun, true);
            }
            int errno = ctx.libc.errno();
            if (made) {
                ctx.destroy(name);
            }
            if (errno != BsdErrno.EBUSY) {
                throw Openers.openError(ctx, "/dev/" + name, "a new " + driver + " interface", errno,
                        missingNodeFix(name));
            }
        }
        throw BsdErrors.of("open(/dev/" + driver + "N)", BsdErrno.EBUSY, "every " + driver + " unit up to "
                + (UnitNames.MAX_UNITS - 1) + " is in use");
    }

    /** SIOCIFCREATE of {@code name}: true if made, false if it appeared meanwhile. */
    private static boolean create(BsdContext ctx, String name) throws TunTapException {
        int e = ctx.create(name);
        if (e == BsdErrno.EEXIST) {
            return false;
        }
        Openers.check(e, "SIOCIFCREATE", name, "cannot create a persistent " + name);
        return true;
    }

    private static String missingNodeFix(String name) {
        return "OpenBSD ships /dev nodes for units 0 to 3 only; as root run 'cd /dev && sh MAKEDEV " + name
                + "' once to add this one";
    }
}
