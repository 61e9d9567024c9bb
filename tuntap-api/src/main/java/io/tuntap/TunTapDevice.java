// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An open TUN or TAP interface: its first packet queue plus the interface's configuration.
 *
 * <p>The {@link PacketChannel} methods of this object are those of queue 0. With more than one queue
 * ({@link DeviceConfig.Builder#queues(int)}, {@link Capability#MULTI_QUEUE}), {@link #queues()} gives every
 * queue; each is read and written independently, typically by its own thread.
 *
 * <h2>What every backend keeps</h2>
 * The packet contract of {@link PacketChannel}; {@link #index()} as the interface's identity while the device
 * is open; configuration through the operating system's own interfaces (ioctl, rtnetlink, routing sockets, IP
 * Helper), never by running a program; {@link #close()} closes every queue, and a device that is not
 * persistent then disappears. Configuration methods may be called from any thread.
 *
 * <h2>What depends on a {@link Capability}</h2>
 * Each configuration method names the capability it needs; without it the method throws
 * {@link UnsupportedFeatureException}. Capabilities describe what can be set at open: where an operating
 * system fixes a property when the interface is created, its run-time setter throws
 * {@link UnsupportedFeatureException} even though the capability is present (the method says where).
 *
 * <h2>Backend extensions</h2>
 * Features of one operating system (a Linux queue's file descriptor, a Windows adapter's GUID) are reached
 * without casts through {@link #extension(Class)}, e.g. {@code device.extension(LinuxDevice.class)}.
 */
public interface TunTapDevice extends PacketChannel {

    /**
     * TUN or TAP.
     *
     * @return the device's mode
     */
    DeviceMode mode();

    /**
     * The interface name when the device was opened, e.g. {@code "tun0"}: the one asked for, or the one the
     * system chose. Other programs and users may rename an interface (Windows users always can), so
     * {@link #index()} is the identity; this name is not re-read.
     *
     * @return the name at open
     */
    String name();

    /** {@return the interface index the system gave the device: its identity while it exists} */
    int index();

    /** {@return every queue of this device; element 0 is this object} */
    List<? extends PacketChannel> queues();

    /** {@return what this device supports on this system} */
    Set<Capability> capabilities();

    /**
     * {@return the current MTU ({@link Capability#MTU})}
     *
     * @throws TunTapException if the system cannot be asked, or the device is closed
     */
    int mtu() throws TunTapException;

    /**
     * Sets the MTU ({@link Capability#MTU}), at most {@value DeviceConfig#MAX_MTU}; each system has its own
     * range, which the exception's message gives.
     *
     * @param mtu the new MTU in bytes
     * @throws InvalidConfigurationException if this device does not take that MTU
     * @throws TunTapException if the system refuses for another reason (no privilege, the interface gone)
     */
    void setMtu(int mtu) throws TunTapException;

    /**
     * {@return true if the link is administratively up ({@link Capability#LINK_STATE})}
     *
     * @throws TunTapException if the system cannot be asked, or the device is closed
     */
    boolean isUp() throws TunTapException;

    /**
     * Brings the link up or down ({@link Capability#LINK_STATE}). While it is down, writes fail with
     * {@link TunTapException} on every system (where the kernel would drop such packets silently, the
     * library refuses them).
     *
     * @param up true to bring the link up, false to take it down
     * @throws TunTapException if the system refuses (no privilege, the interface gone), or the device is closed
     */
    void setUp(boolean up) throws TunTapException;

    /**
     * The IPv4 and IPv6 addresses on the interface, including ones other programs assigned
     * ({@link Capability#IPV4_ADDRESSES}, {@link Capability#IPV6_ADDRESSES}).
     *
     * @return the addresses, in the system's order
     * @throws TunTapException if the system cannot be asked, or the device is closed
     */
    List<DeviceAddress> addresses() throws TunTapException;

    /**
     * Assigns an address, with a peer if it has one ({@link Capability#PEER_ADDRESSES}). Without a peer the
     * prefix is on-link, as on Linux. An IPv6 address can be bound to as soon as this returns while the link is
     * up: Linux, the BSDs and macOS add it without duplicate address detection where the system has that
     * option, and Windows waits for detection to finish.
     *
     * @param address the local address and prefix length, with its peer if any
     * @throws DeviceBusyException if the interface already has this local address
     * @throws TunTapException if the system refuses it for another reason (no privilege, an address family it lacks)
     */
    void addAddress(DeviceAddress address) throws TunTapException;

    /**
     * Assigns an address without a peer: its prefix is on-link.
     *
     * @param address the local address and prefix length
     * @throws DeviceBusyException if the interface already has it
     * @throws TunTapException if the system refuses it for another reason
     */
    default void addAddress(IpPrefix address) throws TunTapException {
        addAddress(DeviceAddress.of(address));
    }

    /**
     * Removes the address with this local address and prefix length, whatever its peer.
     *
     * @param local the local address and prefix length to remove
     * @throws DeviceNotFoundException if the interface does not have it
     * @throws TunTapException if the system refuses for another reason
     */
    void removeAddress(IpPrefix local) throws TunTapException;

    /**
     * The routes through this interface in the system's main routing table ({@link Capability#ROUTES}),
     * including those the system added for the interface's addresses. Metrics are listed as the system applied
     * them: a route added without one may be listed with the system's default (Linux gives IPv6 routes 1024).
     *
     * @return the routes, in the system's order
     * @throws TunTapException if the routing table cannot be read, or the device is closed
     */
    List<Route> routes() throws TunTapException;

    /**
     * Adds a route through this interface ({@link Capability#ROUTES}). The link must be up.
     *
     * @param route the destination, and the gateway and metric if any
     * @throws DeviceBusyException if the same route exists
     * @throws UnsupportedFeatureException if the route has a metric and the system has no route metrics
     * @throws TunTapException if the system refuses it for another reason (the link down, no privilege)
     */
    void addRoute(Route route) throws TunTapException;

    /**
     * Removes a route through this interface ({@link Capability#ROUTES}).
     *
     * @param route the route as listed by {@link #routes()} or as added
     * @throws DeviceNotFoundException if there is no such route
     * @throws TunTapException if the system refuses for another reason
     */
    void removeRoute(Route route) throws TunTapException;

    /**
     * Adds a route through another interface, around the tunnel ({@link Capability#BYPASS_ROUTES}): typically
     * the host route to the VPN server through the original default gateway, so that the tunnel's own packets
     * do not enter the tunnel once everything else is routed into it. Made from
     * {@link TunTap#defaultRoute}: {@code tun.addBypassRoute(TunTap.defaultRoute(INET).orElseThrow().to(server))}.
     *
     * <p>The route is added to the main table of the device's network namespace, and removed again when this
     * device closes (or with {@link #removeBypassRoute}). A route that existed before is refused and never
     * removed: only what this device added is taken away.
     *
     * @param route the route through another interface, e.g. {@code TunTap.defaultRoute(INET).orElseThrow().to(server)}
     * @throws DeviceBusyException if the same route exists already
     * @throws UnsupportedFeatureException if this backend cannot change routes of other interfaces
     * @throws TunTapException if the system refuses the route (the gateway unreachable, no privilege)
     */
    default void addBypassRoute(SystemRoute route) throws TunTapException {
        throw io.tuntap.spi.ErrorMessages.unsupported("addBypassRoute", name(), Capability.BYPASS_ROUTES,
                "this backend cannot change routes of other interfaces");
    }

    /**
     * Removes a route this device added with {@link #addBypassRoute} before it closes.
     *
     * @param route a route this device added
     * @throws DeviceNotFoundException if this device did not add it, or it is gone from the table
     * @throws TunTapException if the system refuses
     */
    default void removeBypassRoute(SystemRoute route) throws TunTapException {
        throw io.tuntap.spi.ErrorMessages.unsupported("removeBypassRoute", name(), Capability.BYPASS_ROUTES,
                "this backend cannot change routes of other interfaces");
    }

    /** {@return the routes this device added with {@link #addBypassRoute} and will remove when it closes} */
    default List<SystemRoute> bypassRoutes() {
        return List.of();
    }

    /**
     * Starts delivering this device's {@link DeviceEvent}s to {@code listener} on {@code executor}
     * ({@link Capability#EVENTS}): changes made by this program and by any other. Events of one subscription
     * are delivered one at a time, in order, even on an executor with many threads; a listener that throws is
     * logged and keeps receiving events. Close the subscription to stop.
     *
     * @param executor runs the listener, e.g. {@code Runnable::run} or an application's executor
     * @param listener receives the events
     * @return the subscription
     * @throws UnsupportedFeatureException if the device cannot report events
     */
    EventSubscription subscribe(Executor executor, Consumer<? super DeviceEvent> listener) throws TunTapException;

    /**
     * {@return whether the device outlives its last handle}
     *
     * @throws TunTapException if the system cannot be asked, or the device is closed
     */
    boolean isPersistent() throws TunTapException;

    /**
     * Makes the device persistent or not ({@link Capability#PERSISTENT}). Making an attached persistent
     * device non-persistent and closing it deletes the interface. Where persistence is fixed when the
     * interface is created (OpenBSD, NetBSD TAP clones), throws {@link UnsupportedFeatureException}.
     *
     * @param persistent true to keep the interface after the last handle closes
     * @throws TunTapException if the system refuses (no privilege), or the device is closed
     */
    void setPersistent(boolean persistent) throws TunTapException;

    /**
     * This device's backend-specific interface, such as {@code io.tuntap.linux.LinuxDevice}, if it offers it.
     *
     * @param <T> the extension type
     * @param type the extension type
     * @return the extension, or empty if this device's backend does not offer it (e.g. a Linux extension on
     *     Windows)
     */
    default <T> Optional<T> extension(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }
}
