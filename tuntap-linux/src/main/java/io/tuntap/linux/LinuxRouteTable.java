// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.SystemRoute;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Sys;
import io.tuntap.spi.SystemRouteTable;
import java.net.StandardProtocolFamily;
import java.util.Comparator;
import java.util.Optional;

/**
 * The main routing table of one network namespace over rtnetlink: the default route read from an
 * {@code RTM_GETROUTE} dump, routes added and removed as {@code ip route add|del DEST via GW dev DEV} does.
 * Calls are serialised on the socket.
 */
final class LinuxRouteTable implements SystemRouteTable {
    private final Rtnetlink netlink;
    private final boolean ownsSocket;

    private LinuxRouteTable(Rtnetlink netlink, boolean ownsSocket) {
        this.netlink = netlink;
        this.ownsSocket = ownsSocket;
    }

    /** A table on a socket of its own, in the calling thread's network namespace; close releases it. */
    static LinuxRouteTable open(LinuxLibC libc) throws TunTapException {
        return new LinuxRouteTable(Rtnetlink.open(libc), true);
    }

    /** A table on a device's configuration socket, which the device closes. */
    static LinuxRouteTable on(Rtnetlink netlink) {
        return new LinuxRouteTable(netlink, false);
    }

    /**
     * The main table's default route of lowest metric: the kernel's fib lookup prefers the lowest
     * {@code fib_priority} among routes of equal prefix (net/ipv4/fib_trie.c keeps aliases ordered by it;
     * IPv6 by {@code fib6_metric}). Routes of other tables (policy routing) are not the default one.
     */
    @Override
    public Optional<SystemRoute> defaultRoute(StandardProtocolFamily family) throws TunTapException {
        int af = family == StandardProtocolFamily.INET ? Sys.AF_INET : Sys.AF_INET6;
        synchronized (netlink) {
            Optional<RtnetlinkRoutes.Entry> best = RtnetlinkRoutes.listMain(netlink, af).stream()
                    .filter(e -> e.route().destination().prefixLength() == 0)
                    .min(Comparator.comparingInt(e -> e.route().metric().orElse(0)));
            if (best.isEmpty()) {
                return Optional.empty();
            }
            LinkInfo link = netlink.link(best.get().oif());
            if (link == null) {
                return Optional.empty(); // its interface went away between the two questions
            }
            return Optional.of(new SystemRoute(best.get().route(), link.name(), link.index()));
        }
    }

    @Override
    public void add(SystemRoute route) throws TunTapException {
        synchronized (netlink) {
            int errno = RtnetlinkRoutes.add(netlink, route.interfaceIndex(), route.route());
            if (errno != 0) {
                throw LinuxErrors.route("rtnetlink RTM_NEWROUTE " + route, errno, route.route(), route.interfaceName());
            }
        }
    }

    @Override
    public void remove(SystemRoute route) throws TunTapException {
        synchronized (netlink) {
            int errno = RtnetlinkRoutes.remove(netlink, route.interfaceIndex(), route.route());
            if (errno != 0) {
                throw LinuxErrors.route("rtnetlink RTM_DELROUTE " + route, errno, route.route(), route.interfaceName());
            }
        }
    }

    @Override
    public void close() {
        if (ownsSocket) {
            synchronized (netlink) {
                netlink.close();
            }
        }
    }
}
