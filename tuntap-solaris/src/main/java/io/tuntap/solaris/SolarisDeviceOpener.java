// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.Route;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.solaris.jna.Dlpi;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.IfTun;
import io.tuntap.solaris.jna.Stropts;
import io.tuntap.solaris.jna.Sys;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a device: plumbs a unit ({@link SolarisLink}), then applies the configuration (MTU, addresses, link
 * state). Any failure undoes everything, so that an open that throws leaves no unit, no interface and no file
 * descriptor behind.
 */
final class SolarisDeviceOpener {
    /** What a tun unit can do. Not: names other than tunN, attaching, persistence, owners, queues, offload, routes. */
    static final Set<Capability> TUN_CAPABILITIES = Set.copyOf(EnumSet.of(Capability.TUN, Capability.MTU,
            Capability.LINK_STATE, Capability.IPV4_ADDRESSES, Capability.IPV6_ADDRESSES, Capability.PEER_ADDRESSES,
            Capability.ROUTES, Capability.EVENTS, Capability.ZERO_COPY, Capability.BYPASS_ROUTES));
    /** What a tap unit can do: a broadcast link, so no peers; its MAC address is fixed by the driver. */
    static final Set<Capability> TAP_CAPABILITIES = Set.copyOf(EnumSet.of(Capability.TAP, Capability.MTU,
            Capability.LINK_STATE, Capability.IPV4_ADDRESSES, Capability.IPV6_ADDRESSES, Capability.ROUTES,
            Capability.EVENTS, Capability.ZERO_COPY, Capability.BYPASS_ROUTES));

    private static final Pattern UNIT_NAME = Pattern.compile("(tun|tap)(\\d{1,2})");
    /** How long the driver may take to answer DL_PHYS_ADDR_REQ. */
    private static final int DLPI_TIMEOUT_MILLIS = 5000;

    private final SunOs os;

    SolarisDeviceOpener(SunOs os) {
        this.os = os;
    }

    static Set<Capability> capabilities(DeviceMode mode) {
        return mode == DeviceMode.TUN ? TUN_CAPABILITIES : TAP_CAPABILITIES;
    }

