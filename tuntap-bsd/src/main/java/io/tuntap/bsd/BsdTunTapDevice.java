// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.Ifaddrs;
import io.tuntap.bsd.jna.Ifaliasreq;
import io.tuntap.bsd.jna.Ifreq;
import io.tuntap.bsd.jna.In6Aliasreq;
import io.tuntap.bsd.jna.RtMsghdr;
import io.tuntap.bsd.jna.Sockaddrs;
import io.tuntap.spi.AbstractTunTapDevice;
import io.tuntap.spi.ConfigChecks;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A BSD or macOS device: its packet queue ({@link BsdQueue}) plus configuration through ioctls on an
 * {@code AF_INET} (and, for IPv6 addresses, an {@code AF_INET6}) datagram socket. Configuration methods are
 * synchronized; the packet methods follow {@link io.tuntap.PacketChannel}'s one-reader-one-writer rule.
 *
 * <p>Longer than 400 lines for now: MTU, flags, addresses, persistence and routes each take a few ioctls or a
 * routing-socket message on the same sockets, and differ per BSD through {@link BsdAbi}. Routes
 * ({@code routes}, {@code addRoute}, {@code removeRoute} and the routing-socket messages) are the seam to cut
 * first if the file grows: they need only the context, the interface name, index and capabilities.
 */
abstract class BsdTunTapDevice extends AbstractTunTapDevice implements BsdDevice {
    private final BsdContext ctx;
    private final BsdSystem system;
    private final BsdSystem.Opened opened;
    private final DeviceQueue queue;
    private final int inetSocket;
    private int inet6Socket = -1;
    private BsdSystem.Ending ending;
    private int routeSeq;

    BsdTunTapDevice(DeviceMode mode, BsdContext ctx, BsdSystem system, BsdSystem.Opened opened, DeviceQueue queue,
            int index, int inetSocket, Set<Capability> capabilities) {
        super(mode, opened.name(), index, deviceCapabilities(capabilities, opened));
        this.ctx = ctx;
        this.system = system;
        this.opened = opened;
        this.queue = queue;
        this.inetSocket = inetSocket;
        this.ending = opened.ending();
        attachQueues(List.of(queue));
    }

    /**
     * The provider's capabilities, less peers on an interface in broadcast mode: FreeBSD and NetBSD switch a
     * new tun to broadcast mode when the configuration has no peer, so that a prefix is on-link as on Linux;
     * a peer then has no meaning (the kernel would take it as the broadcast address).
     */
    private static Set<Capability> deviceCapabilities(Set<Capability> capabilities, BsdSystem.Opened opened) {
        if (opened.pointToPoint() || !capabilities.contains(Capability.PEER_ADDRESSES)) {
            return capabilities;
        }
        Set<Capability> c = java.util.EnumSet.copyOf(capabilities);
        c.remove(Capability.PEER_ADDRESSES);
        return c;
    }

    /**
     * Opens a device as configured: the unit, its queue, then MTU, MAC, link state and addresses. On failure
     * nothing is left: the fd is closed and an interface this call created is destroyed.
     */
    static BsdTunTapDevice open(BsdContext ctx, BsdSystem system, String provider, DeviceConfig config)
            throws TunTapException {
        Set<Capability> caps = system.capabilities(config.mode());
        if (caps.isEmpty()) {
            throw new UnsupportedFeatureException("open", 0, system.whyNot(config.mode()));
        }
        ConfigChecks.check(config, provider, caps, Set.of());
        for (DeviceAddress a : config.addresses()) {
            checkPeer(a);
        }
        if (config.mtu().isPresent()) {
            checkMtu(system.abi, config.mtu().getAsInt());
        }
        BsdSystem.Opened opened = system.open(ctx, config);
        DeviceQueue queue = null;
        int socket = -1;
        BsdTunTapDevice device = null;
        try {
            queue = system.queue(ctx, opened, config.mode());
            socket = ctx.socket(BsdAbi.AF_INET, "configures " + opened.name());
            int index = ctx.index(opened.name());
            if (index == 0) {
                throw new DeviceNotFoundException("if_nametoindex", BsdErrno.ENXIO, "interface " + opened.name()
                        + " vanished right after it was opened: another program destroyed it");
            }
            device = config.mode() == DeviceMode.TUN
                    ? new BsdTunDevice(ctx, system, opened, queue, index, socket, caps)
                    : new BsdTapDevice(ctx, system, opened, queue, index, socket, caps);
            queue = null; // owned by the device now
            device.configure(config);
            return device;
        } catch (TunTapException | RuntimeException e) {
            // Undo: close the fd (and with it what the kernel destroys itself), then destroy what this call
            // created and the kernel would keep.
            boolean destroy = opened.created() && opened.ending() != BsdSystem.Ending.KERNEL_DESTROYS;
            if (device != null) {
                device.ending = destroy ? BsdSystem.Ending.BACKEND_DESTROYS : BsdSystem.Ending.PERSISTS;
                device.close();
            } else {
                if (queue != null) {
                    queue.close();
                } else {
                    ctx.libc.close(opened.fd());
                }
                if (socket >= 0) {
                    ctx.libc.close(socket);
                }
                if (destroy) {
                    ctx.destroy(opened.name());
                    if (opened.peer() != null) {
                        ctx.destroy(opened.peer());
                    }
                }
            }
            throw e;
        }
    }

