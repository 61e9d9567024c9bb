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
 * FreeBSD 13+ ({@code sys/net/if_tuntap.c}): opening {@code /dev/tun} or {@code /dev/tap} clones the lowest
 * free unit, {@code /dev/tunN} creates or opens unit N. Interfaces outlive their fd; FreeBSD 15's
 * {@code TUNSTRANSIENT} makes the kernel destroy one on last close, and on older kernels the backend destroys
 * a non-persistent interface it created with {@code SIOCIFDESTROY} after closing the fd.
 */
final class FreeBsdSystem extends BsdSystem {

    FreeBsdSystem() {
        super(BsdAbi.FREEBSD);
    }

    @Override
    Set<Capability> capabilities(DeviceMode mode) {
        return tunTapCapabilities(mode, true, Capability.CHOOSE_NAME);
    }

    @Override
    Ending changePersistence(BsdContext ctx, Opened opened, Ending current, boolean persistent)
            throws TunTapException {
        if ((current == Ending.PERSISTS) == persistent) {
            return current;
        }
        int e = ctx.ioctlInt(opened.fd(), abi.tunstransient, persistent ? 0 : 1);
        if (e == 0) {
            return persistent ? Ending.PERSISTS : Ending.KERNEL_DESTROYS;
        }
        if (e != BsdErrno.ENOTTY && e != BsdErrno.EINVAL) {
            throw BsdErrors.ofCommon("ioctl(TUNSTRANSIENT) on " + opened.name(), e, "cannot change persistence");
        }
        return persistent ? Ending.PERSISTS : Ending.BACKEND_DESTROYS;
    }

    @Override
    Opened open(BsdContext ctx, DeviceConfig config) throws TunTapException {
        boolean tun = config.mode() == DeviceMode.TUN;
        String driver = tun ? "tun" : "tap";
        String requested = config.name().orElse(null);
        boolean existed = Openers.checkName(ctx, config, driver, requested,
                "FreeBSD names these interfaces " + driver + "N, or any name by renaming", true);
        // Any other name: clone a unit, then rename it (SIOCSIFNAME). A renamed unit gets a devfs alias
        // /dev/<name>, through which an existing one is attached.
        boolean rename = requested != null && !existed && UnitNames.unit(driver, requested) < 0;
        String path = "/dev/" + (requested == null || rename ? driver : requested);
        int fd = Openers.openNode(ctx, path, requested == null || rename ? "a new " + driver + " interface"
                : requested, "load the driver with 'kldload if_tuntap' (it is in GENERIC kernels), or check that "
                        + "devfs is mounted on /dev");
        String name = rename ? null : requested;
        boolean created = !existed;
        try {
            if (name == null) {
                name = Openers.gifname(ctx, fd, "TUNGIFNAME");
            }
            if (rename) {
                rename(ctx, name, requested);
                name = requested;
            }
            if (tun) {
                // Without the header the driver takes and gives only IPv4 ("EAFNOSUPPORT" for IPv6).
                Openers.check(ctx.ioctlInt(fd, abi.tunsifhead, 1), "TUNSIFHEAD", name,
                        "cannot turn on the address-family header, without which IPv6 does not pass");
                // The opener becomes the controlling process (the kernel logs a protocol violation otherwise).
                // Only a tun takes it: if_tuntap.c tunioctl handles TUNSIFPID in its !l2tun switch, and a tap
                // answers ENOTTY; tunopen has already recorded the opener's pid for both.
                Openers.check(ctx.libc.ioctl(fd, abi.tunsifpid, 0) < 0 ? ctx.libc.errno() : 0, "TUNSIFPID", name,
                        "cannot make this process the owner of " + name);
            }
            boolean pointToPoint = tun;
            if (tun && created && !Openers.hasPeer(config)) {
                // Linux semantics for an address without a peer: the prefix is on-link. A point-to-point
                // tun refuses such an address (EDESTADDRREQ); a broadcast one takes it. Only while down.
                int e = ctx.ioctlInt(fd, abi.tunsifmode, BsdAbi.IFF_BROADCAST | BsdAbi.IFF_MULTICAST);
                Openers.check(e, "TUNSIFMODE", name, "cannot switch " + name + " to broadcast mode");
                pointToPoint = false;
            }
            Ending ending = Ending.PERSISTS;
            if (created && !config.persistent()) {
                int e = ctx.ioctlInt(fd, abi.tunstransient, 1);
                if (e == BsdErrno.ENOTTY || e == BsdErrno.EINVAL) {
                    ending = Ending.BACKEND_DESTROYS; // before FreeBSD 15
                } else {
                    Openers.check(e, "TUNSTRANSIENT", name, "cannot make " + name + " go away on close");
                    ending = Ending.KERNEL_DESTROYS;
                }
            }
            return new Opened(fd, name, driver, ending, pointToPoint, created);
        } catch (TunTapException | RuntimeException e) {
            ctx.libc.close(fd);
            if (created && name != null) {
                ctx.destroy(name);
            }
            throw e;
        }
    }

    /** SIOCSIFNAME: {@code ifr_name} the current name, {@code ifr_data} a pointer to the new one. */
    private void rename(BsdContext ctx, String from, String to) throws TunTapException {
        int s = ctx.socket(BsdAbi.AF_INET, "renames " + from);
        try (BsdContext.Request r = new BsdContext.Request(abi.ifreqSize);
                BsdContext.Request newName = new BsdContext.Request(BsdAbi.IFNAMSIZ)) {
            io.tuntap.bsd.jna.Sockaddrs.putName(newName.view, 0, to);
            io.tuntap.bsd.jna.Ifreq.clear(r.view, abi, from);
            r.view.putLong(io.tuntap.bsd.jna.Ifreq.UNION, newName.address);
            if (ctx.libc.ioctl(s, abi.siocsifname, r.address) < 0) {
                int errno = ctx.libc.errno();
                throw BsdErrors.ofCommon("ioctl(SIOCSIFNAME) " + from + " to " + to, errno,
                        errno == BsdErrno.EEXIST ? "an interface named " + to + " exists; choose another name"
                                : "cannot give " + from + " the name " + to);
            }
        } finally {
            ctx.libc.close(s);
        }
    }
}
