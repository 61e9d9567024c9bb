// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.IpPrefix;
import io.tuntap.PacketChannel;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.spi.AbstractTunTapDevice;
import io.tuntap.spi.EventDispatcher;
import io.tuntap.windows.win32.MibIpForwardRow2;
import io.tuntap.windows.win32.SockaddrInet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What every Windows device shares: the adapter's IP interface through IP Helper (MTU per family,
 * addresses with their peers, routes, DNS, metric), its events, and its identity. The packet path is the
 * subclass's queue 0.
 *
 * <p>Windows has no point-to-point address: an address with a peer is the address plus an on-link host
 * route to the peer, and it is listed with its peer when this object added it. {@link #close()} removes the
 * addresses and routes this object added.
 */
abstract class WindowsDeviceBase extends AbstractTunTapDevice implements WindowsAdapter {
    final IpInterface ipi;
    final IpEvents events;
    private final UUID guid;
    private final String driver;
    private final String version;
    /** Addresses this object added, with their peer (null for none), removed again on close. */
    private final Map<IpPrefix, InetAddress> added = new HashMap<>();
    /** Routes this object added, removed again on close. */
    private final List<Route> addedRoutes = new ArrayList<>();

    WindowsDeviceBase(DeviceMode mode, String name, IpInterface ipi, Set<Capability> capabilities, UUID guid,
            String driver, String version) {
        super(mode, name, ipi.index(), capabilities);
        this.ipi = ipi;
        this.guid = guid;
        this.driver = driver;
        this.version = version;
        this.events = new IpEvents(ipi);
        events.describeWith(this::describe);
    }

    /** The largest IP MTU the driver carries. */
    abstract int maxMtu();

    /** Makes the device at open, from the channel it will own. */
    interface Maker<D extends WindowsDeviceBase> {
        /** @return the device, not yet configured */
        D make() throws TunTapException;
    }

    /**
     * Makes the device and applies the configuration: the MTU, then {@link #beforeAddresses}, then the addresses
     * and routes. On any failure nothing is left: the device is closed (which closes the channel and removes what
     * it added) or, when it was not made, the channel.
     */
    static <D extends WindowsDeviceBase> D openConfigured(PacketChannel channel, DeviceConfig config, Maker<D> maker)
            throws TunTapException {
        D device = null;
        try {
            device = maker.make();
            if (config.mtu().isPresent()) {
                device.setMtu(config.mtu().getAsInt());
            }
            device.beforeAddresses(config);
            for (DeviceAddress a : config.addresses()) {
                device.addConfigured(a);
            }
            for (Route r : config.routes()) {
                device.addRoute(r);
            }
            return device;
        } catch (TunTapException | RuntimeException | Error e) {
            if (device != null) {
                device.close();
            } else {
                channel.close();
            }
            throw e;
        }
    }

    /** What open does between the MTU and the addresses: nothing unless a device says otherwise. */
    void beforeAddresses(DeviceConfig config) throws TunTapException {
    }

    /** An address from the configuration: one left on this persistent adapter by an earlier user is kept. */
    final void addConfigured(DeviceAddress a) throws TunTapException {
        for (IpPrefix have : ipi.addresses()) {
            if (have.equals(a.local())) {
                return;
            }
        }
        addAddress(a);
    }

    @Override
    public UUID guid() {
        return guid;
    }

    @Override
    public long luid() {
        return ipi.luid();
    }

    @Override
    public String driver() {
        return driver;
    }

    @Override
    public String driverVersion() {
        return version;
    }

    /** Removes the routes and addresses this object added; the queue (the handle) is closed already. */
    @Override
    protected void closeDevice() {
        List<Route> routes;
        List<IpPrefix> ours;
        synchronized (added) {
            routes = new ArrayList<>(addedRoutes);
            ours = new ArrayList<>(added.keySet());
            addedRoutes.clear();
        }
        for (Route r : routes) {
            try {
                ipi.removeRoute(r.destination(), r.gateway().orElse(null));
            } catch (TunTapException e) {
                // Removed by someone else already, or the adapter went away: nothing left to clean.
            }
        }
        for (IpPrefix a : ours) {
            try {
                removeOwnAddress(a);
            } catch (TunTapException e) {
                // As above.
            }
        }
    }

    @Override
    protected int fetchMtu() throws TunTapException {
        return ipi.mtu(SockaddrInet.AF_INET);
    }

    /** Sets the IPv4 MTU, and the IPv6 one where the value is at least 1280 (IPv6's minimum). */
    @Override
    protected void storeMtu(int mtu) throws TunTapException {
        ipi.setMtu(SockaddrInet.AF_INET, mtu, maxMtu());
        if (mtu >= 1280) {
            ipi.setMtu(SockaddrInet.AF_INET6, mtu, maxMtu());
        }
        events.mtuChanged(mtu);
    }

    @Override
    public int ipv6Mtu() throws TunTapException {
        return query("ipv6Mtu", () -> ipi.mtu(SockaddrInet.AF_INET6));
    }

    /**
     * The interface's addresses. IP Helper has no notion of a peer: an address is listed with one when this
     * object added it with one.
     */
    @Override
    protected List<DeviceAddress> fetchAddresses() throws TunTapException {
        List<DeviceAddress> result = new ArrayList<>();
        for (IpPrefix p : ipi.addresses()) {
            InetAddress peer;
            synchronized (added) {
                peer = added.get(p);
            }
            result.add(peer == null ? DeviceAddress.of(p) : DeviceAddress.pointToPoint(p, peer));
        }
        return List.copyOf(result);
    }

    private DeviceAddress describe(IpPrefix p) {
        InetAddress peer;
        synchronized (added) {
            peer = added.get(p);
        }
        return peer == null ? DeviceAddress.of(p) : DeviceAddress.pointToPoint(p, peer);
    }

    /** Adds an address; one with a peer also gets an on-link host route to the peer. */
    @Override
    protected void insertAddress(DeviceAddress address) throws TunTapException {
        ipi.addAddress(address.local());
        InetAddress peer = address.peer().orElse(null);
        if (peer != null) {
            try {
                ipi.addRoute(new IpPrefix(peer, peer.getAddress().length * 8), null, 0);
            } catch (TunTapException e) {
                ipi.removeAddress(address.local());
                throw e;
            }
        }
        synchronized (added) {
            added.put(address.local(), peer);
        }
        events.addressChanged(address, true);
    }

    @Override
    protected void deleteAddress(IpPrefix local) throws TunTapException {
        events.addressChanged(removeOwnAddress(local), false);
    }

    private DeviceAddress removeOwnAddress(IpPrefix local) throws TunTapException {
        InetAddress peer;
        synchronized (added) {
            peer = added.get(local);
        }
        ipi.removeAddress(local);
        synchronized (added) {
            added.remove(local);
        }
        if (peer != null) {
            try {
                ipi.removeRoute(new IpPrefix(peer, peer.getAddress().length * 8), null);
            } catch (DeviceNotFoundException e) {
                // Already gone with the address.
            }
        }
        return peer == null ? DeviceAddress.of(local) : DeviceAddress.pointToPoint(local, peer);
    }

    @Override
    protected List<Route> fetchRoutes() throws TunTapException {
        List<Route> result = new ArrayList<>();
        for (var row : ipi.routes()) {
            Route r = route(row);
            if (r != null) {
                result.add(r);
            }
        }
        return List.copyOf(result);
    }

    /**
     * The route a row of {@code GetIpForwardTable2} describes, or null if it is not one the API can express (a
     * destination of another family, a prefix length out of range or with host bits set, a metric above
     * {@code Integer.MAX_VALUE}, a next hop of the other family), and so not one this library added.
     */
    static Route route(MibIpForwardRow2 row) {
        InetAddress destination = row.DestinationPrefix.Prefix.address();
        InetAddress hop = row.NextHop.address();
        if (destination == null || row.Metric < 0) {
            return null;
        }
        try {
            IpPrefix dest = new IpPrefix(destination, row.DestinationPrefix.PrefixLength & 0xff);
            Route r = hop == null || hop.isAnyLocalAddress() ? Route.onLink(dest) : Route.via(dest, hop);
            return row.Metric == 0 ? r : r.withMetric(row.Metric);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    protected void insertRoute(Route route) throws TunTapException {
        ipi.addRoute(route.destination(), route.gateway().orElse(null), route.metric().orElse(0));
        synchronized (added) {
            addedRoutes.add(route);
        }
    }

    @Override
    protected void deleteRoute(Route route) throws TunTapException {
        ipi.removeRoute(route.destination(), route.gateway().orElse(null));
        synchronized (added) {
            addedRoutes.remove(route);
        }
    }

    /** The system's routing table through the same IP Helper. */
    @Override
    protected io.tuntap.spi.SystemRouteTable systemRouteTable() {
        return new WindowsRouteTable(ipi.helper());
    }

    @Override
    protected EventDispatcher.Source eventSource() {
        return events;
    }

    @Override
    public void setDnsServers(List<InetAddress> servers, List<String> searchDomains) throws TunTapException {
        change("setDnsServers", () -> ipi.setDns(guid, servers, searchDomains));
    }

    @Override
    public int interfaceMetric() throws TunTapException {
        return query("interfaceMetric", ipi::metric);
    }

    @Override
    public void setInterfaceMetric(int metric) throws TunTapException {
        change("setInterfaceMetric", () -> ipi.setMetric(metric));
    }

    /** The IP interface, for tests. */
    IpInterface ipInterface() {
        return ipi;
    }
}
