// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Rtnl;
import io.tuntap.Route;
import io.tuntap.linux.jna.Sys;
import io.tuntap.spi.AbstractTunTapDevice;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.EventDispatcher;
import io.tuntap.spi.SystemRouteTable;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Linux TUN or TAP interface: its queues ({@link LinuxQueue}, one fd each), an rtnetlink socket for
 * configuration, and a second one that reports changes while someone subscribes ({@link LinuxEvents}). The
 * packet methods are queue 0's. Configuration calls are serialised on the configuration socket.
 */
abstract class LinuxDeviceImpl extends AbstractTunTapDevice implements LinuxDevice {
    /** How long adding an IPv6 address waits for the kernel to deliver to it; far above the usual millisecond. */
    private static final int LOCAL_ROUTE_WAIT_MILLIS = 5_000;

    final LinuxLibC libc;
    final Rtnetlink netlink;
    private final List<LinuxQueue> queues;
    private final LinuxQueue first;
    private final LinuxEvents events;
    /** The TUNSETIFF flags to restore the interface with on close (see LinuxDeviceOpener.restoreAsFound), or 0. */
    private short restoreFlags;

    /**
     * Takes ownership of the queues and the socket, and opens the event socket in the calling thread's
     * network namespace (the device's). If that fails, the caller still owns what it passed.
     */
    LinuxDeviceImpl(LinuxLibC libc, Rtnetlink netlink, DeviceMode mode, String name, int index, List<LinuxQueue> queues,
            Set<Capability> capabilities) throws TunTapException {
        super(mode, name, index, capabilities);
        this.libc = libc;
        this.netlink = netlink;
        this.queues = List.copyOf(queues);
        this.first = queues.get(0);
        this.events = LinuxEvents.open(libc, index, name, this::eventState);
        attachQueues(this.queues);
    }

    /** Queue 0 itself, for its statistics. */
    LinuxQueue firstQueue() {
        return first;
    }

    /** Closes the event socket of a device that failed to configure, whose other handles the opener closes. */
    void releaseEventSocket() {
        events.close();
    }

    /** Makes {@link #close()} leave the interface's virtio-net header and offload settings as found. */
    void restoreOnClose(short flags) {
        restoreFlags = flags;
    }

    /** Configuration calls hold the configuration socket, as close does while it closes it. */
    @Override
    protected final Object configurationLock() {
        return netlink;
    }

    /** Runs once, after every queue has closed. */
    @Override
    protected void closeDevice() {
        events.close();
        synchronized (netlink) {
            if (restoreFlags != 0) {
                LinuxDeviceOpener.restoreAsFound(libc, netlink, name(), restoreFlags);
            }
            netlink.close();
        }
    }

    @Override
    protected EventDispatcher.Source eventSource() {
        return events;
    }

    private LinuxEvents.State eventState() throws TunTapException {
        synchronized (netlink) {
            LinkInfo link = netlink.link(index());
            if (link == null) {
                throw LinuxErrors.linkGone(name() + " (#" + index() + ")", "no longer exists");
            }
            return new LinuxEvents.State((link.flags() & Rtnl.IFF_UP) != 0, link.mtu(),
                    new LinkedHashSet<>(netlink.addresses(index())));
        }
    }

    // ---- routes -----------------------------------------------------------------------------------

    @Override
    protected List<Route> fetchRoutes() throws TunTapException {
        return List.copyOf(RtnetlinkRoutes.list(netlink, index()));
    }

    @Override
    protected void insertRoute(Route route) throws TunTapException {
        int errno = RtnetlinkRoutes.add(netlink, index(), route);
        if (errno != 0) {
            throw LinuxErrors.route("rtnetlink RTM_NEWROUTE " + route, errno, route, name());
        }
    }

    @Override
    protected void deleteRoute(Route route) throws TunTapException {
        int errno = RtnetlinkRoutes.remove(netlink, index(), route);
        if (errno != 0) {
            throw LinuxErrors.route("rtnetlink RTM_DELROUTE " + route, errno, route, name());
        }
    }