    /**
     * The tun, tap and utun interfaces that exist: every interface whose name is one of those drivers' unit
     * names, whoever made it (leftovers of a crash included).
     */
    static List<DeviceInfo> list(BsdContext ctx, String provider) throws TunTapException {
        List<DeviceInfo> out = new ArrayList<>();
        for (Ifaddrs.Entry e : entries(ctx, null)) {
            if (e.linkAddress() == null) {
                continue; // one AF_LINK entry per interface
            }
            DeviceMode mode = UnitNames.unit("tap", e.name()) >= 0 ? DeviceMode.TAP
                    : UnitNames.unit("tun", e.name()) >= 0 || UnitNames.unit("utun", e.name()) >= 0 ? DeviceMode.TUN
                    : null;
            int index = mode == null ? 0 : ctx.index(e.name());
            if (index != 0) {
                out.add(new DeviceInfo(e.name(), index, mode, provider));
            }
        }
        return out;
    }

    private void configure(DeviceConfig config) throws TunTapException {
        if (config.mtu().isPresent()) {
            setMtu(config.mtu().getAsInt());
        }
        if (config.macAddress().isPresent() && this instanceof BsdTapDevice tap) {
            tap.setMacAddress(config.macAddress().get());
        }
        if (config.up()) {
            setUp(true);
        }
        for (DeviceAddress address : config.addresses()) {
            addAddress(address);
        }
    }

    /** KAME: an IPv6 address with a destination must be a /128. */
    private static void checkPeer(DeviceAddress a) throws InvalidConfigurationException {
        if (a.peer().isPresent() && !a.isIpv4() && a.local().prefixLength() != 128) {
            throw new InvalidConfigurationException("addAddress", 0, a + ": on the BSDs and macOS an IPv6 address "
                    + "with a peer must be a /128 (the kernel refuses other prefix lengths with a destination)");
        }
    }

    // ---- identity ---------------------------------------------------------------------------------

    @Override
    public String driver() {
        return opened.driver();
    }

    @Override
    public int fileDescriptor() throws DeviceClosedException {
        ensureOpen("fileDescriptor");
        return opened.fd();
    }

    // ---- configuration --------------------------------------------------------------------------

    static void checkMtu(BsdAbi abi, int mtu) throws InvalidConfigurationException {
        int min = Math.max(DeviceConfig.MIN_MTU, abi.minMtu);
        int max = Math.min(DeviceConfig.MAX_MTU, abi.maxMtu);
        if (mtu < min || mtu > max) {
            throw new InvalidConfigurationException("setMtu", 0, "MTU " + mtu + " is out of range: the " + abi
                    + " driver takes " + min + " to " + max);
        }
    }

