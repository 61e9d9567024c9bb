// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.SystemRoute;
import io.tuntap.TunTapException;
import java.net.StandardProtocolFamily;
import java.util.Optional;

/**
 * The system's main routing table, through the system's own routing interface (rtnetlink, a routing socket,
 * IP Helper): what {@link io.tuntap.TunTap#defaultRoute} reads and what
 * {@link io.tuntap.TunTapDevice#addBypassRoute(SystemRoute)} changes. Closing releases the handle it holds.
 */
public interface SystemRouteTable extends AutoCloseable {

    /**
     * The default route of the main table for one family: among several, the one of lowest metric, as the
     * system itself chooses.
     *
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
     * @return the route, or empty if the family has no default route
     * @throws TunTapException if the table cannot be read
     */
    Optional<SystemRoute> defaultRoute(StandardProtocolFamily family) throws TunTapException;

    /**
     * Adds a route to the main table through its gateway on its interface.
     *
     * @param route the route, with its gateway and interface
     * @throws io.tuntap.DeviceBusyException if the route exists already
     * @throws TunTapException if the system refuses it
     */
    void add(SystemRoute route) throws TunTapException;

    /**
     * Removes a route from the main table.
     *
     * @param route the route as added or as read
     * @throws io.tuntap.DeviceNotFoundException if there is no such route
     * @throws TunTapException if the system refuses
     */
    void remove(SystemRoute route) throws TunTapException;

    /** Releases the table's handle; never throws. */
    @Override
    void close();
}