    /** The main table of the device's namespace, on its configuration socket. */
    @Override
    protected SystemRouteTable systemRouteTable() {
        return LinuxRouteTable.on(netlink);
    }

    // ---- the Linux extension ----------------------------------------------------------------------

    @Override
    public int fileDescriptor(int queue) throws TunTapException {
        LinuxQueue q = queues.get(queue);
        if (!q.isOpen()) {
            throw ErrorMessages.closed("fileDescriptor(" + queue + ")", name() + " queue " + queue);
        }
        return q.fd();
    }

    @Override
    public boolean hasCarrier() throws TunTapException {
        return (link().flags() & Rtnl.IFF_LOWER_UP) != 0;
    }

    @Override
    public void setCarrier(boolean on) throws TunTapException {
        change("setCarrier", () -> {
            try (Memory value = new Memory(4)) {
                value.setInt(0, on ? 1 : 0);
                if (libc.ioctl(first.fd(), IfTun.TUNSETCARRIER, Pointer.nativeValue(value)) < 0) {
                    int errno = libc.errno();
                    throw LinuxErrors.carrier(errno, name());
                }
            }
        });
    }

    @Override
    public void setQueueEnabled(int queue, boolean enabled) throws TunTapException {
        LinuxQueue q = queues.get(queue);
        change("setQueueEnabled", () -> {
            try (Memory ifreq = new Memory(Sys.IFREQ_SIZE)) {
                ifreq.clear();
                ifreq.setShort(Sys.IFREQ_UNION_OFFSET, enabled ? IfTun.IFF_ATTACH_QUEUE : IfTun.IFF_DETACH_QUEUE);
                if (libc.ioctl(q.fd(), IfTun.TUNSETQUEUE, Pointer.nativeValue(ifreq)) < 0) {
                    int errno = libc.errno();
                    throw LinuxErrors.queue(errno, name(), queue, enabled);
                }
            }
        });
    }

    @Override
    public int txQueueLength() throws TunTapException {
        return query("txQueueLength", () -> LinuxDevices.txQueueLength(netlink, index()));
    }

    @Override
    public void setTxQueueLength(int packets) throws TunTapException {
        if (packets < 0) {
            throw LinuxErrors.negativeTxQueueLength(name(), packets);
        }
        change("setTxQueueLength", () -> {
            int errno = LinuxDevices.setTxQueueLength(netlink, index(), packets);
            if (errno != 0) {
                throw LinuxErrors.ofCommon("rtnetlink RTM_SETLINK IFLA_TXQLEN", errno, "cannot set the transmit "
                        + "queue length of " + name() + " to " + packets);
            }
        });
    }

    @Override
    public String batchMechanism(int queue) {
        return queues.get(queue).batchMechanism();
    }

    @Override
    public OffloadStatistics offloadStatistics() {
        long superPackets = 0;
        long coalesced = 0;
        long malformed = 0;
        int refusing = 0;
        for (LinuxQueue q : queues) {
            superPackets += q.superPacketsRead();
            coalesced += q.segmentsCoalesced();
            malformed += q.malformedDropped();
            refusing += q.coalescingRefused() ? 1 : 0;
        }
        return new OffloadStatistics(first.vnetMode() == VnetMode.SPLIT, superPackets, coalesced, malformed, refusing);
    }

    // ---- configuration ----------------------------------------------------------------------------

    @Override
    protected int fetchMtu() throws TunTapException {
        return link().mtu();
    }

