// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.SystemRoute;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.SystemRouteTable;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.Mib2;
import io.tuntap.solaris.jna.RouteMessages;
import io.tuntap.solaris.jna.Sys;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The system's routing table on illumos. The default route is read from IP's MIB interface, as
 * {@link SolarisRouteTable} reads a device's routes (illumos has no dump on the routing socket): the entries whose
 * {@code re_ire_type} has {@code IRE_DEFAULT} (illumos-gate usr/src/uts/common/inet/ip.h). A route through another
 * interface is added and removed with one {@code RTM_ADD} or {@code RTM_DELETE} on a routing socket, laid out as
 * the device's own routes are ({@link SolarisRoutes#build}), its {@code RTA_IFP} sockaddr_dl naming the gateway's
 * interface: illumos-gate usr/src/uts/common/inet/ip/ip_rts.c, {@code ip_rts_request}, hands the interface that
 * {@code rts_getaddrs} found in RTA_IFP to {@code ip_rt_add} and {@code ip_rt_delete}.
 *
 * <p>illumos routes have no metric. With several default routes IP takes turns among them
 * ({@code ire_round_robin}, usr/src/uts/common/inet/ip/ip_ftable.c): none is preferred, and the first in the
 * kernel's table is the one reported.
 */
final class SolarisSystemRouteTable implements SystemRouteTable {
    private static final int BUFFER = 2048;

    private final SunOs os;
    private final int pid = (int) ProcessHandle.current().pid();
    private int seq;

    SolarisSystemRouteTable(SunOs os) {
        this.os = os;
    }

