// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.Capability;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.PacketChannel;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Rtnl;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A Linux TUN or TAP interface: its queues ({@link LinuxQueue}, one fd each) and an rtnetlink socket for
 * configuration. The packet methods are queue 0's. Configuration calls are serialised on the netlink socket.
 */
abstract class LinuxDevice implements TunTapDevice {
    final LinuxLibC libc;
    final Rtnetlink netlink;
    private final DeviceMode mode;
    private final String name;
    private final int index;
    private final List<LinuxQueue> queues;
    /** What {@link #queues()} returns: this device as queue 0, then the other queues. */
    private final List<PacketChannel> channels;
    private final LinuxQueue first;
    private final Set<Capability> capabilities;
    /** The TUNSETIFF flags to restore the interface with on close (see LinuxDeviceOpener.restoreAsFound), or 0. */
    private short restoreFlags;

    LinuxDevice(LinuxLibC libc, Rtnetlink netlink, DeviceMode mode, String name, int index, List<LinuxQueue> queues,
            Set<Capability> capabilities) {
        this.libc = libc;
        this.netlink = netlink;
        this.mode = mode;
        this.name = name;
        this.index = index;
        this.queues = List.copyOf(queues);
        this.first = queues.get(0);
        List<PacketChannel> all = new java.util.ArrayList<>(queues);
        all.set(0, this);
        this.channels = List.copyOf(all);
        this.capabilities = capabilities;
    }

    @Override
    public DeviceMode mode() {
        return mode;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public List<? extends PacketChannel> queues() {
        return channels;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** Queue 0 itself, for its statistics. */
    LinuxQueue firstQueue() {
        return first;
    }

    // ---- packets: queue 0 -------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        return first.read(dst);
    }

    @Override
    public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        return first.read(dst, timeout);
    }

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        return first.write(src);
    }

    @Override
    public int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        return first.readPackets(dsts, count);
    }

    @Override
    public int writePackets(ByteBuffer[] srcs, int count) throws TunTapException {
        return first.writePackets(srcs, count);
    }

    @Override
    public boolean isOpen() {
        return first.isOpen();
    }

    /** Makes {@link #close()} leave the interface's virtio-net header and offload settings as found. */
    void restoreOnClose(short flags) {
        restoreFlags = flags;
    }

    @Override
    public void close() {
        synchronized (netlink) {
            boolean wasOpen = first.isOpen();
            for (LinuxQueue q : queues) {
                q.close();
            }
            if (wasOpen && restoreFlags != 0) {
                LinuxDeviceOpener.restoreAsFound(libc, netlink, name, restoreFlags);
            }
            netlink.close();
        }
    }

    // ---- configuration ----------------------------------------------------------------------------

    @Override
    public int mtu() throws TunTapException {
        return link().mtu();
    }

    @Override
    public void setMtu(int mtu) throws TunTapException {
        if (mtu < DeviceConfig.MIN_MTU || mtu > DeviceConfig.MAX_MTU) {
            throw new InvalidConfigurationException("setMtu", 0, "MTU " + mtu + " is out of range: use "
                    + DeviceConfig.MIN_MTU + " to " + DeviceConfig.MAX_MTU);
        }
        synchronized (netlink) {
            ensureOpen();
            int errno = netlink.setMtu(index, mtu);
            if (errno == Errno.EINVAL) {
                throw new InvalidConfigurationException("rtnetlink RTM_SETLINK IFLA_MTU", errno, "rtnetlink "
                        + "RTM_SETLINK IFLA_MTU failed with EINVAL: " + name + " does not accept MTU " + mtu
                        + " (a TAP device takes at most 65521, the Ethernet header counts too)");
            } else if (errno != 0) {
                throw LinuxErrors.ofCommon("rtnetlink RTM_SETLINK IFLA_MTU", errno, "cannot set the MTU of " + name);
            }
        }
    }

    @Override
    public boolean isUp() throws TunTapException {
        return (link().flags() & Rtnl.IFF_UP) != 0;
    }

    @Override
    public void setUp(boolean up) throws TunTapException {
        synchronized (netlink) {
            ensureOpen();
            int errno = netlink.setUp(index, up);
            if (errno != 0) {
                throw LinuxErrors.ofCommon("rtnetlink RTM_SETLINK IFF_UP", errno, "cannot bring " + name
                        + (up ? " up" : " down"));
            }
        }
    }

    @Override
    public List<IpPrefix> addresses() throws TunTapException {
        synchronized (netlink) {
            ensureOpen();
            return List.copyOf(netlink.addresses(index));
        }
    }

    @Override
    public void addAddress(IpPrefix address) throws TunTapException {
        synchronized (netlink) {
            ensureOpen();
            int errno = netlink.addAddress(index, address);
            String call = "rtnetlink RTM_NEWADDR " + address;
            if (errno == Errno.EEXIST) {
                throw new DeviceBusyException(call, errno, call + " failed with EEXIST: " + name + " already has "
                        + address + "; remove it first or skip adding it");
            } else if (errno == Errno.EACCES && !address.isIpv4()) {
                throw new UnsupportedFeatureException(call, errno, call + " failed with EACCES: IPv6 is disabled on "
                        + name + " (sysctl net.ipv6.conf." + name + ".disable_ipv6=1, or IPv6 is off system-wide)");
            } else if (errno != 0) {
                throw LinuxErrors.ofCommon(call, errno, "cannot add " + address + " to " + name
                        + (address.isIpv4() ? "" : " (IPv6 needs an MTU of at least 1280)"));
            }
        }
    }

    @Override
    public void removeAddress(IpPrefix address) throws TunTapException {
        synchronized (netlink) {
            ensureOpen();
            int errno = netlink.removeAddress(index, address);
            String call = "rtnetlink RTM_DELADDR " + address;
            if (errno == Errno.EADDRNOTAVAIL || errno == Errno.ENOENT) {
                throw new DeviceNotFoundException(call, errno, call + " failed with " + Errno.name(errno) + ": "
                        + name + " does not have " + address + "; see addresses() for what it has");
            } else if (errno != 0) {
                throw LinuxErrors.ofCommon(call, errno, "cannot remove " + address + " from " + name);
            }
        }
    }

    @Override
    public boolean isPersistent() throws TunTapException {
        return link().persistent();
    }

    @Override
    public void setPersistent(boolean persistent) throws TunTapException {
        synchronized (netlink) {
            ensureOpen();
            if (libc.ioctl(first.fd(), IfTun.TUNSETPERSIST, persistent ? 1 : 0) < 0) {
                int errno = libc.errno();
                throw LinuxErrors.ofCommon("ioctl(TUNSETPERSIST)", errno, "cannot change persistence of " + name);
            }
        }
    }

    LinkInfo link() throws TunTapException {
        synchronized (netlink) {
            ensureOpen();
            LinkInfo link = netlink.link(index);
            if (link == null) {
                throw new DeviceNotFoundException("rtnetlink RTM_GETLINK", Errno.ENODEV, "interface " + name
                        + " (#" + index + ") no longer exists: it was deleted by another program");
            }
            return link;
        }
    }

    void ensureOpen() throws TunTapException {
        if (!first.isOpen()) {
            throw new DeviceClosedException("configure", 0, name + " is closed");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", #" + index + ", " + queues.size() + " queue(s)"
                + (isOpen() ? "" : ", closed") + "]";
    }
}
