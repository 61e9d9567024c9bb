// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.EventSubscription;
import io.tuntap.IpPrefix;
import io.tuntap.PacketChannel;
import io.tuntap.Route;
import io.tuntap.SystemRoute;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The OS-neutral part of a device, for backends to extend: identity, capabilities, the packet methods
 * delegated to queue 0, {@link #queues()} with this object as element 0, closing every queue once, the event
 * subscriptions ({@link EventDispatcher}), and {@link UnsupportedFeatureException} for optional features a
 * backend does not override.
 *
 * <p>A subclass passes its queues to {@link #attachQueues(List)} once, at the end of its constructor, and
 * releases its own handles in {@link #closeDevice()}. To report events it overrides {@link #eventSource()}
 * and includes {@link Capability#EVENTS} in its capabilities.
 *
 * <p>The configuration methods are written here once: each checks that the device is open and the
 * capabilities the call needs, then calls the subclass's hook ({@link #fetchMtu()}, {@link #storeMtu(int)},
 * {@link #insertAddress(DeviceAddress)} and the others), all under {@link #configurationLock()} where the
 * subclass names one, so that a close that takes the same lock never frees a handle under a running call.
 * A backend's own configuration methods use the same guard through {@link #query} and {@link #change}.
 */
public abstract class AbstractTunTapDevice implements TunTapDevice {
    private final DeviceMode mode;
    private final String name;
    private final int index;
    private final Set<Capability> capabilities;
    private List<PacketChannel> queues;
    private PacketChannel first;
    private EventDispatcher events;
    private volatile boolean closed;
    private volatile boolean persists;
    private volatile String fixedPersistenceWhy = "this backend cannot keep the interface after its device closes";
    /** Guards {@link #bypass}; held across the system call so that close sees every route added. */
    private final Object bypassLock = new Object();
    /** The routes {@link #addBypassRoute} added, which close removes. */
    private final List<SystemRoute> bypass = new ArrayList<>();

    /**
     * @param mode TUN or TAP
     * @param name the interface name
     * @param index the interface index
     * @param capabilities what this device can do
     */
    protected AbstractTunTapDevice(DeviceMode mode, String name, int index, Set<Capability> capabilities) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.name = Objects.requireNonNull(name, "name");
        this.index = index;
        this.capabilities = Set.copyOf(capabilities);
    }

    /**
     * Sets the queues, once: element 0 takes this device's packet calls and is replaced by this object in
     * {@link #queues()}.
     *
     * @param channels one per queue, at least one
     */
    protected final void attachQueues(List<? extends PacketChannel> channels) {
        if (queues != null) {
            throw new IllegalStateException("the queues of " + name + " are set already");
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a device has at least one queue");
        }
        List<PacketChannel> all = new ArrayList<>(channels);
        this.first = all.get(0);
        all.set(0, this);
        this.queues = List.copyOf(all);
    }

    /**
     * Queue 0: the channel this device's packet methods use.
     *
     * @return the first queue
     */
    protected final PacketChannel queue0() {
        return first;
    }

    @Override
    public final DeviceMode mode() {
        return mode;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int index() {
        return index;
    }

    @Override
    public final List<? extends PacketChannel> queues() {
        return queues;
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
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
        return !closed && first.isOpen();
    }

    /**
     * Closes the event subscriptions, every queue (waking blocked readers), then {@link #closeDevice()}; once,
     * whichever threads call. Never throws.
     */
    @Override
    public final void close() {
        EventDispatcher dispatcher;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            dispatcher = events;
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        removeBypassRoutes();
        for (int i = 0; i < queues.size(); i++) {
            (i == 0 ? first : queues.get(i)).close();
        }
        closeDevice();
    }

    /** Releases the device's own handles (a configuration socket, say) after every queue has closed. */
    protected abstract void closeDevice();

    /**
     * Throws if the device is closed; configuration methods call it first.
     *
     * @param call the method, for the message
     * @throws DeviceClosedException if the device is closed
     */
    protected final void ensureOpen(String call) throws DeviceClosedException {
        if (closed) {
            throw ErrorMessages.closed(call, name);
        }
    }

    /**
     * Throws if this device lacks a capability.
     *
     * @param needed the capability
     * @param call the method, for the message
     * @throws UnsupportedFeatureException if this device lacks it
     */
    protected final void require(Capability needed, String call) throws UnsupportedFeatureException {
        ConfigChecks.require(capabilities, needed, call, name, "the " + getClass().getSimpleName()
                + " backend does not offer it on this system");
    }

    /**
     * Fixes whether this device persists, for a backend where that cannot change; call it from the constructor.
     * {@link #isPersistent} then answers {@code persists}, and {@link #setPersistent} accepts that value and
     * refuses the other with {@code why}. Without it the device does not persist. A backend whose devices can
     * change overrides both methods.
     *
     * @param persists whether the interface outlives this device
     * @param why why that cannot change, and what to do instead
     */
    protected final void fixPersistence(boolean persists, String why) {
        this.persists = persists;
        this.fixedPersistenceWhy = why;
    }

    /** Whether the interface outlives this device, as {@link #fixPersistence} fixed it. */
    @Override
    public boolean isPersistent() throws TunTapException {
        ensureOpen("isPersistent");
        return persists;
    }

    /** Accepts what {@link #fixPersistence} fixed, refuses the other with error code 0. */
    @Override
    public void setPersistent(boolean persistent) throws TunTapException {
        if (persistent != isPersistent()) {
            throw new UnsupportedFeatureException("setPersistent", 0, ErrorMessages.failed("setPersistent("
                    + persistent + ") on " + name, fixedPersistenceWhy));
        }
    }

    // ---- configuration: the guard, then the subclass's hook -----------------------------------------------

    /**
     * A step of configuration that answers, run with the device open.
     *
     * @param <T> what it answers
     */
    @FunctionalInterface
    protected interface Query<T> {
        /**
         * Runs the step.
         *
         * @return the answer
         * @throws TunTapException if the system refuses
         */
        T run() throws TunTapException;
    }

    /** A step of configuration that changes something, run with the device open. */
    @FunctionalInterface
    protected interface Change {
        /**
         * Runs the step.
         *
         * @throws TunTapException if the system refuses
         */
        void run() throws TunTapException;
    }

    /**
     * The lock every configuration call holds while it checks that the device is open and runs its hook, or
     * null for none (the default): a backend whose {@link #closeDevice()} frees what the hooks use takes the
     * same lock there.
     *
     * @return the lock, or null
     */
    protected Object configurationLock() {
        return null;
    }

    /**
     * Runs {@code step} if the device is open, under {@link #configurationLock()}.
     *
     * @param <T> what the step answers
     * @param call the method, for the message if the device is closed
     * @param step what the method does
     * @return the step's answer
     * @throws TunTapException if the device is closed, or as the step throws
     */
    protected final <T> T query(String call, Query<T> step) throws TunTapException {
        Object lock = configurationLock();
        if (lock == null) {
            ensureOpen(call);
            return step.run();
        }
        synchronized (lock) {
            ensureOpen(call);
            return step.run();
        }
    }

    /**
     * Runs {@code step} if the device is open, under {@link #configurationLock()}.
     *
     * @param call the method, for the message if the device is closed
     * @param step what the method does
     * @throws TunTapException if the device is closed, or as the step throws
     */
    protected final void change(String call, Change step) throws TunTapException {
        query(call, () -> {
            step.run();
            return null;
        });
    }

    @Override
    public int mtu() throws TunTapException {
        return query("mtu", this::fetchMtu);
    }

    @Override
    public void setMtu(int mtu) throws TunTapException {
        change("setMtu", () -> storeMtu(mtu));
    }

    @Override
    public boolean isUp() throws TunTapException {
        return query("isUp", this::fetchUp);
    }

    @Override
    public void setUp(boolean up) throws TunTapException {
        change("setUp", () -> storeUp(up));
    }

    @Override
    public List<DeviceAddress> addresses() throws TunTapException {
        return query("addresses", this::fetchAddresses);
    }

    /** Checks the capabilities the address needs (its family, a peer), then {@link #insertAddress}. */
    @Override
    public void addAddress(DeviceAddress address) throws TunTapException {
        change("addAddress", () -> {
            require(address.isIpv4() ? Capability.IPV4_ADDRESSES : Capability.IPV6_ADDRESSES, "addAddress");
            if (address.isPointToPoint()) {
                require(Capability.PEER_ADDRESSES, "addAddress");
            }
            insertAddress(address);
        });
    }

    @Override
    public void removeAddress(IpPrefix local) throws TunTapException {
        change("removeAddress", () -> deleteAddress(local));
    }

    /** The routes through {@link #fetchRoutes()}. */
    @Override
    public List<Route> routes() throws TunTapException {
        return query("routes", this::fetchRoutes);
    }

    /** Checks {@link Capability#ROUTES} and the route's address family, then {@link #insertRoute}. */
    @Override
    public void addRoute(Route route) throws TunTapException {
        change("addRoute", () -> {
            requireRoutes(route, "addRoute");
            insertRoute(route);
        });
    }

    /** Checks {@link Capability#ROUTES} and the route's address family, then {@link #deleteRoute}. */
    @Override
    public void removeRoute(Route route) throws TunTapException {
        change("removeRoute", () -> {
            requireRoutes(route, "removeRoute");
            deleteRoute(route);
        });
    }

    private void requireRoutes(Route route, String call) throws UnsupportedFeatureException {
        require(Capability.ROUTES, call);
        require(route.isIpv4() ? Capability.IPV4_ADDRESSES : Capability.IPV6_ADDRESSES, call);
    }

    /**
     * The MTU, the device open.
     *
     * @return the MTU
     * @throws TunTapException if the system cannot be asked
     */
    protected abstract int fetchMtu() throws TunTapException;

    /**
     * Sets the MTU, the device open.
     *
     * @param mtu the MTU
     * @throws TunTapException if it is out of range or the system refuses
     */
    protected abstract void storeMtu(int mtu) throws TunTapException;

    /**
     * Whether the link is up, the device open.
     *
     * @return true if it is
     * @throws TunTapException if the system cannot be asked
     */
    protected abstract boolean fetchUp() throws TunTapException;

    /**
     * Brings the link up or down, the device open.
     *
     * @param up the state wanted
     * @throws TunTapException if the system refuses
     */
    protected abstract void storeUp(boolean up) throws TunTapException;

    /**
     * The interface's addresses, the device open.
     *
     * @return the addresses
     * @throws TunTapException if the system cannot be asked
     */
    protected abstract List<DeviceAddress> fetchAddresses() throws TunTapException;

    /**
     * Adds an address, the device open and its capabilities checked.
     *
     * @param address the address
     * @throws TunTapException if the system refuses
     */
    protected abstract void insertAddress(DeviceAddress address) throws TunTapException;

    /**
     * Removes an address, the device open.
     *
     * @param local the local address and prefix
     * @throws TunTapException if the interface does not have it or the system refuses
     */
    protected abstract void deleteAddress(IpPrefix local) throws TunTapException;

    /**
     * The routes through the interface, the device open; throws {@link UnsupportedFeatureException} unless
     * overridden.
     *
     * @return the routes
     * @throws TunTapException if the routing table cannot be read
     */
    protected List<Route> fetchRoutes() throws TunTapException {
        throw ErrorMessages.unsupported("routes", name, Capability.ROUTES, "this backend has no route support");
    }

    /**
     * Adds a route, the device open and {@link Capability#ROUTES} checked; throws
     * {@link UnsupportedFeatureException} unless overridden.
     *
     * @param route the route
     * @throws TunTapException if the system refuses
     */
    protected void insertRoute(Route route) throws TunTapException {
        throw ErrorMessages.unsupported("addRoute", name, Capability.ROUTES, "this backend has no route support");
    }

    /**
     * Removes a route, the device open and {@link Capability#ROUTES} checked; throws
     * {@link UnsupportedFeatureException} unless overridden.
     *
     * @param route the route
     * @throws TunTapException if there is no such route or the system refuses
     */
    protected void deleteRoute(Route route) throws TunTapException {
        throw ErrorMessages.unsupported("removeRoute", name, Capability.ROUTES, "this backend has no route support");
    }

    /**
     * The table {@link #addBypassRoute} changes, in the device's network namespace; a device with
     * {@link Capability#BYPASS_ROUTES} overrides it. The device keeps it open until {@link #closeDevice()}.
     *
     * @return the table
     * @throws TunTapException if it cannot be opened
     */
    protected SystemRouteTable systemRouteTable() throws TunTapException {
        throw new UnsupportedOperationException(getClass().getName() + " has Capability.BYPASS_ROUTES but does "
                + "not override systemRouteTable()");
    }

    /** Adds the route through {@link #systemRouteTable()} and remembers it, to remove it on close. */
    @Override
    public void addBypassRoute(SystemRoute route) throws TunTapException {
        Objects.requireNonNull(route, "route");
        synchronized (bypassLock) {
            ensureOpen("addBypassRoute");
            require(Capability.BYPASS_ROUTES, "addBypassRoute");
            systemRouteTable().add(route);
            bypass.add(route);
        }
    }

    /** Removes a route {@link #addBypassRoute} added. */
    @Override
    public void removeBypassRoute(SystemRoute route) throws TunTapException {
        Objects.requireNonNull(route, "route");
        synchronized (bypassLock) {
            ensureOpen("removeBypassRoute");
            require(Capability.BYPASS_ROUTES, "removeBypassRoute");
            if (!bypass.contains(route)) {
                throw new DeviceNotFoundException("removeBypassRoute", 0, ErrorMessages.failed("removeBypassRoute("
                        + route + ") on " + name, name + " did not add this route (it added " + bypass + "); remove "
                        + "only what addBypassRoute added, or change other routes with the system's tools"));
            }
            bypass.remove(route);
            systemRouteTable().remove(route);
        }
    }

    @Override
    public List<SystemRoute> bypassRoutes() {
        synchronized (bypassLock) {
            return List.copyOf(bypass);
        }
    }

    /** Takes away, on close, every route {@link #addBypassRoute} added; a failure is logged, not thrown. */
    private void removeBypassRoutes() {
        List<SystemRoute> added;
        synchronized (bypassLock) {
            added = new ArrayList<>(bypass);
            bypass.clear();
        }
        for (int i = added.size() - 1; i >= 0; i--) {
            SystemRoute route = added.get(i);
            try {
                systemRouteTable().remove(route);
            } catch (TunTapException | RuntimeException e) {
                System.getLogger("io.tuntap").log(System.Logger.Level.WARNING, "tuntap: closing " + name
                        + " could not remove the route " + route + " it added: " + e.getMessage());
            }
        }
    }

    /**
     * Subscribes through an {@link EventDispatcher} over {@link #eventSource()}; throws
     * {@link UnsupportedFeatureException} where the device lacks {@link Capability#EVENTS}.
     */
    @Override
    public final EventSubscription subscribe(Executor executor, Consumer<? super DeviceEvent> listener)
            throws TunTapException {
        EventDispatcher dispatcher;
        synchronized (this) {
            ensureOpen("subscribe");
            require(Capability.EVENTS, "subscribe");
            if (events == null) {
                events = new EventDispatcher(name, eventSource());
            }
            dispatcher = events;
        }
        return dispatcher.subscribe(executor, listener);
    }

    /**
     * What watches the system for this device's events; called once, with the first subscription, on a device
     * that has {@link Capability#EVENTS}.
     *
     * @return the source
     */
    protected EventDispatcher.Source eventSource() {
        throw new UnsupportedOperationException(getClass().getName() + " has Capability.EVENTS but does not "
                + "override eventSource()");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", #" + index + ", " + mode + ", "
                + (queues == null ? 0 : queues.size()) + " queue(s)" + (closed ? ", closed]" : "]");
    }
}
