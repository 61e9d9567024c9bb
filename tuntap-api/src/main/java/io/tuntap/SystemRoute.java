// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A route of the system's main routing table through any interface, not only a TUN/TAP device: what
 * {@link TunTap#defaultRoute} reads, and what {@link TunTapDevice#addBypassRoute(SystemRoute)} adds around a
 * tunnel. Immutable.
 *
 * <!-- snippet context
 * TunDevice tun;
 * InetAddress vpnServer;
 * -->
 * <pre>{@code
 * SystemRoute original = TunTap.defaultRoute(StandardProtocolFamily.INET).orElseThrow();
 * tun.addBypassRoute(original.to(vpnServer));   // the server's host route through the original gateway
 * }</pre>
 *
 * @param route destination, gateway (empty for an on-link route) and metric (empty for the system's default)
 * @param interfaceName the name of the interface the route leaves through, e.g. {@code "eth0"}
 * @param interfaceIndex that interface's index
 */
public record SystemRoute(Route route, String interfaceName, int interfaceIndex) {

    /**
     * Checks that every part is present and the index positive.
     *
     * @param route destination, gateway and metric
     * @param interfaceName the name of the interface the route leaves through
     * @param interfaceIndex that interface's index, positive
     */
    public SystemRoute {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceIndex <= 0) {
            throw new IllegalArgumentException("interface index " + interfaceIndex + " of " + interfaceName
                    + " is not an index; interface indexes start at 1");
        }
    }

    /** {@return the destination network ({@code 0.0.0.0/0} or {@code ::/0} for a default route)} */
    public IpPrefix destination() {
        return route.destination();
    }

    /** {@return the gateway, or empty for a route straight onto the interface's link} */
    public Optional<InetAddress> gateway() {
        return route.gateway();
    }

    /** {@return the metric, or empty where the system gave none} */
    public OptionalInt metric() {
        return route.metric();
    }

    /**
     * The route to one host ({@code /32} or {@code /128}) through this route's gateway and interface, without
     * a metric: the host route to a VPN server that keeps the tunnel's own packets off the tunnel.
     *
     * @param host the host, e.g. a VPN server's address
     * @return the host route
     * @throws IllegalArgumentException if the host's family is not this route's
     */
    public SystemRoute to(InetAddress host) {
        Objects.requireNonNull(host, "host");
        return toNetwork(new IpPrefix(host, host instanceof Inet4Address ? 32 : 128));
    }

    /**
     * The route to another destination through this route's gateway and interface, without a metric.
     *
     * @param destination the network, its host bits clear
     * @return a route to {@code destination} through this route's gateway and interface
     * @throws IllegalArgumentException if the destination has host bits set or its family is not this route's
     */
    public SystemRoute toNetwork(IpPrefix destination) {
        Route r = route.gateway().isPresent() ? Route.via(destination, route.gateway().get())
                : Route.onLink(destination);
        return new SystemRoute(r, interfaceName, interfaceIndex);
    }

    /** As {@code ip route} writes it, e.g. {@code "0.0.0.0/0 via 192.168.1.1 dev eth0 metric 100"}. */
    @Override
    public String toString() {
        Route plain = route.gateway().isPresent() ? Route.via(route.destination(), route.gateway().get())
                : Route.onLink(route.destination());
        return plain + " dev " + interfaceName + route.metric().stream().mapToObj(m -> " metric " + m)
                .findFirst().orElse("");
    }
}
