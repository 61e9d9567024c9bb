// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * What a backend, or an open device, can do. Ask before relying on an optional feature: an unsupported one
 * fails with {@link UnsupportedFeatureException}.
 *
 * <p>A provider states its capabilities per {@link DeviceMode} (a driver may serve TUN but not TAP); a device
 * states those of its own mode. Capabilities describe what a {@link DeviceConfig} can ask for at open. A
 * run-time setter of a capability the device has may still fail with {@link UnsupportedFeatureException}
 * where the operating system fixes the property when the interface is created (its Javadoc says where).
 */
public enum Capability {
    /** Layer-3 devices ({@link DeviceMode#TUN}). */
    TUN,
    /** Layer-2 devices ({@link DeviceMode#TAP}). */
    TAP,
    /**
     * The caller may choose any interface name within the system's rules. Without it, only the system's own
     * unit names ({@code tun3}, {@code utun3}) are accepted, or none.
     */
    CHOOSE_NAME,
    /** Several packet queues on one interface, one handle per queue. */
    MULTI_QUEUE,
    /** Devices that outlive the handle that created them ({@link DeviceConfig#persistent()}). */
    PERSISTENT,
    /** A persistent device may be given to a user or group, who can then attach without privileges. */
    OWNER_AND_GROUP,
    /** Attach to a device that already exists ({@link OpenPolicy#ATTACH_EXISTING}). */
    ATTACH,
    /** MTU can be read and set. */
    MTU,
    /**
     * The link can be brought administratively up and down (on a Windows TAP adapter: its media status).
     * Writes to a device whose link is down fail, enforced by the library where the system would drop them
     * silently.
     */
    LINK_STATE,
    /** IPv4 addresses can be listed, added and removed. */
    IPV4_ADDRESSES,
    /** IPv6 addresses can be listed, added and removed. */
    IPV6_ADDRESSES,
    /** Addresses may have a point-to-point peer ({@link DeviceAddress#pointToPoint}). */
    PEER_ADDRESSES,
    /** Routes through the device can be listed, added and removed ({@link Route}). */
    ROUTES,
    /**
     * Routes can carry a metric ({@link Route#withMetric}): Linux, Windows and OpenBSD have route priorities;
     * FreeBSD, NetBSD, macOS and illumos do not, and refuse a route with a metric.
     */
    ROUTE_METRICS,
    /** Changes of the device are reported as {@link DeviceEvent}s. */
    EVENTS,
    /** A TAP device's MAC address can be set at open ({@link DeviceConfig#macAddress()}). */
    SET_MAC_ADDRESS,
    /** Kernel segmentation and checksum offload (large packets, GSO/GRO). */
    OFFLOAD,
    /**
     * Direct buffers are read and written in place, without a copy in Java (Linux, the BSDs, macOS utun).
     * Without it each packet is copied once from the driver's buffer or ring (Windows).
     */
    ZERO_COPY,
    /**
     * An open TUN or TAP descriptor made elsewhere (a privileged launcher, a service manager, Android's
     * {@code VpnService}) can be taken over as a device: {@link TunTap#adopt(int)}, {@link DeviceHandoff}.
     */
    ADOPT,
    /**
     * Routes around the tunnel: the system's default route can be read ({@link TunTap#defaultRoute}) and a
     * route through another interface's gateway added and removed with the device
     * ({@link TunTapDevice#addBypassRoute(SystemRoute)}).
     */
    BYPASS_ROUTES
}
