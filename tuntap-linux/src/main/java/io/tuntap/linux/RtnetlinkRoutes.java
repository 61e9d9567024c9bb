// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static io.tuntap.linux.jna.Rtnl.NLM_F_ACK;
import static io.tuntap.linux.jna.Rtnl.NLM_F_CREATE;
import static io.tuntap.linux.jna.Rtnl.NLM_F_DUMP;
import static io.tuntap.linux.jna.Rtnl.NLM_F_EXCL;
import static io.tuntap.linux.jna.Rtnl.NLM_F_REQUEST;

import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Rtnl;
import io.tuntap.linux.jna.Sys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes through one interface over rtnetlink: {@code RTM_GETROUTE} (dump, filtered to the main table and the
 * interface), {@code RTM_NEWROUTE} and {@code RTM_DELROUTE}, built as iproute2 builds them for
 * {@code ip route add|del DEST [via GW] dev DEV [metric N]}. Never runs {@code ip}.
 */
final class RtnetlinkRoutes {
    private RtnetlinkRoutes() {
    }

    /** Every unicast route of the main table whose output interface is {@code index}. */
    static List<Route> list(Rtnetlink netlink, int index) throws TunTapException {
        ByteBuffer b = netlink.begin(Rtnl.RTM_GETROUTE, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        b.put(new byte[Rtnl.RTMSG_SIZE]); // every family, every table: filtered below
        List<Route> found = new ArrayList<>();
        int errno = netlink.exchange((buf, type, start, end) -> {
            if (type == Rtnl.RTM_NEWROUTE) {
                Route r = parse(buf, start, end, index);
                if (r != null) {
                    found.add(r);
                }
            }
            return true;
        });
        if (errno != 0) {
            throw LinuxErrors.ofCommon("rtnetlink RTM_GETROUTE", errno, "cannot list the routes of interface #"
                    + index);
        }
        return found;
    }

    /** Adds a route through {@code index}; returns 0 or the kernel's errno (EEXIST: the route exists). */
    static int add(Rtnetlink netlink, int index, Route route) throws TunTapException {
        ByteBuffer b = netlink.begin(Rtnl.RTM_NEWROUTE,
                (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
        putRoute(netlink, b, index, route, Rtnl.RTPROT_STATIC,
                route.gateway().isPresent() ? Rtnl.RT_SCOPE_UNIVERSE : Rtnl.RT_SCOPE_LINK, Rtnl.RTN_UNICAST);
        return netlink.exchange((buf, type, start, end) -> true);
    }

    /** Removes a route through {@code index}; returns 0 or the kernel's errno (ESRCH: no such route). */
    static int remove(Rtnetlink netlink, int index, Route route) throws TunTapException {
        ByteBuffer b = netlink.begin(Rtnl.RTM_DELROUTE, (short) (NLM_F_REQUEST | NLM_F_ACK));
        // As iproute2 deletes: any origin, any scope, any type; a metric only if the route names one.
        putRoute(netlink, b, index, route, 0, Rtnl.RT_SCOPE_NOWHERE, 0);
        return netlink.exchange((buf, type, start, end) -> true);
    }

    private static void putRoute(Rtnetlink netlink, ByteBuffer b, int index, Route route, int protocol, int scope,
            int type) {
        IpPrefix dst = route.destination();
        b.put((byte) (dst.isIpv4() ? Sys.AF_INET : Sys.AF_INET6)).put((byte) dst.prefixLength()).put((byte) 0)
                .put((byte) 0).put((byte) Rtnl.RT_TABLE_MAIN).put((byte) protocol).put((byte) scope)
                .put((byte) type).putInt(0);
        if (dst.prefixLength() > 0) {
            netlink.putBytesAttribute(Rtnl.RTA_DST, dst.address().getAddress());
        }
        netlink.putIntAttribute(Rtnl.RTA_OIF, index);
        if (route.gateway().isPresent()) {
            netlink.putBytesAttribute(Rtnl.RTA_GATEWAY, route.gateway().get().getAddress());
        }
        if (route.metric().isPresent()) {
            netlink.putIntAttribute(Rtnl.RTA_PRIORITY, route.metric().getAsInt());
        }
    }

    /**
     * Whether the kernel delivers packets for {@code address} to this host: a route lookup, as
     * {@code ip route get ADDRESS} makes it ({@code RTM_GETROUTE} without {@code NLM_F_DUMP}), answers
     * {@code rtm_type} {@code RTN_LOCAL} once the address's local route is in (include/uapi/linux/rtnetlink.h).
     * A lookup the kernel refuses (no route at all: ENETUNREACH) answers false.
     */
    static boolean isLocal(Rtnetlink netlink, InetAddress address) throws TunTapException {
        ByteBuffer b = netlink.begin(Rtnl.RTM_GETROUTE, NLM_F_REQUEST);
        byte[] raw = address.getAddress();
        byte[] rtmsg = new byte[Rtnl.RTMSG_SIZE];
        rtmsg[0] = (byte) (raw.length == 4 ? Sys.AF_INET : Sys.AF_INET6);
        rtmsg[1] = (byte) (raw.length * 8);
        b.put(rtmsg);
        netlink.putBytesAttribute(Rtnl.RTA_DST, raw);
        boolean[] local = {false};
        int errno = netlink.exchange((buf, type, start, end) -> {
            if (type == Rtnl.RTM_NEWROUTE && end - start >= Rtnl.RTMSG_SIZE) {
                local[0] = (buf.get(start + 7) & 0xff) == Rtnl.RTN_LOCAL;
            }
            return false; // one answer, not a dump
        });
        return errno == 0 && local[0];
    }

    /** A unicast route of the main table and the interface it leaves through. */
    record Entry(Route route, int oif) {
    }

    /**
     * The route an {@code RTM_NEWROUTE} body describes, if it is a unicast route of the main table through
     * {@code index}; null otherwise (another interface or table, a cached clone, a multipath route).
     */
    static Route parse(ByteBuffer buf, int start, int end, int index) {
        Entry e = parseMain(buf, start, end);
        return e != null && e.oif() == index ? e.route() : null;
    }

    /**
     * The route an {@code RTM_NEWROUTE} body describes and its output interface, if it is a unicast route of the
     * main table with one output interface; null otherwise (another table, a cached clone, a multipath route
     * or one through a nexthop object, which carry no {@code RTA_OIF}, a body too short for its {@code rtmsg}).
     * The table is {@code RTA_TABLE} where present, since {@code rtm_table} holds only 8 bits (RT_TABLE_COMPAT
     * for tables above 255, include/uapi/linux/rtnetlink.h).
     */
    static Entry parseMain(ByteBuffer buf, int start, int end) {
        if (end - start < Rtnl.RTMSG_SIZE) {
            return null;
        }
        int family = buf.get(start) & 0xff;
        int dstLength = buf.get(start + 1) & 0xff;
        int type = buf.get(start + 7) & 0xff;
        int flags = buf.getInt(start + 8);
        if ((family != Sys.AF_INET && family != Sys.AF_INET6) || type != Rtnl.RTN_UNICAST
                || (flags & Rtnl.RTM_F_CLONED) != 0) {
            return null;
        }
        int[] table = {buf.get(start + 4) & 0xff};
        int[] oif = {0};
        int[] metric = {0};
        InetAddress[] dst = {null};
        InetAddress[] gateway = {null};
        NetlinkAttributes.forEach(buf, start + Rtnl.RTMSG_SIZE, end, (attr, data, length) -> {
            if (length < 4) {
                return; // every attribute read here holds at least a u32
            }
            switch (attr) {
                case Rtnl.RTA_DST -> dst[0] = NetlinkAttributes.address(buf, data, length);
                case Rtnl.RTA_OIF -> oif[0] = buf.getInt(data);
                case Rtnl.RTA_GATEWAY -> gateway[0] = NetlinkAttributes.address(buf, data, length);
                case Rtnl.RTA_PRIORITY -> metric[0] = buf.getInt(data);
                case Rtnl.RTA_TABLE -> table[0] = buf.getInt(data);
                default -> { }
            }
        });
        if (table[0] != Rtnl.RT_TABLE_MAIN || oif[0] == 0) {
            return null;
        }
        try {
            InetAddress destination = dst[0] != null ? dst[0]
                    : InetAddress.getByAddress(new byte[family == Sys.AF_INET ? 4 : 16]);
            IpPrefix prefix = new IpPrefix(destination, dstLength).network();
            Route r = gateway[0] == null ? Route.onLink(prefix) : Route.via(prefix, gateway[0]);
            return new Entry(metric[0] > 0 ? r.withMetric(metric[0]) : r, oif[0]);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Every unicast route of the main table of one family with its output interface ({@code RTM_GETROUTE}
     * dump with {@code rtm_family} set, which rtnetlink hands to that family's dump alone).
     */
    static List<Entry> listMain(Rtnetlink netlink, int family) throws TunTapException {
        ByteBuffer b = netlink.begin(Rtnl.RTM_GETROUTE, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        byte[] rtmsg = new byte[Rtnl.RTMSG_SIZE];
        rtmsg[0] = (byte) family;
        b.put(rtmsg);
        List<Entry> found = new ArrayList<>();
        int errno = netlink.exchange((buf, type, start, end) -> {
            if (type == Rtnl.RTM_NEWROUTE) {
                Entry e = parseMain(buf, start, end);
                if (e != null) {
                    found.add(e);
                }
            }
            return true;
        });
        if (errno != 0) {
            throw LinuxErrors.ofCommon("rtnetlink RTM_GETROUTE", errno, "cannot read the main routing table");
        }
        return found;
    }
}