    @Override
    public synchronized int mtu() throws TunTapException {
        ensureOpen("mtu");
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            Ifreq.clear(r.view, ctx.abi, name());
            ifIoctl(inetSocket, ctx.abi.siocgifmtu, r, "SIOCGIFMTU", "cannot read the MTU");
            return Ifreq.getInt(r.view);
        }
    }

    @Override
    public synchronized void setMtu(int mtu) throws TunTapException {
        ensureOpen("setMtu");
        checkMtu(ctx.abi, mtu);
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            Ifreq.putInt(r.view, ctx.abi, name(), mtu);
            ifIoctl(inetSocket, ctx.abi.siocsifmtu, r, "SIOCSIFMTU", "cannot set the MTU to " + mtu);
            if (opened.peer() != null) {
                // The far end of a feth pair carries the frames: BPF takes writes up to its MTU + 18.
                Ifreq.putInt(r.view, ctx.abi, opened.peer(), mtu);
                ifIoctl(inetSocket, ctx.abi.siocsifmtu, r, "SIOCSIFMTU", "cannot set the MTU of " + opened.peer()
                        + ", the far end of " + name() + ", to " + mtu);
            }
        }
        queue.mtuChanged(mtu);
    }

    /** The interface flags (SIOCGIFFLAGS). */
    synchronized int flags() throws TunTapException {
        ensureOpen("flags");
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            Ifreq.clear(r.view, ctx.abi, name());
            ifIoctl(inetSocket, ctx.abi.siocgifflags, r, "SIOCGIFFLAGS", "cannot read the interface flags");
            return Ifreq.getFlags(r.view, ctx.abi);
        }
    }

    @Override
    public boolean isUp() throws TunTapException {
        return (flags() & BsdAbi.IFF_UP) != 0;
    }

    @Override
    public synchronized void setUp(boolean up) throws TunTapException {
        int flags = flags();
        int wanted = up ? flags | BsdAbi.IFF_UP : flags & ~BsdAbi.IFF_UP;
        if (wanted != flags) {
            try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
                Ifreq.putFlags(r.view, ctx.abi, name(), wanted);
                ifIoctl(inetSocket, ctx.abi.siocsifflags, r, "SIOCSIFFLAGS", "cannot bring the link "
                        + (up ? "up" : "down"));
            }
        }
        // Several kernels drop writes to a down interface silently: the queue refuses them instead.
        queue.setLinkDown(!up);
    }

    @Override
    public synchronized List<DeviceAddress> addresses() throws TunTapException {
        ensureOpen("addresses");
        List<DeviceAddress> out = new ArrayList<>();
        for (Ifaddrs.Entry e : interfaceEntries()) {
            if (e.address() == null) {
                continue;
            }
            IpPrefix local = new IpPrefix(e.address(), e.prefix());
            // On a point-to-point interface the destination is the peer, unless it is the local address
            // itself (which this backend uses for an address without peer).
            boolean peer = (e.flags() & BsdAbi.IFF_POINTOPOINT) != 0 && e.destination() != null
                    && !e.destination().equals(e.address())
                    && e.destination().getClass() == e.address().getClass();
            out.add(peer ? DeviceAddress.pointToPoint(local, e.destination()) : DeviceAddress.of(local));
        }
        return out;
    }

    /** This interface's getifaddrs entries. */
    final List<Ifaddrs.Entry> interfaceEntries() throws TunTapException {
        return entries(ctx, name());
    }

    /** getifaddrs entries of {@code name} (all if null). */
    static List<Ifaddrs.Entry> entries(BsdContext ctx, String name) throws TunTapException {
        try (Memory head = new Memory(8)) {
            head.setLong(0, 0);
            if (ctx.bsd.getifaddrs(Pointer.nativeValue(head)) < 0) {
                throw BsdErrors.ofCommon("getifaddrs", ctx.libc.errno(), "cannot list the interface addresses");
            }
            long list = head.getLong(0);
            try {
                return Ifaddrs.read(list, ctx.abi, name);
            } finally {
                ctx.bsd.freeifaddrs(list);
            }
        }
    }

    @Override
    public synchronized void addAddress(DeviceAddress deviceAddress) throws TunTapException {
        ensureOpen("addAddress");
        IpPrefix address = deviceAddress.local();
        require(address.isIpv4() ? Capability.IPV4_ADDRESSES : Capability.IPV6_ADDRESSES, "addAddress");
        if (deviceAddress.peer().isPresent()) {
            require(Capability.PEER_ADDRESSES, "addAddress");
            checkPeer(deviceAddress);
        }
        for (DeviceAddress existingAddress : addresses()) {
            IpPrefix existing = existingAddress.local();
            if (existing.address().equals(address.address())) {
                // SIOCAIFADDR would silently replace it: report it as Linux does.
                throw new DeviceBusyException("addAddress", BsdErrno.EEXIST, name() + " already has "
                        + existing + "; remove it first to change its prefix");
            }
        }
        if (address.isIpv4()) {
            Inet4Address local = (Inet4Address) address.address();
            // On a point-to-point interface the destination is required (FreeBSD: EDESTADDRREQ). Without a
            // peer, the local address stands in, as OpenVPN's subnet form does on OpenBSD and macOS.
            Inet4Address destination = deviceAddress.peer().map(Inet4Address.class::cast)
                    .orElse(opened.pointToPoint() ? local : null);
            try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifaliasreqSize)) {
                Ifaliasreq.put(r.view, ctx.abi, name(), local, destination, address.prefixLength());
                ifIoctl(inetSocket, ctx.abi.siocaifaddr, r, "SIOCAIFADDR", "cannot add " + address);
            }
            if (opened.pointToPoint() && deviceAddress.peer().isEmpty()) {
                prefixRoute(RtMsghdr.RTM_ADD, address);
            }
        } else {
            int flags = ctx.abi.hasNoDad ? BsdAbi.IN6_IFF_NODAD : 0;
            try (BsdContext.Request r = new BsdContext.Request(ctx.abi.in6AliasreqSize)) {
                In6Aliasreq.put(r.view, ctx.abi, name(), (Inet6Address) address.address(),
                        deviceAddress.peer().map(Inet6Address.class::cast).orElse(null), address.prefixLength(), flags);
                ifIoctl(inet6Socket(), ctx.abi.siocaifaddrIn6, r, "SIOCAIFADDR_IN6", "cannot add " + address);
            }
            if (opened.pointToPoint() && deviceAddress.peer().isEmpty()) {
                prefixRoute(RtMsghdr.RTM_ADD, address);
            }
        }
    }

    /**
     * Adds or deletes the on-link route of an address without peer on a point-to-point interface: there the
     * kernel routes only the destination (here the local address itself), so without this route the rest of
     * the prefix would not go through the device as it does on Linux. An {@code RTM_ADD}/{@code RTM_DELETE}
     * on a routing socket, with the interface's own address as "gateway" (route(8) {@code -interface}). A
     * host prefix needs none; a route that exists already (EEXIST) or is gone (ESRCH) is fine.
     */
    private void prefixRoute(int type, IpPrefix address) throws TunTapException {
        if (address.prefixLength() == (address.isIpv4() ? 32 : 128)) {
            return;
        }
        int s = ctx.libc.socket(BsdAbi.AF_ROUTE, BsdAbi.SOCK_RAW, 0);
        if (s < 0) {
            throw BsdErrors.ofCommon("socket(PF_ROUTE)", ctx.libc.errno(), "cannot open a routing socket to "
                    + "route " + address.network() + " through " + name());
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
                            + address.network() + " through " + name() + ", a point-to-point interface; give the "
                            + "address a peer, or add the route yourself");
                }
            }
        } finally {
            ctx.libc.close(s);
        }
    }

    @Override
    public synchronized void removeAddress(IpPrefix address) throws TunTapException {
        ensureOpen("removeAddress");
        boolean present = false;
        boolean peered = false;
        for (DeviceAddress existing : addresses()) {
            if (existing.local().equals(address)) {
                present = true;
                peered = existing.peer().isPresent();
            }
        }
        if (!present) {
            throw new DeviceNotFoundException("removeAddress", BsdErrno.EADDRNOTAVAIL, name() + " does not have "
                    + address.addressText());
        }
        if (opened.pointToPoint() && !peered) {
            prefixRoute(RtMsghdr.RTM_DELETE, address);
        }
        if (address.isIpv4()) {
            try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
                Ifreq.clear(r.view, ctx.abi, name());
                Sockaddrs.putIn(r.view, Ifreq.UNION, (Inet4Address) address.address());
                ifIoctl(inetSocket, ctx.abi.siocdifaddr, r, "SIOCDIFADDR", "cannot remove " + address);
            }
        } else {
            try (BsdContext.Request r = new BsdContext.Request(BsdAbi.IN6_IFREQ_SIZE)) {
                In6Aliasreq.putIfreq(r.view, ctx.abi, name(), (Inet6Address) address.address());
                ifIoctl(inet6Socket(), BsdAbi.SIOCDIFADDR_IN6, r, "SIOCDIFADDR_IN6", "cannot remove " + address);
            }
        }
    }

    @Override
    public synchronized boolean isPersistent() throws TunTapException {
        ensureOpen("isPersistent");
        return ending == BsdSystem.Ending.PERSISTS;
    }

    @Override
    public synchronized void setPersistent(boolean persistent) throws TunTapException {
        ensureOpen("setPersistent");
        require(Capability.PERSISTENT, "setPersistent");
        ending = system.changePersistence(ctx, opened, ending, persistent);
    }

    private int inet6Socket() throws TunTapException {
        if (inet6Socket < 0) {
            inet6Socket = ctx.socket(ctx.abi.afInet6, "configures IPv6 on " + name());
        }
        return inet6Socket;
    }

    /** An ioctl carrying the request buffer on a configuration socket; explains the failure. */
    final void ifIoctl(int socket, long request, BsdContext.Request r, String call, String what)
            throws TunTapException {
        if (ctx.libc.ioctl(socket, request, r.address) >= 0) {
            return;
        }
        int errno = ctx.libc.errno();
        String fn = "ioctl(" + call + ") on " + name();
        String explanation = switch (errno) {
            case BsdErrno.EDESTADDRREQ -> what + ": " + name() + " is point-to-point, and an IPv4 address there "
                    + "needs the peer's address";
            case BsdErrno.EINVAL -> what + ": the kernel rejected the value";
            case BsdErrno.ENXIO, BsdErrno.ENODEV -> what + ": " + name() + " no longer exists";
            default -> BsdErrors.common(errno) != null ? what + ": " + BsdErrors.common(errno) : what;
        };
        throw BsdErrors.of(fn, errno, explanation);
    }

    final BsdContext context() {
        return ctx;
    }

    final int inetSocket() {
        return inetSocket;
    }

    // ---- closing --------------------------------------------------------------------------------

    /** After the queue (and with it the device fd) has closed: destroy the interface if due, close sockets. */
    @Override
    protected void closeDevice() {
        BsdSystem.Ending end;
        synchronized (this) {
            end = ending;
        }
        if (end == BsdSystem.Ending.BACKEND_DESTROYS) {
            // After the fd is closed (FreeBSD: SIOCIFDESTROY waits for open fds otherwise), and only while the
            // name still belongs to this interface: another program may have renamed or replaced it.
            if (ctx.index(name()) == index()) {
                try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
                    Ifreq.clear(r.view, ctx.abi, name());
                    ctx.libc.ioctl(inetSocket, ctx.abi.siocifdestroy, r.address);
                    if (opened.peer() != null) {
                        Ifreq.clear(r.view, ctx.abi, opened.peer());
                        ctx.libc.ioctl(inetSocket, ctx.abi.siocifdestroy, r.address);
                    }
                }
            }
        }
        ctx.libc.close(inetSocket);
        synchronized (this) {
            if (inet6Socket >= 0) {
                ctx.libc.close(inet6Socket);
            }
        }
    }

    // ---- routes ---------------------------------------------------------------------------------

    /**
     * The routes through this interface, from a {@code sysctl} route dump ({@code NET_RT_DUMP}) filtered by
     * the interface index. A route without {@code RTF_GATEWAY} is on-link; OpenBSD's priority is the metric,
     * its default ({@code RTP_STATIC}, 8) shown as 0.
     */
    @Override
    public List<io.tuntap.Route> routes() throws TunTapException {
        ensureOpen("routes");
        List<io.tuntap.Route> out = new ArrayList<>();
        for (int family : new int[] {BsdAbi.AF_INET, ctx.abi.afInet6}) {
            for (RtMsghdr.Dumped d : dump(ctx, family, "list the routes through " + name())) {
                if (d.index() != index() || d.destination().isLinkLocalAddress()
                        || d.destination().isMulticastAddress()) {
                    continue;
                }
                IpPrefix destination = new IpPrefix(d.destination(), d.prefix()).network();
                boolean viaGateway = (d.flags() & RtMsghdr.RTF_GATEWAY) != 0 && d.gateway() != null
                        && d.gateway().getClass() == d.destination().getClass();
                io.tuntap.Route r = viaGateway ? io.tuntap.Route.via(destination, d.gateway())
                        : io.tuntap.Route.onLink(destination);
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
                    return RtMsghdr.readDump(buf.getByteBuffer(0, needed).order(java.nio.ByteOrder.nativeOrder()),
                            length, ctx.abi);
                }
            }
            throw BsdErrors.of("sysctl(NET_RT_DUMP)", BsdErrno.ENOMEM, "the routing table kept growing while "
                    + "it was read; try again");
        }
    }

    @Override
    public synchronized void addRoute(io.tuntap.Route route) throws TunTapException {
        ensureOpen("addRoute");
        require(Capability.ROUTES, "addRoute");
        int priority = checkRoute(route, "addRoute");
        routeMessage(ctx, RtMsghdr.RTM_ADD, route, priority, index(), name(), ++routeSeq);
    }

    @Override
    public synchronized void removeRoute(io.tuntap.Route route) throws TunTapException {
        ensureOpen("removeRoute");
        require(Capability.ROUTES, "removeRoute");
        int priority = checkRoute(route, "removeRoute");
        routeMessage(ctx, RtMsghdr.RTM_DELETE, route, priority, index(), name(), ++routeSeq);
    }

    /** The route's family must be served; a metric needs ROUTE_METRICS (OpenBSD: a priority of 1 to 62). */
    private int checkRoute(io.tuntap.Route route, String call) throws TunTapException {
        require(route.isIpv4() ? Capability.IPV4_ADDRESSES : Capability.IPV6_ADDRESSES, call);
        if (route.metric().isEmpty()) {
            return 0;
        }
        int metric = route.metric().getAsInt();
        if (!capabilities().contains(Capability.ROUTE_METRICS)) {
            throw new UnsupportedFeatureException(call, 0, route + ": " + ctx.abi + " has no route metrics "
                    + "(Capability.ROUTE_METRICS is absent); add the route without a metric");
        }
        if (metric >= 63) {
            throw new InvalidConfigurationException(call, 0, route + ": OpenBSD route priorities go from 1 to 62");
        }
        return metric;
    }

    /** Adds or deletes a route through interface {@code index} ({@code name}) with one routing-socket message. */
    static void routeMessage(BsdContext ctx, int type, io.tuntap.Route route, int priority, int index, String name,
            int seq) throws TunTapException {
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
                    throw new DeviceBusyException("addRoute", errno, call + " failed with EEXIST: a route to "
                            + route.destination() + " exists already; remove it first");
                }
                if (!add && errno == BsdErrno.ESRCH) {
                    throw new DeviceNotFoundException("removeRoute", errno, call + " failed with ESRCH: there is "
                            + "no such route");
                }
                throw BsdErrors.ofCommon(call, errno, "the kernel refused the route (is the gateway reachable "
                        + "through " + name + "?)");
            }
        } finally {
            ctx.libc.close(s);
        }
    }

    /** The system's routing table, through this device's context. */
    @Override
    protected io.tuntap.spi.SystemRouteTable systemRouteTable() {
        return new BsdRouteTable(ctx);
    }

    // ---- events ---------------------------------------------------------------------------------

    @Override
    protected io.tuntap.spi.EventDispatcher.Source eventSource() {
        return new BsdEvents(ctx, name(), index(), opened.pointToPoint(), new BsdEvents.State() {
            @Override
            public boolean up() throws TunTapException {
                return isUp();
            }

            @Override
            public int mtu() throws TunTapException {
                return BsdTunTapDevice.this.mtu();
            }
        });
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + ", #" + index() + ", " + ctx.abi + " " + driver() + "]";
    }
}