    /** One route of the MIB table, as far as the default route needs it. */
    record Entry(InetAddress destination, int prefix, InetAddress gateway, int ireType, String ifName) {
        boolean covers(InetAddress a) {
            byte[] x = a.getAddress();
            byte[] d = destination.getAddress();
            if (x.length != d.length) {
                return false;
            }
            for (int i = 0; i < prefix; i++) {
                int bit = 0x80 >>> (i % 8);
                if ((x[i / 8] & bit) != (d[i / 8] & bit)) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public synchronized Optional<SystemRoute> defaultRoute(StandardProtocolFamily family) throws TunTapException {
        boolean v6 = family == StandardProtocolFamily.INET6;
        List<Entry> entries = new ArrayList<>();
        SolarisRouteTable.walk(os, (tableV6, b, length, entrySize) -> {
            if (tableV6 == v6) {
                entries(b, length, entrySize, v6, entries);
            }
        });
        return choose(entries, os.libc()::if_nametoindex);
    }

    /** Finds an interface's index by name (if_nametoindex); 0 if there is none. */
    interface Indexes {
        int indexOf(String name);
    }

    /**
     * The default route among the entries of one family: the first IRE_DEFAULT entry whose interface is known. An
     * entry that names no interface ({@code o_length} 0: "not all IREs have the interface name", illumos-gate
     * usr/src/cmd/cmd-inet/usr.lib/ncaconfd/ncaconfd.c) leaves through the interface whose IRE_INTERFACE prefix
     * holds the gateway, as ncaconfd finds it. A logical interface ({@code net0:1}) is reported as its physical
     * one, which the routing socket names.
     */
    static Optional<SystemRoute> choose(List<Entry> entries, Indexes indexes) {
        for (Entry e : entries) {
            if ((e.ireType() & Mib2.IRE_DEFAULT) == 0 || e.prefix() != 0 || e.gateway().isAnyLocalAddress()) {
                continue;
            }
            String name = e.ifName();
            if (name.isEmpty()) {
                name = entries.stream().filter(i -> (i.ireType() & Mib2.IRE_INTERFACE) != 0 && !i.ifName().isEmpty()
                        && i.covers(e.gateway())).map(Entry::ifName).findFirst().orElse("");
            }
            int colon = name.indexOf(':');
            String physical = colon < 0 ? name : name.substring(0, colon);
            int index = physical.isEmpty() ? 0 : indexes.indexOf(physical);
            if (index <= 0) {
                continue; // its interface went away between the two questions
            }
            Route route = Route.via(new IpPrefix(e.destination(), 0), e.gateway());
            return Optional.of(new SystemRoute(route, physical, index));
        }
        return Optional.empty();
    }

    /** The entries of a table of mib2_ipRouteEntry_t or mib2_ipv6RouteEntry_t. */
    static void entries(ByteBuffer b, int length, int entrySize, boolean v6, List<Entry> out) {
        int typeAt = v6 ? Mib2.IPV6_IRE_TYPE : Mib2.IPV4_IRE_TYPE;
        if (entrySize < typeAt + 4) {
            return;
        }
        for (int at = 0; at + entrySize <= length; at += entrySize) {
            int prefix = v6 ? b.getInt(at + Mib2.IPV6_PREFIX_LENGTH) : Integer.bitCount(b.getInt(at + Mib2.IPV4_MASK));
            if (prefix < 0 || prefix > (v6 ? 128 : 32)) {
                continue;
            }
            out.add(new Entry(SolarisRouteTable.address(b, at + (v6 ? Mib2.IPV6_DEST : Mib2.IPV4_DEST), v6 ? 16 : 4),
                    prefix, SolarisRouteTable.address(b, at + (v6 ? Mib2.IPV6_NEXT_HOP : Mib2.IPV4_NEXT_HOP),
                            v6 ? 16 : 4), b.getInt(at + typeAt),
                    SolarisRouteTable.deviceName(b, at + (v6 ? Mib2.IPV6_IF : Mib2.IPV4_IF))));
        }
    }

    @Override
    public synchronized void add(SystemRoute route) throws TunTapException {
        send(RouteMessages.RTM_ADD, route, "addBypassRoute", "a route to " + route.destination() + " exists "
                + "already; it is left as it is: remove it first (route delete), or leave it out");
    }

    @Override
    public synchronized void remove(SystemRoute route) throws TunTapException {
        send(RouteMessages.RTM_DELETE, route, "removeBypassRoute", "there is no such route through "
                + route.interfaceName() + "; it was removed already");
    }

    private void send(int type, SystemRoute route, String call, String meaning) throws TunTapException {
        if (route.metric().isPresent()) {
            throw ErrorMessages.unsupported(call, route.interfaceName(), Capability.ROUTE_METRICS, "illumos routes "
                    + "have no metric; give the route without one");
        }
        if (route.gateway().isEmpty()) {
            throw new io.tuntap.InvalidConfigurationException(call, 0, ErrorMessages.failed(call + "(" + route + ")",
                    "a route around the tunnel on illumos goes through a gateway; take it from "
                    + "TunTap.defaultRoute(...).to(host)"));
        }
        String what = "write(AF_ROUTE, " + (type == RouteMessages.RTM_ADD ? "RTM_ADD" : "RTM_DELETE") + " " + route
                + ")";
        int fd = os.libc().socket(Sys.AF_ROUTE, Sys.SOCK_RAW, 0);
        if (fd < 0) {
            throw SolarisErrors.ofCommon(call + ": socket(AF_ROUTE, SOCK_RAW)", os.libc().errno(), "cannot open a "
                    + "routing socket; routes need the sys_ip_config privilege");
        }
        try (Memory memory = new Memory(BUFFER)) {
            ByteBuffer m = memory.getByteBuffer(0, BUFFER).order(ByteOrder.nativeOrder());
            int length = SolarisRoutes.build(m, type, ++seq, pid, route.route(), route.gateway().get(),
                    route.interfaceIndex(), route.interfaceName());
            if (os.libc().write(fd, Pointer.nativeValue(memory), length) < 0) {
                int errno = os.libc().errno();
                throw SolarisErrors.ofCommon(what, errno, errno == Errno.EEXIST || errno == Errno.ESRCH ? meaning
                        : "the kernel refused the route; check that " + route.interfaceName() + " is plumbed for the "
                        + "family and that the gateway is on its link");
            }
        } finally {
            os.libc().close(fd);
        }
    }

    /** Holds no handle: each change opens and closes its routing socket, each read its MIB stream. */
    @Override
    public void close() {
    }
}