    /** The unit a configuration asks for, or -1 for the first free one. */
    static int unit(DeviceConfig config) throws InvalidConfigurationException {
        if (config.name().isEmpty()) {
            return -1;
        }
        String name = config.name().get();
        String prefix = SolarisLink.prefix(config.mode());
        Matcher m = UNIT_NAME.matcher(name);
        if (!m.matches() || !m.group(1).equals(prefix) || Integer.parseInt(m.group(2)) >= IfTun.TUNMAXPPA) {
            throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open(" + name + ")", "the tun/tap "
                    + "driver names its " + config.mode() + " units " + prefix + "0 to " + prefix
                    + (IfTun.TUNMAXPPA - 1) + " and takes no other names; give one of those, or no name"));
        }
        return Integer.parseInt(m.group(2));
    }

    TunTapDevice open(DeviceConfig config) throws TunTapException {
        int unit = unit(config);
        DeviceMode mode = config.mode();
        SolarisLink link = SolarisLink.plumb(os, mode, unit);
        int[] pipe = null;
        IfConfig ifConfig = null;
        SolarisDeviceImpl device = null;
        try {
            pipe = pipe(link.name);
            ifConfig = new IfConfig(os, link.name, mode, link.ipFd, link.ip6Fd);
            int index = ifConfig.index();
            device = mode == DeviceMode.TUN
                    ? new SolarisTunDevice(os, link, ifConfig, index, TUN_CAPABILITIES, pipe)
                    : new SolarisTapDevice(os, link, ifConfig, index, TAP_CAPABILITIES, pipe, physAddr(link));
            configure(device, config);
            return device;
        } catch (TunTapException | RuntimeException e) {
            if (device != null) {
                device.close(); // unplumbs and closes the pipe
            } else {
                if (ifConfig != null) {
                    ifConfig.close();
                }
                if (pipe != null) {
                    os.libc().close(pipe[0]);
                    os.libc().close(pipe[1]);
                }
                link.unplumb();
            }
            throw e;
        }
    }

    private static void configure(SolarisDeviceImpl device, DeviceConfig config) throws TunTapException {
        if (config.mtu().isPresent()) {
            device.setMtu(config.mtu().getAsInt());
        }
        for (DeviceAddress a : config.addresses()) {
            device.addAddress(a);
        }
        device.setUp(config.up());
        for (Route r : config.routes()) {
            device.addRoute(r);
        }
    }

    private int[] pipe(String name) throws TunTapException {
        try (Memory fds = new Memory(8)) {
            if (os.libc().pipe(Pointer.nativeValue(fds)) < 0) {
                throw SolarisErrors.ofCommon("pipe", os.libc().errno(), "cannot create the pipe that lets close() "
                        + "wake a reader of " + name);
            }
            int[] pipe = {fds.getInt(0), fds.getInt(4)};
            // pipe(2) has no flags argument: keep the ends out of child processes afterwards.
            os.libc().fcntl(pipe[0], Sys.F_SETFD, Sys.FD_CLOEXEC);
            os.libc().fcntl(pipe[1], Sys.F_SETFD, Sys.FD_CLOEXEC);
            return pipe;
        }
    }

    /**
     * Asks the tap driver's control stream for the unit's Ethernet address: DL_PHYS_ADDR_REQ as a
     * high-priority message, answered by DL_PHYS_ADDR_ACK (the driver answers it on any stream attached to a
     * unit, the control stream included).
     */
    private MacAddress physAddr(SolarisLink link) throws TunTapException {
        String call = "DL_PHYS_ADDR_REQ on " + link.name;
        try (Memory m = new Memory(16 + 64 + 2L * Stropts.Strbuf.SIZE + 8)) {
            m.clear();
            long ctl = Pointer.nativeValue(m) + 16;
            long strbuf = ctl + 64;
            long flags = strbuf + 2L * Stropts.Strbuf.SIZE;
            m.setInt(16, Dlpi.DL_PHYS_ADDR_REQ);
            m.setInt(20, Dlpi.DL_CURR_PHYS_ADDR);
            m.setInt(80 + Stropts.Strbuf.MAXLEN, 0);
            m.setInt(80 + Stropts.Strbuf.LEN, Dlpi.PHYS_ADDR_REQ_SIZE);
            m.setLong(80 + Stropts.Strbuf.BUF, ctl);
            if (os.streams().putmsg(link.controlFd, strbuf, 0L, Stropts.RS_HIPRI) < 0) {
                throw SolarisErrors.ofCommon("putmsg(" + call + ")", os.libc().errno(), "cannot ask the tap driver "
                        + "for the unit's Ethernet address");
            }
            // struct pollfd at 0: wait for the high-priority answer.
            m.setInt(0, link.controlFd);
            m.setShort(4, Sys.POLLPRI);
            long deadline = System.currentTimeMillis() + DLPI_TIMEOUT_MILLIS;
            while (true) {
                m.setInt(80 + Stropts.Strbuf.MAXLEN, 64);
                m.setInt(80 + Stropts.Strbuf.LEN, 0);
                m.setInt(flags - Pointer.nativeValue(m), Stropts.RS_HIPRI);
                int r = os.streams().getmsg(link.controlFd, strbuf, 0L, flags);
                if (r >= 0) {
                    int length = m.getInt(80 + Stropts.Strbuf.LEN);
                    int primitive = m.getInt(16);
                    int addrLength = m.getInt(20);
                    int addrOffset = m.getInt(24);
                    if (primitive != Dlpi.DL_PHYS_ADDR_ACK || addrLength != MacAddress.LENGTH
                            || addrOffset + MacAddress.LENGTH > length) {
                        throw new TunTapException("getmsg", 0, ErrorMessages.failed("getmsg(" + call + ")", "the tap "
                                + "driver answered primitive 0x" + Integer.toHexString(primitive) + " with "
                                + addrLength + " address bytes, not DL_PHYS_ADDR_ACK with an Ethernet address"));
                    }
                    return MacAddress.of(m.getByteArray(16 + addrOffset, MacAddress.LENGTH));
                }
                int errno = os.libc().errno();
                if (errno != Errno.EAGAIN && errno != Errno.EINTR) {
                    throw SolarisErrors.ofCommon("getmsg(" + call + ")", errno, "no answer from the tap driver");
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new TunTapException("getmsg", 0, ErrorMessages.failed("getmsg(" + call + ")",
                            "the tap driver did not answer within " + DLPI_TIMEOUT_MILLIS + " ms"));
                }
                os.libc().poll(Pointer.nativeValue(m), 1, (int) Math.min(left, 100));
            }
        }
    }
}
