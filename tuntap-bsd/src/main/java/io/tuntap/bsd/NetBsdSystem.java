// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.spi.ErrorMessages;
import java.util.Set;

/**
 * NetBSD 9/10 ({@code sys/net/if_tun.c}, {@code sys/net/if_tap.c}): opening {@code /dev/tunN} creates unit N,
 * which then outlives the fd, so the backend destroys a non-persistent one it created. {@code /dev/tap} clones
 * a new tap that the kernel destroys on close; {@code /dev/tapN} opens a unit made by {@code SIOCIFCREATE}.
 * Its {@code struct ifreq} is 144 bytes; tun reads answer {@code EHOSTDOWN} until an address is set, and the
 * tun MTU is 576 to 1500. Both drivers ignore {@code O_NONBLOCK} at open, so every fd gets {@code FIONBIO}.
 */
final class NetBsdSystem extends BsdSystem {

    NetBsdSystem() {
        super(BsdAbi.NETBSD);
    }

    @Override
    Set<Capability> capabilities(DeviceMode mode) {
        // No SET_MAC_ADDRESS: NetBSD sets link addresses with SIOCALIFADDR, which this backend does not send.
        return tunTapCapabilities(mode, false);
    }

    @Override
    Ending changePersistence(BsdContext ctx, Opened opened, Ending current, boolean persistent)
            throws TunTapException {
        if (current == Ending.KERNEL_DESTROYS) {
            return super.changePersistence(ctx, opened, current, persistent);
        }
        return persistent ? Ending.PERSISTS : Ending.BACKEND_DESTROYS;
    }

    @Override
    Opened open(BsdContext ctx, DeviceConfig config) throws TunTapException {
        return config.mode() == DeviceMode.TUN ? openTun(ctx, config) : openTap(ctx, config);
    }

    private Opened openTun(BsdContext ctx, DeviceConfig config) throws TunTapException {
        String requested = config.name().orElse(null);
        boolean existed = Openers.checkName(ctx, config, "tun", requested, "NetBSD names them tunN");
        int fd = -1;
        String name = requested;
        if (requested != null) {
            fd = Openers.openNode(ctx, "/dev/" + requested, requested, missingNodeFix(requested));
        } else {
            for (int unit = 0; unit < UnitNames.MAX_UNITS && fd < 0; unit++) {
                name = "tun" + unit;
                if (ctx.index(name) != 0) {
                    continue;
                }
                fd = ctx.libc.open("/dev/" + name, BsdAbi.O_RDWR | BsdAbi.O_NONBLOCK | abi.oCloexec);
                if (fd < 0 && ctx.libc.errno() != BsdErrno.EBUSY) {
                    throw Openers.openError(ctx, "/dev/" + name, "a new tun interface", ctx.libc.errno(),
                            missingNodeFix(name));
                }
            }
            if (fd < 0) {
                throw BsdErrors.of("open(/dev/tunN)", BsdErrno.EBUSY, "every tun unit is in use");
            }
        }
        boolean created = !existed;
        try {
            nonBlocking(ctx, fd, name);
            // Without it the driver drops IPv6 ("silently drops all IPv6 packets on output").
            Openers.check(ctx.ioctlInt(fd, abi.tunsifhead, 1), "TUNSIFHEAD", name,
                    "cannot turn on the address-family header, without which IPv6 does not pass");
            boolean pointToPoint = true;
            if (created && !Openers.hasPeer(config)) {
                Openers.check(ctx.ioctlInt(fd, abi.tunsifmode, BsdAbi.IFF_BROADCAST | BsdAbi.IFF_MULTICAST),
                        "TUNSIFMODE", name, "cannot switch " + name + " to broadcast mode");
                pointToPoint = false;
            }
            Ending ending = created && !config.persistent() ? Ending.BACKEND_DESTROYS : Ending.PERSISTS;
            return new Opened(fd, name, "tun", ending, pointToPoint, created);
        } catch (TunTapException | RuntimeException e) {
            ctx.libc.close(fd);
            if (created) {
                ctx.destroy(name);
            }
            throw e;
        }
    }

    private Opened openTap(BsdContext ctx, DeviceConfig config) throws TunTapException {
        String requested = config.name().orElse(null);
        boolean existed = Openers.checkName(ctx, config, "tap", requested, "NetBSD names them tapN");
        if (requested == null) {
            if (config.persistent()) {
                throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open(persistent tap)",
                        "a tap cloned from /dev/tap goes away with its fd "
                        + "on NetBSD; for a persistent one, ask for a unit name (e.g. tap0), which is made with "
                        + "SIOCIFCREATE and stays"));
            }
            int fd = Openers.openNode(ctx, "/dev/tap", "a new tap interface", "the tap driver is missing from this "
                    + "kernel (pseudo-device tap)");
            try {
                String name = Openers.gifname(ctx, fd, "TAPGIFNAME");
                nonBlocking(ctx, fd, name);
                return new Opened(fd, name, "tap", Ending.KERNEL_DESTROYS, false, true);
            } catch (TunTapException | RuntimeException e) {
                ctx.libc.close(fd);
                throw e;
            }
        }
        boolean made = false;
        if (!existed) {
            int e = ctx.create(requested);
            Openers.check(e, "SIOCIFCREATE", requested, "cannot create " + requested);
            made = true;
        }
        int fd = Openers.openMade(ctx, requested, made, missingNodeFix(requested));
        try {
            nonBlocking(ctx, fd, requested);
        } catch (TunTapException | RuntimeException e) {
            ctx.libc.close(fd);
            if (made) {
                ctx.destroy(requested);
            }
            throw e;
        }
        Ending ending = made && !config.persistent() ? Ending.BACKEND_DESTROYS : Ending.PERSISTS;
        return new Opened(fd, requested, "tap", ending, false, made);
    }

    /**
     * Makes reads of a new fd non-blocking and the fd close-on-exec. NetBSD's drivers ignore O_NONBLOCK at
     * open: tunread (if_tun.c) and tap_dev_read (if_tap.c) sleep unless FIONBIO set TUN_NBIO or TAP_NBIO. The
     * {@code /dev/tap} clone also drops O_CLOEXEC: tap_dev_cloner makes the new file with FREAD | FWRITE alone.
     */
    private static void nonBlocking(BsdContext ctx, int fd, String name) throws TunTapException {
        Openers.check(ctx.ioctlInt(fd, BsdAbi.FIONBIO, 1), "FIONBIO", name,
                "cannot make reads of " + name + " non-blocking");
        if (ctx.libc.fcntl(fd, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC) < 0) {
            throw BsdErrors.ofCommon("fcntl(F_SETFD, FD_CLOEXEC) on " + name, ctx.libc.errno(),
                    "cannot keep the fd of " + name + " from child processes");
        }
    }

    private static String missingNodeFix(String name) {
        return "create the node as root once ('cd /dev && sh MAKEDEV " + name + "')";
    }
}
