// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.Lifreq;
import io.tuntap.solaris.jna.RouteMessages;
import io.tuntap.solaris.jna.Sys;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Routes through the interface over a routing socket ({@code socket(AF_ROUTE, SOCK_RAW, 0)}): {@code RTM_ADD} and
 * {@code RTM_DELETE} with {@code RTA_DST}, {@code RTA_GATEWAY}, {@code RTA_NETMASK} and {@code RTA_IFP} (a
 * {@code sockaddr_dl} naming the interface). A gateway route carries {@code RTF_GATEWAY}; an on-link route has the
 * interface's own address of the family as its gateway and no {@code RTF_GATEWAY}, as {@code route add -interface}
 * makes it. The kernel refuses a route that exists with EEXIST and a missing one with ESRCH.
 *
 * <p>Listing: illumos has no routing-table dump on the routing socket (no {@code NET_RT_DUMP}); the table is read
 * through IP's MIB interface ({@link SolarisRouteTable}), and the static routes through the interface are listed,
 * whoever added them.
 *
 * <p>illumos routes have no metric: a route with one is refused ({@link Capability#ROUTE_METRICS} is absent).
 */
final class SolarisRoutes {
    private static final int BUFFER = 2048;
    private static final int ADDRS = RouteMessages.RTA_DST | RouteMessages.RTA_GATEWAY | RouteMessages.RTA_NETMASK
            | RouteMessages.RTA_IFP;

    private final SunOs os;
    private final IfConfig config;
    private final String name;
    private final int pid = (int) ProcessHandle.current().pid();
    private int seq;

    SolarisRoutes(SunOs os, IfConfig config, String name) {
        this.os = os;
        this.config = config;
        this.name = name;
    }

    synchronized void add(Route route) throws TunTapException {
        checkMetric(route, "addRoute");
        send(RouteMessages.RTM_ADD, route, "addRoute", "another route to " + route.destination()
                + " exists; remove it first (route delete) or choose another destination");
    }

    synchronized void remove(Route route) throws TunTapException {
        checkMetric(route, "removeRoute");
        send(RouteMessages.RTM_DELETE, route, "removeRoute", "there is no such route through " + name
                + "; list the routes with routes()");
    }

    /** The static routes through the interface, from the kernel's routing table. */
    List<Route> list() throws TunTapException {
        return SolarisRouteTable.read(os, name);
    }

    private void checkMetric(Route route, String call) throws TunTapException {
        if (route.metric().isPresent()) {
            throw ErrorMessages.unsupported(call, name, Capability.ROUTE_METRICS, "illumos and Solaris routes have "
                    + "no metric; give the route without one (metric 0)");
        }
    }

    /**
     * Builds the request into {@code m} (native order, at least {@link #BUFFER} bytes).
     *
     * @return its length
     */
    static int build(ByteBuffer m, int type, int seq, int pid, Route route, InetAddress gateway, int ifIndex,
            String ifName) {
        IpPrefix dst = route.destination();
        boolean viaGateway = route.gateway().isPresent();
        for (int i = 0; i < BUFFER; i += 8) {
            m.putLong(i, 0L);
        }
        m.put(RouteMessages.VERSION, (byte) RouteMessages.RTM_VERSION).put(RouteMessages.TYPE, (byte) type);
        m.putShort(RouteMessages.RTM_INDEX, (short) ifIndex);
        m.putInt(RouteMessages.RTM_FLAGS, RouteMessages.RTF_UP | RouteMessages.RTF_STATIC
                | (viaGateway ? RouteMessages.RTF_GATEWAY : 0));
        m.putInt(RouteMessages.RTM_ADDRS, ADDRS);
        m.putInt(RouteMessages.RTM_PID, pid);
        m.putInt(RouteMessages.RTM_SEQ, seq);
        int at = RouteMessages.RT_MSGHDR_SIZE;
        int size = dst.isIpv4() ? Lifreq.SOCKADDR_IN_SIZE : Lifreq.SOCKADDR_IN6_SIZE;
        Lifreq.putSockaddr(m, at, dst.address());
        at += RouteMessages.roundUp(size);
        Lifreq.putSockaddr(m, at, gateway);
        at += RouteMessages.roundUp(size);
        Lifreq.putSockaddr(m, at, netmask(dst));
        at += RouteMessages.roundUp(size);
        byte[] n = ifName.getBytes(StandardCharsets.US_ASCII);
        m.putShort(at, (short) RouteMessages.AF_LINK);
        m.putShort(at + 2, (short) ifIndex);
        m.put(at + RouteMessages.SDL_NLEN, (byte) n.length);
        m.put(at + RouteMessages.SDL_DATA, n);
        at += RouteMessages.roundUp(RouteMessages.SOCKADDR_DL_SIZE);
        m.putShort(RouteMessages.MSGLEN, (short) at);
        return at;
    }

    static InetAddress netmask(IpPrefix p) {
        byte[] mask = new byte[p.isIpv4() ? 4 : 16];
        for (int i = 0; i < p.prefixLength(); i++) {
            mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        try {
            return InetAddress.getByAddress(mask);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The gateway a request names: the route's, or for an on-link route the interface's own address. */
    private InetAddress gateway(Route route, String call) throws TunTapException {
        if (route.gateway().isPresent()) {
            return route.gateway().get();
        }
        boolean v4 = route.isIpv4();
        for (DeviceAddress a : config.addresses()) {
            if (a.local().address() instanceof Inet4Address == v4) {
                return a.local().address();
            }
        }
        throw new TunTapException(call, 0, ErrorMessages.failed(call + "(" + route + ")", "an on-link route on "
                + name + " names the interface by its own address, and it has no IPv" + (v4 ? "4" : "6")
                + " address; add one first"));
    }

    private void send(int type, Route route, String call, String meaning) throws TunTapException {
        InetAddress gateway = gateway(route, call);
        int ifIndex = config.index();
        String what = "write(AF_ROUTE, " + (type == RouteMessages.RTM_ADD ? "RTM_ADD" : "RTM_DELETE") + " " + route
                + ")";
        int fd = open(call);
        try (Memory memory = new Memory(BUFFER)) {
            ByteBuffer m = memory.getByteBuffer(0, BUFFER).order(ByteOrder.nativeOrder());
            int length = build(m, type, ++seq, pid, route, gateway, ifIndex, name);
            long n = os.libc().write(fd, Pointer.nativeValue(memory), length);
            if (n < 0) {
                int errno = os.libc().errno();
                throw SolarisErrors.ofCommon(what, errno, errno == Errno.EEXIST || errno == Errno.ESRCH ? meaning
                        : "the kernel refused the route; check the destination and that the gateway is reachable "
                        + "through " + name);
            }
        } finally {
            os.libc().close(fd);
        }
    }

    private int open(String call) throws TunTapException {
        int fd = os.libc().socket(Sys.AF_ROUTE, Sys.SOCK_RAW, 0);
        if (fd < 0) {
            throw SolarisErrors.ofCommon(call + ": socket(AF_ROUTE, SOCK_RAW)", os.libc().errno(), "cannot open a "
                    + "routing socket; routes need the sys_ip_config privilege");
        }
        return fd;
    }
}
