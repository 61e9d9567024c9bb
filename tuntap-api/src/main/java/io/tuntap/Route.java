// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import io.tuntap.internal.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A route through a device ({@link Capability#ROUTES}): packets for the destination prefix leave through the
 * device, to the gateway if there is one, else straight onto the link. Immutable.
 *
 * <!-- snippet context
 * TunTapDevice device;
 * -->
 * <pre>{@code
 * device.addRoute(Route.onLink(IpPrefix.parse("10.8.0.0/16")));
 * device.addRoute(Route.via(IpPrefix.parse("0.0.0.0/0"), InetAddress.getByName("10.7.0.2")).withMetric(50));
 * }</pre>
 *
 * <p>Two routes are equal when destination, gateway and metric are equal.
 */
public final class Route {
    private final IpPrefix destination;
    private final InetAddress gateway;
    private final int metric;

    private Route(IpPrefix destination, InetAddress gateway, int metric) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.gateway = gateway;
        this.metric = metric;
        if (!destination.equals(destination.network())) {
            throw new IllegalArgumentException("route destination " + destination + " has host bits set; write the "
                    + "network, " + destination.network());
        }
        if (gateway != null && (gateway instanceof Inet4Address) != destination.isIpv4()) {
            throw new IllegalArgumentException("the gateway " + IpLiterals.format(gateway) + " and the "
                    + "destination " + destination + " are of different families");
        }
        if (metric < 0) {
            throw new IllegalArgumentException("route metric " + metric + " is negative; use 0 or more");
        }
    }

    /**
     * A route whose destination is on the device's link, without a gateway.
     *
     * @param destination the network, its host bits clear
     * @return a route without a gateway and without a metric
     * @throws IllegalArgumentException if the destination has host bits set (write {@code 10.8.0.0/16}, not
     *     {@code 10.8.0.1/16}; see {@link IpPrefix#network()})
     */
    public static Route onLink(IpPrefix destination) {
        return new Route(destination, null, 0);
    }

    /**
     * A route to the destination through a gateway reached over the device.
     *
     * @param destination the network, its host bits clear
     * @param gateway the next hop, of the same family
     * @return a route through {@code gateway}, without a metric
     * @throws IllegalArgumentException if the destination has host bits set or the families differ
     */
    public static Route via(IpPrefix destination, InetAddress gateway) {
        return new Route(destination, Objects.requireNonNull(gateway, "gateway"), 0);
    }

    /**
     * The route a text stands for, in the form {@link #toString()} writes and {@code ip route} shows:
     * {@code "DESTINATION [via GATEWAY] [metric N]"}, such as {@code "0.0.0.0/1 via 10.8.0.5"},
     * {@code "10.8.0.0/16"} or {@code "fd00:8::/64 via fd00::1 metric 50"}. Addresses are literals: nothing is
     * looked up.
     *
     * @param text the route
     * @return the route
     * @throws IllegalArgumentException if {@code text} is not in that form, or is a route that
     *     {@link #onLink}, {@link #via} or {@link #withMetric} would refuse (host bits set, families that differ,
     *     a negative metric)
     */
    public static Route parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] words = text.strip().split("\\s+");
        try {
            IpPrefix destination = IpPrefix.parse(words[0]);
            InetAddress gateway = null;
            int metric = 0;
            int i = 1;
            if (i + 1 < words.length && words[i].equals("via")) {
                gateway = IpLiterals.parse(words[i + 1]);
                i += 2;
            }
            if (i + 1 < words.length && words[i].equals("metric")) {
                metric = Integer.parseInt(words[i + 1]);
                i += 2;
            }
            if (i != words.length) {
                throw new IllegalArgumentException("'" + words[i] + "' is not expected there");
            }
            return new Route(destination, gateway, metric);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a route: '" + text + "' (" + e.getMessage() + "); write "
                    + "'DESTINATION/LENGTH [via GATEWAY] [metric N]', such as '0.0.0.0/1 via 10.8.0.5'", e);
        }
    }

    /**
     * This route with a metric (priority; lower is preferred). Where the operating system has no route
     * metrics (FreeBSD, NetBSD, macOS, illumos: no {@link Capability#ROUTE_METRICS}), adding a route with a
     * metric fails with {@link UnsupportedFeatureException}.
     *
     * @param metric 1 or more; 0 means the system's default
     * @return this route with that metric
     * @throws IllegalArgumentException if the metric is negative
     */
    public Route withMetric(int metric) {
        return new Route(destination, gateway, metric);
    }

    /** {@return the destination network} */
    public IpPrefix destination() {
        return destination;
    }

    /** {@return the gateway, or empty for an on-link route} */
    public Optional<InetAddress> gateway() {
        return Optional.ofNullable(gateway);
    }

    /** {@return the metric, or empty for the system's default} */
    public OptionalInt metric() {
        return metric == 0 ? OptionalInt.empty() : OptionalInt.of(metric);
    }

    /** {@return true for IPv4, false for IPv6} */
    public boolean isIpv4() {
        return destination.isIpv4();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && destination.equals(r.destination) && Objects.equals(gateway, r.gateway)
                && metric == r.metric;
    }

    @Override
    public int hashCode() {
        return Objects.hash(destination, gateway, metric);
    }

    /** As {@code ip route} writes it, e.g. {@code "10.8.0.0/16 via 10.7.0.2 metric 50"}. */
    @Override
    public String toString() {
        return destination + (gateway == null ? "" : " via " + IpLiterals.format(gateway))
                + (metric == 0 ? "" : " metric " + metric);
    }
}
