// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceMode;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.spi.AbstractTunTapDevice;
import java.util.List;
import java.util.Set;

/**
 * A plumbed tun/tap unit: one queue (the control stream) and the interface's configuration through
 * {@link IfConfig}. Closing it wakes a blocked reader, waits for calls inside to leave, unplumbs the interface
 * ({@code I_PUNLINK}) and closes every stream, so that nothing is left behind.
 */
abstract class SolarisDeviceImpl extends AbstractTunTapDevice implements SolarisDevice {
    final SolarisQueue queue;
    final IfConfig config;
    private final SolarisLink link;
    private final SunOs os;
    private final SolarisRoutes routes;
    private volatile String unplumbFailure;

    SolarisDeviceImpl(SunOs os, SolarisLink link, IfConfig config, int index, Set<Capability> capabilities, int[] pipe,
            DeviceMode mode) {
        super(mode, link.name, index, capabilities);
        fixPersistence(false, "a unit of the STREAMS tun/tap driver lives as long as its control stream; closing the "
                + "device frees it");
        this.link = link;
        this.os = os;
        this.config = config;
        this.routes = new SolarisRoutes(os, config, link.name);
        this.queue = new SolarisQueue(os, link.controlFd, pipe, link.name, mode, this::release);
        attachQueues(List.of(queue));
    }

    private void release() {
        config.close();
        unplumbFailure = link.unplumb();
    }

    @Override
    protected io.tuntap.spi.EventDispatcher.Source eventSource() {
        return new SolarisEvents(os, config, name(), index(), mode());
    }

    /** The system's routing table ({@code RTM_ADD} and {@code RTM_DELETE} naming the gateway's interface). */
    @Override
    protected io.tuntap.spi.SystemRouteTable systemRouteTable() {
        return new SolarisSystemRouteTable(os);
    }

    @Override
    protected void closeDevice() {
        // The queue's close ran release(): unplumbed, every stream closed.
    }

    @Override
    public int unit() {
        return link.ppa;
    }

    @Override
    public int fileDescriptor() {
        return link.controlFd;
    }

    /** What unplumbing at close could not do, or null; for tests and diagnostics. */
    String unplumbFailure() {
        return unplumbFailure;
    }

    @Override
    protected int fetchMtu() throws TunTapException {
        return config.mtu();
    }

    @Override
    protected void storeMtu(int mtu) throws TunTapException {
        config.setMtu(mtu);
    }

    @Override
    protected boolean fetchUp() throws TunTapException {
        return config.isUp();
    }

    /** Also tells the queue, which refuses writes while the link is down. */
    @Override
    protected void storeUp(boolean up) throws TunTapException {
        config.setUp(up);
        queue.linkUp(up);
    }

    @Override
    protected List<DeviceAddress> fetchAddresses() throws TunTapException {
        return config.addresses();
    }

    @Override
    protected void insertAddress(DeviceAddress address) throws TunTapException {
        config.addAddress(address, config.isUp());
    }

    @Override
    protected void deleteAddress(IpPrefix local) throws TunTapException {
        config.removeAddress(local);
    }

    /**
     * The static routes through the interface, whoever added them, read from IP's MIB interface (illumos has no
     * routing-table dump on the routing socket); the routes the kernel makes for the interface's own prefixes are
     * not listed.
     */
    @Override
    protected List<Route> fetchRoutes() throws TunTapException {
        return routes.list();
    }

    /** Adds a route with {@code RTM_ADD}; a route with a metric is refused (illumos routes have none). */
    @Override
    protected void insertRoute(Route route) throws TunTapException {
        routes.add(route);
    }

    @Override
    protected void deleteRoute(Route route) throws TunTapException {
        routes.remove(route);
    }
}
