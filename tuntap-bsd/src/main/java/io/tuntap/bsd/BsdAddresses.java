// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.Ifaddrs;
import io.tuntap.bsd.jna.Ifaliasreq;
import io.tuntap.bsd.jna.Ifreq;
import io.tuntap.bsd.jna.In6Aliasreq;
import io.tuntap.bsd.jna.RtMsghdr;
import io.tuntap.bsd.jna.Sockaddrs;
import io.tuntap.spi.ErrorMessages;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 and IPv6 addresses of one BSD or macOS interface: read with {@code getifaddrs}, added with
 * {@code SIOCAIFADDR}/{@code SIOCAIFADDR_IN6} and removed with {@code SIOCDIFADDR}/{@code SIOCDIFADDR_IN6} on a
 * datagram socket of the family. How the BSDs differ from Linux: on a point-to-point interface an IPv4 address
 * needs a destination (the local address stands in when there is no peer, and the prefix is routed by
 * {@link BsdRoutes#prefixRoute}); an IPv6 address with a peer must be a /128 (KAME); and {@code SIOCAIFADDR}
 * replaces an address silently, so a second one of the same address is refused here. The device checks the
 * capabilities and holds its lock around every call.
 */
final class BsdAddresses {
    private final BsdContext ctx;
    private final String name;
    private final boolean pointToPoint;
    private final int inetSocket;
    private final BsdRoutes routes;
    private int inet6Socket = -1;

    BsdAddresses(BsdContext ctx, String name, boolean pointToPoint, int inetSocket, BsdRoutes routes) {
        this.ctx = ctx;
        this.name = name;
        this.pointToPoint = pointToPoint;
        this.inetSocket = inetSocket;
        this.routes = routes;
    }

    /** The addresses, with their peers on a point-to-point interface. */
    List<DeviceAddress> list() throws TunTapException {
        List<DeviceAddress> out = new ArrayList<>();
        for (Ifaddrs.Entry e : entries(ctx, name)) {
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

    /** Adds {@code deviceAddress}; refuses one whose address the interface has already. */
    void add(DeviceAddress deviceAddress) throws TunTapException {
        IpPrefix address = deviceAddress.local();
        for (DeviceAddress existingAddress : list()) {
            IpPrefix existing = existingAddress.local();
            if (existing.address().equals(address.address())) {
                // SIOCAIFADDR would silently replace it: report it as Linux does.
                throw new DeviceBusyException("addAddress", 0, ErrorMessages.failed("addAddress(" + address
                        + ") on " + name, name + " already has " + existing + "; remove it first to change its "
                        + "prefix"));
            }
        }
        if (address.isIpv4()) {
            Inet4Address local = (Inet4Address) address.address();
            // On a point-to-point interface the destination is required (FreeBSD: EDESTADDRREQ). Without a
            // peer, the local address stands in, as OpenVPN's subnet form does on OpenBSD and macOS.
            Inet4Address destination = deviceAddress.peer().map(Inet4Address.class::cast)
                    .orElse(pointToPoint ? local : null);
            try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifaliasreqSize)) {
                Ifaliasreq.put(r.view, ctx.abi, name, local, destination, address.prefixLength());
                ctx.ifIoctl(inetSocket, ctx.abi.siocaifaddr, r, "SIOCAIFADDR", "cannot add " + address, name);
            }
            if (pointToPoint && deviceAddress.peer().isEmpty()) {
                routes.prefixRoute(RtMsghdr.RTM_ADD, address);
            }
        } else {
            int flags = ctx.abi.hasNoDad ? BsdAbi.IN6_IFF_NODAD : 0;
            try (BsdContext.Request r = new BsdContext.Request(ctx.abi.in6AliasreqSize)) {
                In6Aliasreq.put(r.view, ctx.abi, name, (Inet6Address) address.address(),
                        deviceAddress.peer().map(Inet6Address.class::cast).orElse(null), address.prefixLength(), flags);
                ctx.ifIoctl(inet6Socket(), ctx.abi.siocaifaddrIn6, r, "SIOCAIFADDR_IN6", "cannot add " + address,
                        name);
            }
            if (pointToPoint && deviceAddress.peer().isEmpty()) {
                routes.prefixRoute(RtMsghdr.RTM_ADD, address);
            }
        }
    }

    /** Removes {@code address}, and the prefix route this class added with it. */
    void remove(IpPrefix address) throws TunTapException {
        boolean present = false;
        boolean peered = false;
        for (DeviceAddress existing : list()) {
            if (existing.local().equals(address)) {
                present = true;
                peered = existing.peer().isPresent();
            }
        }
        if (!present) {
            throw new DeviceNotFoundException("removeAddress", 0, ErrorMessages.failed("removeAddress(" + address
                    + ") on " + name, name + " does not have " + address.addressText()));
        }
        if (pointToPoint && !peered) {
            routes.prefixRoute(RtMsghdr.RTM_DELETE, address);
        }
        if (address.isIpv4()) {
            try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
                Ifreq.clear(r.view, ctx.abi, name);
                Sockaddrs.putIn(r.view, Ifreq.UNION, (Inet4Address) address.address());
                ctx.ifIoctl(inetSocket, ctx.abi.siocdifaddr, r, "SIOCDIFADDR", "cannot remove " + address, name);
            }
        } else {
            try (BsdContext.Request r = new BsdContext.Request(BsdAbi.IN6_IFREQ_SIZE)) {
                In6Aliasreq.putIfreq(r.view, ctx.abi, name, (Inet6Address) address.address());
                ctx.ifIoctl(inet6Socket(), BsdAbi.SIOCDIFADDR_IN6, r, "SIOCDIFADDR_IN6", "cannot remove " + address,
                        name);
            }
        }
    }

    private int inet6Socket() throws TunTapException {
        if (inet6Socket < 0) {
            inet6Socket = ctx.socket(ctx.abi.afInet6, "configures IPv6 on " + name);
        }
        return inet6Socket;
    }

    /** Closes the IPv6 socket, if one was opened. */
    void close() {
        if (inet6Socket >= 0) {
            ctx.libc.close(inet6Socket);
        }
    }
}
