// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import java.util.EnumSet;
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
        Set<Capability> c = EnumSet.of(Capability.ATTACH, Capability.PERSISTENT, Capability.MTU,
                Capability.LINK_STATE, Capability.IPV4_ADDRESSES, Capability.IPV6_ADDRESSES, Capability.ZERO_COPY);
        if (mode == DeviceMode.TUN) {
            c.add(Capability.TUN);
            c.add(Capability.PEER_ADDRESSES);
        } else {
            c.add(Capability.TAP);
            c.add(Capability.SET_MAC_ADDRESS);
        }
        return c;
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
                "FreeBSD names these interfaces " + driver + "N");
        String path = "/dev/" + (requested == null ? driver : requested);
        int fd = Openers.openNode(ctx, path, requested == null ? "a new " + driver + " interface" : requested,
                "load the driver with 'kldload if_tuntap' (it is in GENERIC kernels), or check that devfs is "
                        + "mounted on /dev");
        String name = requested;
        boolean created = !existed;
        try {
            if (name == null) {
                name = Openers.gifname(ctx, fd, "TUNGIFNAME");
            }
            if (tun) {
                // Without the header the driver takes and gives only IPv4 ("EAFNOSUPPORT" for IPv6).
                Openers.check(ctx.ioctlInt(fd, abi.tunsifhead, 1), "TUNSIFHEAD", name,
                        "cannot turn on the address-family header, without which IPv6 does not pass");
            }
            // The opener becomes the controlling process (the kernel logs a protocol violation otherwise).
            Openers.check(ctx.libc.ioctl(fd, abi.tunsifpid, 0) < 0 ? ctx.libc.errno() : 0, "TUNSIFPID", name,
                    "cannot make this process the owner of " + name);
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
}
