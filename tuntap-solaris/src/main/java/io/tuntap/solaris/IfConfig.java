// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.IfTun;
import io.tuntap.solaris.jna.Lifreq;
import io.tuntap.solaris.jna.Sockio;
import io.tuntap.solaris.jna.Sys;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The interface's configuration through {@code SIOC[GS]LIF*} ioctls on the {@code /dev/udp} (IPv4) and
 * {@code /dev/udp6} (IPv6) streams it is linked under. An illumos interface has one physical interface per
 * address family ({@code tun0}) and logical interfaces for further addresses ({@code tun0:1}); each carries
 * one address, its netmask, a destination on point-to-point links, and its own IFF_UP.
 *
 * <p>Addresses: the first of a family goes on the physical interface, the others on logical interfaces made
 * with {@code SIOCLIFADDIF} and removed with {@code SIOCLIFREMOVEIF}. On TUN every address is point-to-point:
 * with a peer, the peer is the destination; without one, the destination is the local address itself and the
 * netmask gives the on-link prefix (the form OpenVPN's subnet topology uses on Solaris). The link state and the
 * MTU are those of the physical interfaces; up and down apply to every logical interface of both families.
 *
 * <p>Thread-safe: every method holds this object's lock while it uses the shared lifreq buffer.
 */
final class IfConfig {
    private static final int MAX_LOGICAL = 256;

    private final SunOs os;
    private final String name;
    private final DeviceMode mode;
    private final int ipFd;
    private final int ip6Fd;
    private final Memory memory = new Memory(Lifreq.SIZE + Sockio.LIFCONF_SIZE);
    private final long lifreqAddress = Pointer.nativeValue(memory);
    private final long lifconfAddress = lifreqAddress + Lifreq.SIZE;
    private final ByteBuffer lifreq = memory.getByteBuffer(0, Lifreq.SIZE).order(ByteOrder.nativeOrder());
    private final ByteBuffer lifconf = memory.getByteBuffer(Lifreq.SIZE, Sockio.LIFCONF_SIZE)
            .order(ByteOrder.nativeOrder());
    private boolean closed;

    IfConfig(SunOs os, String name, DeviceMode mode, int ipFd, int ip6Fd) {
        this.os = os;
        this.name = name;
        this.mode = mode;
        this.ipFd = ipFd;
        this.ip6Fd = ip6Fd;
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            memory.close();
        }
    }

    // ---- index, MTU, link state ---------------------------------------------------------------------

    synchronized int index() throws TunTapException {
        ioctl(ipFd, Sockio.SIOCGLIFINDEX, name, "SIOCGLIFINDEX", "cannot read the interface index");
        return lifreq.getInt(Lifreq.INDEX);
    }

    synchronized int mtu() throws TunTapException {
        ioctl(ipFd, Sockio.SIOCGLIFMTU, name, "SIOCGLIFMTU", "cannot read the MTU");
        return lifreq.getInt(Lifreq.MTU);
    }

    /** Sets the MTU of the IPv4 interface, and of the IPv6 one when the MTU is at least IPv6's 1280. */
    synchronized void setMtu(int mtu) throws TunTapException {
        if (mtu < io.tuntap.DeviceConfig.MIN_MTU || mtu > IfTun.MAX_MTU) {
            throw new InvalidConfigurationException("setMtu", 0, ErrorMessages.failed("setMtu(" + mtu + ") on "
                    + name, "the MTU must be " + io.tuntap.DeviceConfig.MIN_MTU + " to " + IfTun.MAX_MTU + ": the "
                    + "tun/tap driver reports a maximum SDU of " + IfTun.MAX_MTU + " to IP"));
        }
        Lifreq.clear(lifreq, name);
        lifreq.putInt(Lifreq.MTU, mtu);
        call(ipFd, Sockio.SIOCSLIFMTU, "SIOCSLIFMTU " + mtu, "IP refused the MTU");
        if (mtu >= 1280) {
            Lifreq.clear(lifreq, name);
            lifreq.putInt(Lifreq.MTU, mtu);
            call(ip6Fd, Sockio.SIOCSLIFMTU, "SIOCSLIFMTU " + mtu + " (IPv6)", "IP refused the IPv6 MTU");
        }
    }

    synchronized boolean isUp() throws TunTapException {
        return (flags(ipFd, name) & Sys.IFF_UP) != 0;
    }

    /** Sets or clears IFF_UP on every logical interface of both families. */
    synchronized void setUp(boolean up) throws TunTapException {
        for (int fd : new int[] {ipFd, ip6Fd}) {
            for (String logical : logicalNames(fd == ip6Fd)) {
                setFlag(fd, logical, Sys.IFF_UP, up);
            }
        }
    }

    // ---- addresses ----------------------------------------------------------------------------------

    synchronized List<DeviceAddress> addresses() throws TunTapException {
        List<DeviceAddress> all = new ArrayList<>();
        for (boolean v6 : new boolean[] {false, true}) {
            int fd = v6 ? ip6Fd : ipFd;
            for (String logical : logicalNames(v6)) {
                DeviceAddress a = address(fd, logical);
                if (a != null) {
                    all.add(a);
                }
            }
        }
        return all;
    }

    synchronized void addAddress(DeviceAddress address, boolean linkUp) throws TunTapException {
        IpPrefix local = address.local();
        boolean v6 = !local.isIpv4();
        int fd = v6 ? ip6Fd : ipFd;
        if (address.isPointToPoint() && mode == DeviceMode.TAP) {
            throw new InvalidConfigurationException("addAddress", 0, ErrorMessages.failed("addAddress(" + address
                    + ") on " + name, "a TAP interface is a broadcast link and takes no peer; give the address "
                    + "without one"));
        }
        String target = null;
        for (String logical : logicalNames(v6)) {
            DeviceAddress existing = address(fd, logical);
            if (existing == null && target == null) {
                target = logical; // a logical interface without an address: reuse it (tun0 itself at first)
            } else if (existing != null && existing.local().address().equals(local.address())) {
                throw new DeviceBusyException("addAddress", 0, ErrorMessages.failed("addAddress("
                        + address + ") on " + name, logical + " already has " + existing));
            }
        }
        if (target == null) {
            Lifreq.clear(lifreq, name);
            call(fd, Sockio.SIOCLIFADDIF, "SIOCLIFADDIF", "IP could not add a logical interface for " + address);
            target = Lifreq.name(lifreq);
        }
        setSockaddr(fd, Sockio.SIOCSLIFADDR, target, local.address(), "SIOCSLIFADDR " + local.addressText());
        setSockaddr(fd, Sockio.SIOCSLIFNETMASK, target, Lifreq.netmask(local.prefixLength(), v6),
                "SIOCSLIFNETMASK /" + local.prefixLength());
        if (mode == DeviceMode.TUN) {
            InetAddress destination = address.peer().orElse(local.address());
            setSockaddr(fd, Sockio.SIOCSLIFDSTADDR, target, destination, "SIOCSLIFDSTADDR "
                    + destination.getHostAddress());
        }
        if (linkUp) {
            setFlag(fd, target, Sys.IFF_UP, true);
        }
    }

    synchronized void removeAddress(IpPrefix local) throws TunTapException {
        boolean v6 = !local.isIpv4();
        int fd = v6 ? ip6Fd : ipFd;
        for (String logical : logicalNames(v6)) {
            DeviceAddress existing = address(fd, logical);
            if (existing != null && existing.local().equals(local)) {
                if (logical.equals(name)) {
                    // The physical interface stays: its address goes back to the unspecified one.
                    InetAddress any = v6 ? Lifreq.netmask(0, true) : Lifreq.netmask(0, false);
                    setSockaddr(fd, Sockio.SIOCSLIFADDR, logical, any, "SIOCSLIFADDR unspecified");
                    if (mode == DeviceMode.TUN) {
                        setSockaddr(fd, Sockio.SIOCSLIFDSTADDR, logical, any, "SIOCSLIFDSTADDR unspecified");
                    }
                } else {
                    Lifreq.clear(lifreq, logical);
                    Lifreq.putSockaddr(lifreq, Lifreq.ADDR, local.address());
                    call(fd, Sockio.SIOCLIFREMOVEIF, "SIOCLIFREMOVEIF " + logical, "IP could not remove " + logical);
                }
                return;
            }
        }
        throw new DeviceNotFoundException("removeAddress", 0, ErrorMessages.failed("removeAddress(" + local
                + ") on " + name, name + " has no such address"));
    }

    /** The address of one logical interface, or null if it has none. */
    private DeviceAddress address(int fd, String logical) throws TunTapException {
        Lifreq.clear(lifreq, logical);
        call(fd, Sockio.SIOCGLIFADDR, "SIOCGLIFADDR " + logical, "cannot read the address");
        InetAddress local = Lifreq.getSockaddr(lifreq, Lifreq.ADDR);
        if (local == null || local.isAnyLocalAddress()) {
            return null;
        }
        Lifreq.clear(lifreq, logical);
        call(fd, Sockio.SIOCGLIFNETMASK, "SIOCGLIFNETMASK " + logical, "cannot read the netmask");
        InetAddress mask = Lifreq.getSockaddr(lifreq, Lifreq.ADDR);
        int prefix = mask == null ? (local instanceof Inet4Address ? 32 : 128) : Lifreq.prefixLength(mask);
        IpPrefix prefixed = new IpPrefix(local, Math.max(prefix, 0));
        if (mode == DeviceMode.TUN && (flags(fd, logical) & Sys.IFF_POINTOPOINT) != 0) {
            Lifreq.clear(lifreq, logical);
            call(fd, Sockio.SIOCGLIFDSTADDR, "SIOCGLIFDSTADDR " + logical, "cannot read the destination");
            InetAddress destination = Lifreq.getSockaddr(lifreq, Lifreq.ADDR);
            if (destination != null && !destination.isAnyLocalAddress() && !destination.equals(local)) {
                return DeviceAddress.pointToPoint(prefixed, destination);
            }
        }
        return DeviceAddress.of(prefixed);
    }

    /** The names of this interface's logical interfaces of one family, the physical one first, via SIOCGLIFCONF. */
    private List<String> logicalNames(boolean v6) throws TunTapException {
        int count = MAX_LOGICAL;
        try (Memory buffer = new Memory((long) count * Lifreq.SIZE)) {
            lifconf.putShort(0, (short) (v6 ? Sys.AF_INET6 : Sys.AF_INET));
            lifconf.putInt(4, 0);
            lifconf.putInt(8, (int) buffer.size());
            lifconf.putLong(16, Pointer.nativeValue(buffer));
            if (os.libc().ioctl(v6 ? ip6Fd : ipFd, Sockio.SIOCGLIFCONF, lifconfAddress) < 0) {
                throw SolarisErrors.ofCommon("ioctl(SIOCGLIFCONF) on " + name, os.libc().errno(),
                        "cannot list the logical interfaces");
            }
            int n = lifconf.getInt(8) / Lifreq.SIZE;
            List<String> names = new ArrayList<>();
            ByteBuffer entries = buffer.getByteBuffer(0, buffer.size()).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++) {
                String entry = Lifreq.name(entries.slice(i * Lifreq.SIZE, Lifreq.SIZE).order(ByteOrder.nativeOrder()));
                if (entry.equals(name)) {
                    names.add(0, entry);
                } else if (entry.startsWith(name + ":")) {
                    names.add(entry);
                }
            }
            if (names.isEmpty() || !names.get(0).equals(name)) {
                throw new DeviceNotFoundException("ioctl(SIOCGLIFCONF)", 0, ErrorMessages.failed("SIOCGLIFCONF on "
                        + name, "the " + (v6 ? "IPv6" : "IPv4") + " interface " + name + " is gone: another "
                        + "program unplumbed it"));
            }
            return names;
        }
    }

    private long flags(int fd, String logical) throws TunTapException {
        Lifreq.clear(lifreq, logical);
        call(fd, Sockio.SIOCGLIFFLAGS, "SIOCGLIFFLAGS " + logical, "cannot read the flags");
        return lifreq.getLong(Lifreq.FLAGS);
    }

    private void setFlag(int fd, String logical, long flag, boolean on) throws TunTapException {
        long flags = flags(fd, logical);
        long wanted = on ? flags | flag : flags & ~flag;
        if (wanted != flags) {
            Lifreq.clear(lifreq, logical);
            lifreq.putLong(Lifreq.FLAGS, wanted);
            call(fd, Sockio.SIOCSLIFFLAGS, "SIOCSLIFFLAGS " + logical,
                    "IP refused the flags 0x" + Long.toHexString(wanted));
        }
    }

    private void setSockaddr(int fd, int request, String logical, InetAddress address, String what)
            throws TunTapException {
        Lifreq.clear(lifreq, logical);
        Lifreq.putSockaddr(lifreq, Lifreq.ADDR, address);
        call(fd, request, what + " on " + logical, "IP refused it");
    }

    private void ioctl(int fd, int request, String logical, String what, String meaning) throws TunTapException {
        Lifreq.clear(lifreq, logical);
        call(fd, request, what, meaning);
    }

    private void call(int fd, int request, String what, String meaning) throws TunTapException {
        if (closed) {
            throw ErrorMessages.closed(what, name);
        }
        if (os.libc().ioctl(fd, request, lifreqAddress) < 0) {
            int errno = os.libc().errno();
            String explanation = switch (errno) {
                case Errno.EINVAL -> meaning + ": IP says the value is invalid for " + name;
                case Errno.EADDRINUSE, Errno.EEXIST -> meaning + ": the address is in use";
                case Errno.ENXIO -> meaning + ": " + name + " is gone (unplumbed by another program?)";
                default -> meaning;
            };
            TunTapException e = SolarisErrors.ofCommon("ioctl(" + what + ") on " + name, errno, explanation);
            if (errno == Errno.EINVAL && request == Sockio.SIOCSLIFMTU) {
                throw new InvalidConfigurationException(e.function(), errno, e.getMessage());
            }
            throw e;
        }
    }
}
