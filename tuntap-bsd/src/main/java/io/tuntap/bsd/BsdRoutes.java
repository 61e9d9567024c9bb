// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.RtMsghdr;
import io.tuntap.spi.ErrorMessages;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The routes through one BSD or macOS interface: listed from a {@code sysctl} route dump ({@code NET_RT_DUMP})
 * filtered by the interface index, added and removed with {@code RTM_ADD}/{@code RTM_DELETE} messages on a
 * routing socket. Unlike Linux, an address without peer on a point-to-point interface routes only itself, so
 * its prefix route is added here too ({@link #prefixRoute}). The device checks the capabilities and holds its
 * lock around every call. The dump and the message are shared with {@link BsdRouteTable}.
 */
final class BsdRoutes {
    private final BsdContext ctx;
    private final String name;
    private final int index;
    private final boolean metrics;
    private int routeSeq;

    /**
     * @param metrics whether the kernel has route metrics (Capability.ROUTE_METRICS: OpenBSD's priorities)
     */
    BsdRoutes(BsdContext ctx, String name, int index, boolean metrics) {
        this.ctx = ctx;
        this.name = name;
        this.index = index;
        this.metrics = metrics;
    }

    /**
     * The routes through the interface. A route without {@code RTF_GATEWAY} is on-link; OpenBSD's priority is
     * the metric, its default ({@code RTP_STATIC}, 8) shown as 0.
     */
    List<Route> list() throws TunTapException {
        List<Route> out = new ArrayList<>();
        for (int family : new int[] {BsdAbi.AF_INET, ctx.abi.afInet6}) {
            for (RtMsghdr.Dumped d : dump(ctx, family, "list the routes through " + name)) {
                if (d.index() != index || d.destination().isLinkLocalAddress()
                        || d.destination().isMulticastAddress()) {
                    continue;
                }
                IpPrefix destination = new IpPrefix(d.destination(), d.prefix()).network();
                boolean viaGateway = (d.flags() & RtMsghdr.RTF_GATEWAY) != 0 && d.gateway() != null
                        && d.gateway().getClass() == d.destination().getClass();
                Route r = viaGateway ? Route.via(destination, d.gateway()) : Route.onLink(destination);
                int metric = d.priority() == RtMsghdr.RTP_STATIC ? 0 : d.priority();
                out.add(r.withMetric(metric));
            }
        }
        return out;
    }

    /**
     * The routes of {@code family}: sysctl {CTL_NET, PF_ROUTE, 0, family, NET_RT_DUMP, 0}, sized first.
     *
     * @param why what the table is read for, for messages, e.g. "list the routes through tun0"
     */
    static List<RtMsghdr.Dumped> dump(BsdContext ctx, int family, String why) throws TunTapException {
        try (Memory mib = new Memory(6 * 4); Memory size = new Memory(8)) {
            int[] name = {RtMsghdr.CTL_NET, BsdAbi.AF_ROUTE, 0, family, RtMsghdr.NET_RT_DUMP, 0};
            mib.write(0, name, 0, name.length);
            for (int attempt = 0; attempt < 5; attempt++) {
                size.setLong(0, 0);
                if (ctx.bsd.sysctl(Pointer.nativeValue(mib), 6, 0, Pointer.nativeValue(size), 0, 0) < 0) {
                    throw BsdErrors.ofCommon("sysctl(NET_RT_DUMP)", ctx.libc.errno(), "cannot read the routing "
                            + "table to " + why);
                }
                long needed = size.getLong(0) + 1024; // room for routes added meanwhile
                try (Memory buf = new Memory(needed)) {
                    size.setLong(0, needed);
                    if (ctx.bsd.sysctl(Pointer.nativeValue(mib), 6, Pointer.nativeValue(buf),
                            Pointer.nativeValue(size), 0, 0) < 0) {
                        int errno = ctx.libc.errno();
                        if (errno == BsdErrno.ENOMEM) {
                            continue; // the table grew: size it again
                        }
                        throw BsdErrors.ofCommon("sysctl(NET_RT_DUMP)", errno, "cannot read the routing table "
                                + "to " + why);
                    }
                    int length = (int) size.getLong(0);
                    return RtMsghdr.readDump(buf.getByteBuffer(0, needed).order(ByteOrder.nativeOrder()),
                            length, ctx.abi);
                }
            }
            throw BsdErrors.of("sysctl(NET_RT_DUMP)", BsdErrno.ENOMEM, "the routing table kept growing while "
                    + "it was read; try again");
        }
    }

    /** Adds ({@code add}) or removes {@code route}, after checking its metric. */
    void change(boolean add, Route route, String call) throws TunTapException {
        message(ctx, add ? RtMsghdr.RTM_ADD : RtMsghdr.RTM_DELETE, route, checkMetric(route, call), index, name,
                ++routeSeq);
    }

    /** A metric needs ROUTE_METRICS (OpenBSD: a priority of 1 to 62). */
    private int checkMetric(Route route, String call) throws TunTapException {
        if (route.metric().isEmpty()) {
            return 0;
        }
        int metric = route.metric().getAsInt();
        if (!metrics) {
            throw new UnsupportedFeatureException(call, 0, ErrorMessages.failed(call + " on " + name, route + ": "
                    + ctx.abi + " has no route metrics (Capability.ROUTE_METRICS is absent); add the route "
                    + "without a metric"));
        }
        if (metric >= 63) {
            throw new InvalidConfigurationException(call, 0, ErrorMessages.failed(call + " on " + name, route
                    + ": OpenBSD route priorities go from 1 to 62"));
        }
        return metric;
    }

    /** Adds or deletes a route through interface {@code index} ({@code name}) with one routing-socket message. */
    static void message(BsdContext ctx, int type, Route route, int priority, int index, String name, int seq)
            throws TunTapException {
        boolean add = type == RtMsghdr.RTM_ADD;
        String call = "write(PF_ROUTE, " + (add ? "RTM_ADD " : "RTM_DELETE ") + route + " dev " + name + ")";
        int s = ctx.libc.socket(BsdAbi.AF_ROUTE, BsdAbi.SOCK_RAW, 0);
        if (s < 0) {
            throw BsdErrors.ofCommon("socket(PF_ROUTE)", ctx.libc.errno(), "cannot open a routing socket to "
                    + (add ? "add " : "remove ") + route);
        }
        try (BsdContext.Request r = new BsdContext.Request(512)) {
            int length = RtMsghdr.putUserRoute(r.view, ctx.abi, type, seq, route.destination().address(),
                    route.destination().prefixLength(), route.gateway().orElse(null), index, priority);
            if (ctx.libc.write(s, r.address, length) < 0) {
                int errno = ctx.libc.errno();
                if (add && errno == BsdErrno.EEXIST) {
                    throw BsdErrors.of(call, errno, "a route to " + route.destination() + " exists already; remove "
                            + "it first");
                }
                if (!add && errno == BsdErrno.ESRCH) {
                    throw BsdErrors.of(call, errno, "there is no such route; see routes() for the routes there are");
                }
                throw BsdErrors.ofCommon(call, errno, "the kernel refused the route (is the gateway reachable "
                        + "through " + name + "?)");
            }
        } finally {
            ctx.libc.close(s);
        }
    }

    /**
     * Adds or deletes the on-link route of an address without peer on a point-to-point interface: there the
     * kernel routes only the destination (here the local address itself), so without this route the rest of
     * the prefix would not go through the device as it does on Linux. An {@code RTM_ADD}/{@code RTM_DELETE}
     * on a routing socket, with the interface's own address as "gateway" (route(8) {@code -interface}). A
     * host prefix needs none; a route that exists already (EEXIST) or is gone (ESRCH) is fine.
     */
    void prefixRoute(int type, IpPrefix address) throws TunTapException {
        if (address.prefixLength() == (address.isIpv4() ? 32 : 128)) {
            return;
        }
        int s = ctx.libc.socket(BsdAbi.AF_ROUTE, BsdAbi.SOCK_RAW, 0);
        if (s < 0) {
            throw BsdErrors.ofCommon("socket(PF_ROUTE)", ctx.libc.errno(), "cannot open a routing socket to "
                    + "route " + address.network() + " through " + name);
        }
        String what = (type == RtMsghdr.RTM_ADD ? "RTM_ADD " : "RTM_DELETE ") + address.network() + " -interface "
                + address.addressText();
        try (BsdContext.Request r = new BsdContext.Request(512)) {
            int length = RtMsghdr.putRoute(r.view, ctx.abi, type, ++routeSeq, address.network().address(),
                    address.prefixLength(), address.address(), false);
            if (ctx.libc.write(s, r.address, length) < 0) {
                int errno = ctx.libc.errno();
                boolean fine = type == RtMsghdr.RTM_ADD ? errno == BsdErrno.EEXIST : errno == BsdErrno.ESRCH;
                if (!fine) {
                    throw BsdErrors.ofCommon("write(PF_ROUTE, " + what + ")", errno, "cannot route "
                            + address.network() + " through " + name + ", a point-to-point interface; give the "
                            + "address a peer, or add the route yourself");
                }
            }
        } finally {
            ctx.libc.close(s);
        }
    }
}
