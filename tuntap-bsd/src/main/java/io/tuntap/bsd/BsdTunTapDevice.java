// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.Ifaddrs;
import io.tuntap.bsd.jna.Ifreq;
import io.tuntap.spi.AbstractTunTapDevice;
import io.tuntap.spi.ConfigChecks;
import io.tuntap.spi.ErrorMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A BSD or macOS device: its packet queue ({@link BsdQueue}) plus configuration through ioctls on an
 * {@code AF_INET} (and, for IPv6 addresses, an {@code AF_INET6}) datagram socket. Configuration methods are
 * synchronized; the packet methods follow {@link io.tuntap.PacketChannel}'s one-reader-one-writer rule.
 *
 * <p>Addresses are {@link BsdAddresses}' and routes {@link BsdRoutes}'; this class checks the capabilities and
 * keeps MTU, flags and persistence, which differ per BSD through {@link BsdAbi}.
 */
abstract class BsdTunTapDevice extends AbstractTunTapDevice implements BsdDevice {
    private final BsdContext ctx;
    private final BsdSystem system;
    private final BsdSystem.Opened opened;
    private final DeviceQueue queue;
    private final int inetSocket;
    private final BsdRoutes routes;
    private final BsdAddresses addresses;
    private BsdSystem.Ending ending;

    BsdTunTapDevice(DeviceMode mode, BsdContext ctx, BsdSystem system, BsdSystem.Opened opened, DeviceQueue queue,
            int index, int inetSocket, Set<Capability> capabilities) {
        super(mode, opened.name(), index, deviceCapabilities(capabilities, opened));
        this.ctx = ctx;
        this.system = system;
        this.opened = opened;
        this.queue = queue;
        this.inetSocket = inetSocket;
        this.ending = opened.ending();
        this.routes = new BsdRoutes(ctx, opened.name(), index, capabilities().contains(Capability.ROUTE_METRICS));
        this.addresses = new BsdAddresses(ctx, opened.name(), opened.pointToPoint(), inetSocket, routes);
        attachQueues(List.of(queue));
    }

    /**
     * The provider's capabilities, less peers on an interface in broadcast mode: FreeBSD and NetBSD switch a
     * new tun to broadcast mode when the configuration has no peer, so that a prefix is on-link as on Linux;
     * a peer then has no meaning (the kernel would take it as the broadcast address).
     */
    private static Set<Capability> deviceCapabilities(Set<Capability> capabilities, BsdSystem.Opened opened) {
        if (opened.pointToPoint() || !capabilities.contains(Capability.PEER_ADDRESSES)) {
            return capabilities;
        }
        Set<Capability> c = java.util.EnumSet.copyOf(capabilities);
        c.remove(Capability.PEER_ADDRESSES);
        return c;
    }

