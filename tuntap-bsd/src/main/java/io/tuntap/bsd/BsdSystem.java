// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What differs between FreeBSD, OpenBSD, NetBSD and macOS when a device is opened and closed: how a unit is
 * found or created, which ioctls set it up, whether the interface outlives its fd, and what each mode can
 * do. Everything else (the packet path, MTU, flags, addresses) is shared by {@link BsdTunTapDevice}.
 */
abstract class BsdSystem {
    final BsdAbi abi;

    BsdSystem(BsdAbi abi) {
        this.abi = abi;
    }

    /** What a device of {@code mode} can do on this system; empty if the mode is not offered. */
    abstract Set<Capability> capabilities(DeviceMode mode);

    /**
     * What the tun and tap drivers of FreeBSD, OpenBSD and NetBSD offer alike: a unit that can be attached to
     * and kept, its MTU, link state, addresses of both families, routes, events and zero copy; a TUN device
     * also peers, a TAP device a settable MAC address where {@code setsMac}.
     *
     * @param mode the mode
     * @param setsMac whether this system's tap driver takes {@code SIOCSIFLLADDR}
     * @param extra what this system adds
     * @return a new, modifiable set
     */
    static Set<Capability> tunTapCapabilities(DeviceMode mode, boolean setsMac, Capability... extra) {
        Set<Capability> c = EnumSet.of(Capability.ATTACH, Capability.PERSISTENT, Capability.MTU,
                Capability.LINK_STATE, Capability.IPV4_ADDRESSES, Capability.IPV6_ADDRESSES,
                Capability.ZERO_COPY, Capability.EVENTS, Capability.ROUTES,
                Capability.BYPASS_ROUTES, Capability.ADOPT);
        c.addAll(Arrays.asList(extra));
        if (mode == DeviceMode.TUN) {
            c.add(Capability.TUN);
            c.add(Capability.PEER_ADDRESSES);
        } else {
            c.add(Capability.TAP);
            if (setsMac) {
                c.add(Capability.SET_MAC_ADDRESS);
            }
        }
        return c;
    }

    /** Why {@code mode} is not offered (only asked when {@link #capabilities} is empty). */
    String whyNot(DeviceMode mode) {
        return mode + " devices are not offered on " + abi;
    }

    /**
     * Opens (creating if need be) the device's fd and sets it up for the packet path.
     *
     * @return the open device: its non-blocking fd, name, and how it goes away
     */
    abstract Opened open(BsdContext context, DeviceConfig config) throws TunTapException;

    /** How an interface goes away when its device closes. */
    enum Ending {
        /** It stays: persistent. */
        PERSISTS,
        /** The kernel destroys it on last close (utun, OpenBSD units made by open, FreeBSD 15 transient). */
        KERNEL_DESTROYS,
        /** The kernel keeps it, so the backend destroys it with SIOCIFDESTROY after closing the fd. */
        BACKEND_DESTROYS
    }

    /**
     * An open fd of a unit.
     *
     * @param fd the non-blocking fd for packets
     * @param name the interface name
     * @param driver "tun", "tap" or "utun"
     * @param ending how the interface goes away
     * @param pointToPoint whether the interface is point-to-point (an IPv4 address then needs a destination)
     * @param created whether this open made the interface (so that a failed open removes it again)
     * @param peer a second interface that goes with this one and is destroyed with it (the far end of a macOS
     *     {@code feth} pair), or null
     * @param bufferSize the size of the fd's kernel read buffer where a read must ask for exactly that (BPF), or 0
     */
    record Opened(int fd, String name, String driver, Ending ending, boolean pointToPoint, boolean created,
            String peer, int bufferSize) {
        Opened(int fd, String name, String driver, Ending ending, boolean pointToPoint, boolean created) {
            this(fd, name, driver, ending, pointToPoint, created, null, 0);
        }
    }

    /** The packet queue over an opened fd; on failure the fd is closed. */
    DeviceQueue queue(BsdContext ctx, Opened opened, DeviceMode mode) throws TunTapException {
        return BsdQueue.open(ctx.libc, ctx.abi, opened.fd(), opened.name(), mode == DeviceMode.TUN, maxWrite(mode));
    }

    /**
     * Makes an open interface persistent or not.
     *
     * @return the new ending
     * @throws io.tuntap.UnsupportedFeatureException where the system fixes it at creation
     */
    Ending changePersistence(BsdContext ctx, Opened opened, Ending current, boolean persistent)
            throws TunTapException {
        if ((current == Ending.PERSISTS) == persistent) {
            return current;
        }
        throw new io.tuntap.UnsupportedFeatureException("setPersistent", 0, "on " + abi + " whether "
                + opened.name() + " outlives its handle is fixed when it is created: open it with "
                + "DeviceConfig.persistent(" + persistent + ") instead");
    }

    /** The longest packet (TUN) or frame (TAP) one write takes. */
    int maxWrite(DeviceMode mode) {
        if (mode == DeviceMode.TUN) {
            // NetBSD tunwrite: more than TUNMTU (1500) is EIO; FreeBSD TUNMRU 65535; OpenBSD MAXMCLBYTES (64 KiB).
            return abi.os == BsdAbi.Os.NETBSD ? 1500 : 65535;
        }
        return switch (abi.os) {
            // if_tuntap.c tunwrite: more than TAPMRU (65535, if_tap.h) is EIO.
            case FREEBSD -> 65535;
            // if_tun.c tun_dev_write: more than if_hdrlen (ETHER_HDR_LEN 14) + MAXMCLBYTES (64 KiB) is EMSGSIZE.
            case OPENBSD -> 14 + 65536;
            // if_tap.c tap_dev_write checks no length: the largest MTU with an Ethernet header and a VLAN tag.
            default -> 65535 + 18;
        };
    }
}
