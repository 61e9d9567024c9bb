// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.InvalidConfigurationException;
import io.tuntap.SystemRoute;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.Ifaddrs;
import io.tuntap.bsd.jna.RtMsghdr;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.SystemRouteTable;
import java.net.StandardProtocolFamily;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The system's routing table on the BSDs and macOS: the default route from the same {@code NET_RT_DUMP}
 * sysctl the devices list their routes with, routes through any interface added and removed with one
 * {@code RTM_ADD} or {@code RTM_DELETE} on a routing socket naming the interface by {@code RTA_IFP}, as a
 * device's own routes are. FreeBSD, NetBSD and macOS keep one default route per family; OpenBSD may keep
 * several, and prefers the lowest {@code rtm_priority} (RTP_STATIC, 8, for a static route).
 */
final class BsdRouteTable implements SystemRouteTable {
    private final BsdContext ctx;
    private int seq;

    BsdRouteTable(BsdContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public synchronized Optional<SystemRoute> defaultRoute(StandardProtocolFamily family) throws TunTapException {
        int af = family == StandardProtocolFamily.INET ? BsdAbi.AF_INET : ctx.abi.afInet6;
        Optional<RtMsghdr.Dumped> best = BsdRoutes.dump(ctx, af, "read the default route").stream()
                .filter(d -> d.prefix() == 0 && (d.flags() & RtMsghdr.RTF_GATEWAY) != 0 && d.gateway() != null
                        && d.gateway().getClass() == d.destination().getClass())
                .min(Comparator.comparingInt(RtMsghdr.Dumped::priority));
        if (best.isEmpty()) {
            return Optional.empty();
        }
        RtMsghdr.Dumped d = best.get();
        String name = nameOf(d.index());
        if (name == null) {
            return Optional.empty(); // its interface went away between the two questions
        }
        io.tuntap.Route route = io.tuntap.Route.via(new io.tuntap.IpPrefix(d.destination(), 0), d.gateway());
        boolean metrics = ctx.abi.os == BsdAbi.Os.OPENBSD;
        return Optional.of(new SystemRoute(metrics && d.priority() != RtMsghdr.RTP_STATIC
                ? route.withMetric(d.priority()) : route, name, d.index()));
    }

    /** The name of the interface with this index, from getifaddrs and if_nametoindex; null if there is none. */
    private String nameOf(int index) throws TunTapException {
        Set<String> names = new LinkedHashSet<>();
        for (Ifaddrs.Entry e : BsdAddresses.entries(ctx, null)) {
            names.add(e.name());
        }
        for (String n : names) {
            if (ctx.libc.if_nametoindex(n) == index) {
                return n;
            }
        }
        return null;
    }

    @Override
    public synchronized void add(SystemRoute route) throws TunTapException {
        BsdRoutes.message(ctx, RtMsghdr.RTM_ADD, route.route(), priority(route, "addBypassRoute"),
                route.interfaceIndex(), route.interfaceName(), ++seq);
    }

    @Override
    public synchronized void remove(SystemRoute route) throws TunTapException {
        BsdRoutes.message(ctx, RtMsghdr.RTM_DELETE, route.route(), priority(route, "removeBypassRoute"),
                route.interfaceIndex(), route.interfaceName(), ++seq);
    }

    /** A metric is OpenBSD's priority, 1 to 62; the others have none. */
    private int priority(SystemRoute route, String call) throws TunTapException {
        if (route.metric().isEmpty()) {
            return 0;
        }
        if (ctx.abi.os != BsdAbi.Os.OPENBSD) {
            throw new UnsupportedFeatureException(call, 0, ErrorMessages.failed(call, route + ": " + ctx.abi
                    + " has no route metrics; add the route without a metric"));
        }
        int metric = route.metric().getAsInt();
        if (metric >= 63) {
            throw new InvalidConfigurationException(call, 0, ErrorMessages.failed(call, route
                    + ": OpenBSD route priorities go from 1 to 62"));
        }
        return metric;
    }

    /** Holds no handle: each call opens and closes its routing socket. */
    @Override
    public void close() {
    }
}
