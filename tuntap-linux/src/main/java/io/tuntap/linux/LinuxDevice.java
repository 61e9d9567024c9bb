// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Rtnl;
import io.tuntap.spi.AbstractTunTapDevice;
import java.util.List;
import java.util.Set;

/**
 * A Linux TUN or TAP interface: its queues ({@link LinuxQueue}, one fd each) and an rtnetlink socket for
 * configuration. The packet methods are queue 0's. Configuration calls are serialised on the netlink socket.
 */
abstract class LinuxDevice extends AbstractTunTapDevice {
    final LinuxLibC libc;
    final Rtnetlink netlink;
    private final List<LinuxQueue> queues;
    private final LinuxQueue first;

    LinuxDevice(LinuxLibC libc, Rtnetlink netlink, DeviceMode mode, String name, int index, List<LinuxQueue> queues,
            Set<Capability> capabilities) {
        super(mode, name, index, capabilities);
        this.libc = libc;
        this.netlink = netlink;
        this.queues = List.copyOf(queues);
        this.first = queues.get(0);
        attachQueues(this.queues);
    }

    /** Queue 0 itself, for its statistics. */
    LinuxQueue firstQueue() {
        return first;
    }

    @Override
    protected void closeDevice() {
        synchronized (netlink) {
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
            ensureOpen("setMtu");
            int errno = netlink.setMtu(index(), mtu);
            if (errno == Errno.EINVAL) {
                throw new InvalidConfigurationException("rtnetlink RTM_SETLINK IFLA_MTU", errno, "rtnetlink "
                        + "RTM_SETLINK IFLA_MTU failed with EINVAL: " + name() + " does not accept MTU " + mtu
                        + " (a TAP device takes at most 65521, the Ethernet header counts too)");
            } else if (errno != 0) {
                throw LinuxErrors.ofCommon("rtnetlink RTM_SETLINK IFLA_MTU", errno, "cannot set the MTU of " + name());
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
            ensureOpen("setUp");
            int errno = netlink.setUp(index(), up);
            if (errno != 0) {
                throw LinuxErrors.ofCommon("rtnetlink RTM_SETLINK IFF_UP", errno, "cannot bring " + name()
                        + (up ? " up" : " down"));
            }
        }
    }

    @Override
    public List<DeviceAddress> addresses() throws TunTapException {
        synchronized (netlink) {
            ensureOpen("addresses");
            return List.copyOf(netlink.addresses(index()));
        }
    }

    @Override
    public void addAddress(DeviceAddress address) throws TunTapException {
        synchronized (netlink) {
            ensureOpen("addAddress");
            int errno = netlink.addAddress(index(), address);
            String call = "rtnetlink RTM_NEWADDR " + address;
            IpPrefix local = address.local();
            if (errno == Errno.EEXIST) {
                throw new DeviceBusyException(call, errno, call + " failed with EEXIST: " + name() + " already has "
                        + local + "; remove it first or skip adding it");
            } else if (errno == Errno.EACCES && !local.isIpv4()) {
                throw new UnsupportedFeatureException(call, errno, call + " failed with EACCES: IPv6 is disabled on "
                        + name() + " (sysctl net.ipv6.conf." + name() + ".disable_ipv6=1, or IPv6 is off system-wide)");
            } else if (errno != 0) {
                throw LinuxErrors.ofCommon(call, errno, "cannot add " + address + " to " + name()
                        + (local.isIpv4() ? "" : " (IPv6 needs an MTU of at least 1280)"));
            }
        }
    }

    @Override
    public void removeAddress(IpPrefix local) throws TunTapException {
        synchronized (netlink) {
            ensureOpen("removeAddress");
            String call = "rtnetlink RTM_DELADDR " + local;
            // The kernel matches a deletion by local address and, through IFA_ADDRESS, by peer: send the entry
            // as it is, so that an address with a peer goes and an address with another prefix stays.
            DeviceAddress existing = null;
            for (DeviceAddress a : netlink.addresses(index())) {
                if (a.local().equals(local)) {
                    existing = a;
                }
            }
            int errno = existing == null ? Errno.EADDRNOTAVAIL : netlink.removeAddress(index(), existing);
            if (errno == Errno.EADDRNOTAVAIL || errno == Errno.ENOENT) {
                throw new DeviceNotFoundException(call, existing == null ? 0 : errno, call + " failed"
                        + (existing == null ? "" : " with " + Errno.name(errno)) + ": " + name() + " does not have "
                        + local + "; see addresses() for what it has");
            } else if (errno != 0) {
                throw LinuxErrors.ofCommon(call, errno, "cannot remove " + local + " from " + name());
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
            ensureOpen("setPersistent");
            if (libc.ioctl(first.fd(), IfTun.TUNSETPERSIST, persistent ? 1 : 0) < 0) {
                int errno = libc.errno();
                throw LinuxErrors.ofCommon("ioctl(TUNSETPERSIST)", errno, "cannot change persistence of " + name());
            }
        }
    }

    LinkInfo link() throws TunTapException {
        synchronized (netlink) {
            ensureOpen("configure");
            LinkInfo link = netlink.link(index());
            if (link == null) {
                throw new DeviceNotFoundException("rtnetlink RTM_GETLINK", Errno.ENODEV, "interface " + name()
                        + " (#" + index() + ") no longer exists: it was deleted by another program");
            }
            return link;
        }
    }
}
