// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.ptr.PointerByReference;
import io.tuntap.Route;
import io.tuntap.SystemRoute;
import io.tuntap.TunTapException;
import io.tuntap.spi.SystemRouteTable;
import io.tuntap.windows.win32.IpHelper;
import io.tuntap.windows.win32.IpTables;
import io.tuntap.windows.win32.MibIpForwardRow2;
import io.tuntap.windows.win32.MibIpInterfaceRow;
import io.tuntap.windows.win32.SockaddrInet;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.Optional;

/**
 * The system's routing table through IP Helper: the default route from {@code GetIpForwardTable2}, routes
 * through any interface added and removed with {@code CreateIpForwardEntry2} and {@code DeleteIpForwardEntry2}.
 *
 * <p>Which default route Windows uses: the one of lowest effective metric, which is the route's own
 * {@code Metric} plus its interface's {@code Metric} ({@code MIB_IPINTERFACE_ROW}, per family), as the
 * {@code Metric} member of {@code MIB_IPFORWARD_ROW2} says (learn.microsoft.com, ns-netioapi-mib_ipforward_row2).
 * The route reports its own metric. A route is added by interface index alone: "the InterfaceLuid or the
 * InterfaceIndex member ... must be specified" (nf-netioapi-createipforwardentry2).
 */
final class WindowsRouteTable implements SystemRouteTable {
    private final IpHelper ip;

    WindowsRouteTable(IpHelper ip) {
        this.ip = ip;
    }

    @Override
    public synchronized Optional<SystemRoute> defaultRoute(StandardProtocolFamily family) throws TunTapException {
        short af = family == StandardProtocolFamily.INET ? SockaddrInet.AF_INET : SockaddrInet.AF_INET6;
        PointerByReference table = new PointerByReference();
        int error = ip.GetIpForwardTable2(af, table);
        if (error != 0) {
            throw WinErrors.of("GetIpForwardTable2", error, "cannot read the routing table");
        }
        MibIpForwardRow2 best = null;
        long bestMetric = Long.MAX_VALUE;
        try {
            for (MibIpForwardRow2 row : IpTables.rows(table.getValue(), new MibIpForwardRow2().size(),
                    MibIpForwardRow2::new)) {
                if (row.DestinationPrefix.PrefixLength != 0 || row.DestinationPrefix.Prefix.si_family != af) {
                    continue;
                }
                long metric = Integer.toUnsignedLong(row.Metric) + interfaceMetric(row.InterfaceLuid, af);
                if (metric < bestMetric) {
                    best = row;
                    bestMetric = metric;
                }
            }
        } finally {
            ip.FreeMibTable(table.getValue());
        }
        if (best == null) {
            return Optional.empty();
        }
        Route route = WindowsDeviceBase.route(best);
        if (route == null) {
            return Optional.empty();
        }
        IpInterface ipi = IpInterface.ofLuid(ip, best.InterfaceLuid);
        return Optional.of(new SystemRoute(route, ipi.alias(), ipi.index()));
    }

    /** The interface's own metric for the family, or an unsigned maximum if the interface has none. */
    private long interfaceMetric(long luid, short family) {
        MibIpInterfaceRow row = new MibIpInterfaceRow();
        row.Family = family;
        row.InterfaceLuid = luid;
        return ip.GetIpInterfaceEntry(row) == 0 ? Integer.toUnsignedLong(row.Metric) : 0xffffffffL;
    }

    private MibIpForwardRow2 row(SystemRoute route) {
        MibIpForwardRow2 row = new MibIpForwardRow2();
        ip.InitializeIpForwardEntry(row);
        row.InterfaceIndex = route.interfaceIndex();
        row.DestinationPrefix.Prefix.set(route.destination().address());
        row.DestinationPrefix.PrefixLength = (byte) route.destination().prefixLength();
        Optional<InetAddress> gateway = route.gateway();
        if (gateway.isPresent()) {
            row.NextHop.set(gateway.get());
        } else {
            row.NextHop.si_family = row.DestinationPrefix.Prefix.si_family; // unspecified address: on-link
        }
        row.Metric = route.metric().orElse(0);
        row.Protocol = MibIpForwardRow2.MIB_IPPROTO_NETMGMT;
        return row;
    }

    @Override
    public synchronized void add(SystemRoute route) throws TunTapException {
        String call = "CreateIpForwardEntry2(" + route + ")";
        int error = ip.CreateIpForwardEntry2(row(route));
        if (error == WinErrors.ERROR_OBJECT_ALREADY_EXISTS) {
            throw WinErrors.of(call, error, "the route exists already; it is left as it is");
        } else if (error == WinErrors.ERROR_NOT_FOUND) {
            throw WinErrors.of(call, error, "there is no interface #" + route.interfaceIndex() + " ("
                    + route.interfaceName() + ") any more; read the default route again");
        } else if (error != 0) {
            throw WinErrors.ofCommon(call, error, "cannot add the route");
        }
    }

    @Override
    public synchronized void remove(SystemRoute route) throws TunTapException {
        String call = "DeleteIpForwardEntry2(" + route + ")";
        int error = ip.DeleteIpForwardEntry2(row(route));
        if (error == WinErrors.ERROR_NOT_FOUND) {
            throw WinErrors.of(call, error, "there is no such route; it was removed already");
        } else if (error != 0) {
            throw WinErrors.ofCommon(call, error, "cannot remove the route");
        }
    }

    /** Holds no handle. */
    @Override
    public void close() {
    }
}