    /**
     * Opens a device as configured: the unit, its queue, then MTU, MAC, link state and addresses. On failure
     * nothing is left: the fd is closed and an interface this call created is destroyed.
     */
    static BsdTunTapDevice open(BsdContext ctx, BsdSystem system, String provider, DeviceConfig config)
            throws TunTapException {
        Set<Capability> caps = system.capabilities(config.mode());
        if (caps.isEmpty()) {
            throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open(" + config.mode() + ")",
                    system.whyNot(config.mode())));
        }
        ConfigChecks.check(config, provider, caps, Set.of());
        for (DeviceAddress a : config.addresses()) {
            checkPeer(a);
        }
        if (config.mtu().isPresent()) {
            checkMtu(system.abi, config.mtu().getAsInt());
        }
        BsdSystem.Opened opened = system.open(ctx, config);
        DeviceQueue queue = null;
        int socket = -1;
        BsdTunTapDevice device = null;
        try {
            queue = system.queue(ctx, opened, config.mode());
            socket = ctx.socket(BsdAbi.AF_INET, "configures " + opened.name());
            int index = ctx.index(opened.name());
            if (index == 0) {
                throw new DeviceNotFoundException("if_nametoindex", 0, ErrorMessages.failed("if_nametoindex("
                        + opened.name() + ")", "interface " + opened.name() + " vanished right after it was opened: "
                        + "another program destroyed it"));
            }
            device = config.mode() == DeviceMode.TUN
                    ? new BsdTunDevice(ctx, system, opened, queue, index, socket, caps)
                    : new BsdTapDevice(ctx, system, opened, queue, index, socket, caps);
            queue = null; // owned by the device now
            device.configure(config);
            return device;
        } catch (TunTapException | RuntimeException e) {
            // Undo: close the fd (and with it what the kernel destroys itself), then destroy what this call
            // created and the kernel would keep.
            boolean destroy = opened.created() && opened.ending() != BsdSystem.Ending.KERNEL_DESTROYS;
            if (device != null) {
                device.ending = destroy ? BsdSystem.Ending.BACKEND_DESTROYS : BsdSystem.Ending.PERSISTS;
                device.close();
            } else {
                if (queue != null) {
                    queue.close();
                } else {
                    ctx.libc.close(opened.fd());
                }
                if (socket >= 0) {
                    ctx.libc.close(socket);
                }
                if (destroy) {
                    ctx.destroy(opened.name());
                    if (opened.peer() != null) {
                        ctx.destroy(opened.peer());
                    }
                }
            }
            throw e;
        }
    }

    /**
     * The tun, tap and utun interfaces that exist: every interface whose name is one of those drivers' unit
     * names, whoever made it (leftovers of a crash included).
     */
    static List<DeviceInfo> list(BsdContext ctx, String provider) throws TunTapException {
        List<DeviceInfo> out = new ArrayList<>();
        for (Ifaddrs.Entry e : BsdAddresses.entries(ctx, null)) {
            if (e.linkAddress() == null) {
                continue; // one AF_LINK entry per interface
            }
            DeviceMode mode = UnitNames.unit("tap", e.name()) >= 0 ? DeviceMode.TAP
                    : UnitNames.unit("tun", e.name()) >= 0 || UnitNames.unit("utun", e.name()) >= 0 ? DeviceMode.TUN
                    : null;
            int index = mode == null ? 0 : ctx.index(e.name());
            if (index != 0) {
                out.add(new DeviceInfo(e.name(), index, mode, provider));
            }
        }
        return out;
    }

    private void configure(DeviceConfig config) throws TunTapException {
        if (config.mtu().isPresent()) {
            setMtu(config.mtu().getAsInt());
        }
        if (config.macAddress().isPresent() && this instanceof BsdTapDevice tap) {
            tap.setMacAddress(config.macAddress().get());
        }
        if (config.up()) {
            setUp(true);
        }
        for (DeviceAddress address : config.addresses()) {
            addAddress(address);
        }
    }

    /** KAME: an IPv6 address with a destination must be a /128. */
    private static void checkPeer(DeviceAddress a) throws InvalidConfigurationException {
        if (a.peer().isPresent() && !a.isIpv4() && a.local().prefixLength() != 128) {
            throw new InvalidConfigurationException("addAddress", 0, ErrorMessages.failed("addAddress(" + a + ")",
                    "on the BSDs and macOS an IPv6 address with a peer must be a /128 (the kernel refuses other "
                    + "prefix lengths with a destination)"));
        }
    }

    // ---- identity ---------------------------------------------------------------------------------

    @Override
    public String driver() {
        return opened.driver();
    }

    @Override
    public int fileDescriptor() throws DeviceClosedException {
        ensureOpen("fileDescriptor");
        return opened.fd();
    }

    // ---- configuration --------------------------------------------------------------------------

    static void checkMtu(BsdAbi abi, int mtu) throws InvalidConfigurationException {
        int min = Math.max(DeviceConfig.MIN_MTU, abi.minMtu);
        int max = Math.min(DeviceConfig.MAX_MTU, abi.maxMtu);
        if (mtu < min || mtu > max) {
            throw new InvalidConfigurationException("setMtu", 0, ErrorMessages.failed("setMtu(" + mtu + ")", "MTU "
                    + mtu + " is out of range: the " + abi + " driver takes " + min + " to " + max));
        }
    }

    /** Configuration calls hold the device's monitor, as close does while it frees the sockets. */
    @Override
    protected final Object configurationLock() {
        return this;
    }

    @Override
    protected int fetchMtu() throws TunTapException {
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            Ifreq.clear(r.view, ctx.abi, name());
            ifIoctl(inetSocket, ctx.abi.siocgifmtu, r, "SIOCGIFMTU", "cannot read the MTU");
            return Ifreq.getInt(r.view);
        }
    }

    @Override
    protected void storeMtu(int mtu) throws TunTapException {
        checkMtu(ctx.abi, mtu);
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            Ifreq.putInt(r.view, ctx.abi, name(), mtu);
            ifIoctl(inetSocket, ctx.abi.siocsifmtu, r, "SIOCSIFMTU", "cannot set the MTU to " + mtu);
            if (opened.peer() != null) {
                // The far end of a feth pair carries the frames: BPF takes writes up to its MTU + 18.
                Ifreq.putInt(r.view, ctx.abi, opened.peer(), mtu);
                ifIoctl(inetSocket, ctx.abi.siocsifmtu, r, "SIOCSIFMTU", "cannot set the MTU of " + opened.peer()
                        + ", the far end of " + name() + ", to " + mtu);
            }
        }
        queue.mtuChanged(mtu);
    }

    /** The interface flags (SIOCGIFFLAGS), the device open. */
    private int flags() throws TunTapException {
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            Ifreq.clear(r.view, ctx.abi, name());
            ifIoctl(inetSocket, ctx.abi.siocgifflags, r, "SIOCGIFFLAGS", "cannot read the interface flags");
            return Ifreq.getFlags(r.view, ctx.abi);
        }
    }

    @Override
    protected boolean fetchUp() throws TunTapException {
        return (flags() & BsdAbi.IFF_UP) != 0;
    }

    @Override
    protected void storeUp(boolean up) throws TunTapException {
        int flags = flags();
        int wanted = up ? flags | BsdAbi.IFF_UP : flags & ~BsdAbi.IFF_UP;
        if (wanted != flags) {
            try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
                Ifreq.putFlags(r.view, ctx.abi, name(), wanted);
                ifIoctl(inetSocket, ctx.abi.siocsifflags, r, "SIOCSIFFLAGS", "cannot bring the link "
                        + (up ? "up" : "down"));
            }
        }
        // Several kernels drop writes to a down interface silently: the queue refuses them instead.
        queue.setLinkDown(!up);
    }

    @Override
    protected List<DeviceAddress> fetchAddresses() throws TunTapException {
        return addresses.list();
    }

    /** This interface's getifaddrs entries. */
    final List<Ifaddrs.Entry> interfaceEntries() throws TunTapException {
        return BsdAddresses.entries(ctx, name());
    }

    @Override
    protected void insertAddress(DeviceAddress deviceAddress) throws TunTapException {
        checkPeer(deviceAddress);
        addresses.add(deviceAddress);
    }

    @Override
    protected void deleteAddress(IpPrefix address) throws TunTapException {
        addresses.remove(address);
    }

    @Override
    public boolean isPersistent() throws TunTapException {
        return query("isPersistent", () -> ending == BsdSystem.Ending.PERSISTS);
    }

    @Override
    public void setPersistent(boolean persistent) throws TunTapException {
        change("setPersistent", () -> {
            require(Capability.PERSISTENT, "setPersistent");
            ending = system.changePersistence(ctx, opened, ending, persistent);
        });
    }

    /**
     * The descriptor went to another process ({@code DeviceHandoff.send}), whose device now holds the
     * interface: closing this handle must not destroy it.
     */
    synchronized void handedOver() {
        if (ending == BsdSystem.Ending.BACKEND_DESTROYS) {
            ending = BsdSystem.Ending.PERSISTS;
        }
    }

    /** An ioctl carrying the request buffer on a configuration socket; explains the failure. */
    final void ifIoctl(int socket, long request, BsdContext.Request r, String call, String what)
            throws TunTapException {
        ctx.ifIoctl(socket, request, r, call, what, name());
    }

    final BsdContext context() {
        return ctx;
    }

    final int inetSocket() {
        return inetSocket;
    }

    // ---- closing --------------------------------------------------------------------------------

    /** After the queue (and with it the device fd) has closed: destroy the interface if due, close sockets. */
    @Override
    protected void closeDevice() {
        BsdSystem.Ending end;
        synchronized (this) {
            end = ending;
        }
        if (end == BsdSystem.Ending.BACKEND_DESTROYS) {
            // After the fd is closed (FreeBSD: SIOCIFDESTROY waits for open fds otherwise), and only while the
            // name still belongs to this interface: another program may have renamed or replaced it.
            if (ctx.index(name()) == index()) {
                try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
                    Ifreq.clear(r.view, ctx.abi, name());
                    ctx.libc.ioctl(inetSocket, ctx.abi.siocifdestroy, r.address);
                    if (opened.peer() != null) {
                        Ifreq.clear(r.view, ctx.abi, opened.peer());
                        ctx.libc.ioctl(inetSocket, ctx.abi.siocifdestroy, r.address);
                    }
                }
            }
        }
        ctx.libc.close(inetSocket);
        synchronized (this) {
            addresses.close();
        }
    }

    // ---- routes ---------------------------------------------------------------------------------

    @Override
    protected List<Route> fetchRoutes() throws TunTapException {
        return routes.list();
    }

    @Override
    protected void insertRoute(Route route) throws TunTapException {
        routes.change(true, route, "addRoute");
    }

    @Override
    protected void deleteRoute(Route route) throws TunTapException {
        routes.change(false, route, "removeRoute");
    }

    /** The system's routing table, through this device's context. */
    @Override
    protected io.tuntap.spi.SystemRouteTable systemRouteTable() {
        return new BsdRouteTable(ctx);
    }

    // ---- events ---------------------------------------------------------------------------------

    @Override
    protected io.tuntap.spi.EventDispatcher.Source eventSource() {
        return new BsdEvents(ctx, name(), index(), opened.pointToPoint(), new BsdEvents.State() {
            @Override
            public boolean up() throws TunTapException {
                return isUp();
            }

            @Override
            public int mtu() throws TunTapException {
                return BsdTunTapDevice.this.mtu();
            }
        });
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + ", #" + index() + ", " + ctx.abi + " " + driver() + "]";
    }
}