    @Override
    protected void storeMtu(int mtu) throws TunTapException {
        if (mtu < DeviceConfig.MIN_MTU || mtu > DeviceConfig.MAX_MTU) {
            throw LinuxErrors.mtuOutOfRange(name(), mtu, DeviceConfig.MIN_MTU, DeviceConfig.MAX_MTU);
        }
        int errno = netlink.setMtu(index(), mtu);
        if (errno == Errno.EINVAL) {
            throw LinuxErrors.mtuRefused(name(), mtu, errno);
        } else if (errno != 0) {
            throw LinuxErrors.ofCommon("rtnetlink RTM_SETLINK IFLA_MTU", errno, "cannot set the MTU of " + name());
        }
    }

    @Override
    protected boolean fetchUp() throws TunTapException {
        return (link().flags() & Rtnl.IFF_UP) != 0;
    }

    @Override
    protected void storeUp(boolean up) throws TunTapException {
        int errno = netlink.setUp(index(), up);
        if (errno != 0) {
            throw LinuxErrors.ofCommon("rtnetlink RTM_SETLINK IFF_UP", errno, "cannot bring " + name()
                    + (up ? " up" : " down"));
        }
    }

    @Override
    protected List<DeviceAddress> fetchAddresses() throws TunTapException {
        return List.copyOf(netlink.addresses(index()));
    }

    @Override
    protected void insertAddress(DeviceAddress address) throws TunTapException {
        int errno = netlink.addAddress(index(), address);
        String call = "rtnetlink RTM_NEWADDR " + address;
        IpPrefix local = address.local();
        if (errno == Errno.EEXIST) {
            throw LinuxErrors.addressExists(call, name(), local, errno);
        } else if (errno == Errno.EACCES && !local.isIpv4()) {
            throw LinuxErrors.ipv6Disabled(call, name(), errno);
        } else if (errno != 0) {
            throw LinuxErrors.ofCommon(call, errno, "cannot add " + address + " to " + name()
                    + (local.isIpv4() ? "" : " (IPv6 needs an MTU of at least 1280)"));
        }
        if (!local.isIpv4() && isUp()) {
            awaitLocalRoute(local.address());
        }
    }

    /**
     * Waits, at most {@value #LOCAL_ROUTE_WAIT_MILLIS} ms, until packets to a new IPv6 address are delivered
     * here. The kernel acknowledges RTM_NEWADDR before it installs the address's local route: that happens in
     * its address-configuration work (torvalds/linux net/ipv6/addrconf.c: addrconf_dad_work, then
     * addrconf_dad_completed, ipv6_ifa_notify and ip6_ins_rt), queued without delay for an address without
     * DAD, and run on an up link only. Until it ran, a socket may already bind to the address but the packets
     * written to it are not delivered. IPv4 needs no wait: inet_rtm_newaddr adds its routes before it answers.
     */
    private void awaitLocalRoute(InetAddress address) throws TunTapException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCAL_ROUTE_WAIT_MILLIS);
        while (!RtnetlinkRoutes.isLocal(netlink, address) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the address is added; the kernel installs its route on its own
            }
        }
    }

    @Override
    protected void deleteAddress(IpPrefix local) throws TunTapException {
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
            throw LinuxErrors.addressMissing(call, name(), local, existing == null ? 0 : errno);
        } else if (errno != 0) {
            throw LinuxErrors.ofCommon(call, errno, "cannot remove " + local + " from " + name());
        }
    }

    @Override
    public boolean isPersistent() throws TunTapException {
        return link().persistent();
    }

    @Override
    public void setPersistent(boolean persistent) throws TunTapException {
        change("setPersistent", () -> {
            if (libc.ioctl(first.fd(), IfTun.TUNSETPERSIST, persistent ? 1 : 0) < 0) {
                int errno = libc.errno();
                throw LinuxErrors.ofCommon("ioctl(TUNSETPERSIST)", errno, "cannot change persistence of " + name());
            }
        });
    }

    LinkInfo link() throws TunTapException {
        synchronized (netlink) {
            ensureOpen("configure");
            LinkInfo link = netlink.link(index());
            if (link == null) {
                throw LinuxErrors.linkGone(name() + " (#" + index() + ")", "no longer exists");
            }
            return link;
        }
    }
}
