// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.IpPrefix;
import io.tuntap.NoProviderException;
import io.tuntap.Route;
import io.tuntap.SystemRoute;
import io.tuntap.TunDevice;
import io.tuntap.TunTap;
import io.tuntap.TunTapException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

/**
 * An OpenVPN-style client with {@code redirect-gateway def1}, made of the library alone: a TUN device with a
 * point-to-point address, the server's host route kept on the original default gateway, and
 * {@code 0.0.0.0/1} and {@code 128.0.0.0/1} into the tunnel, which together cover everything and win over the
 * default route by being longer without replacing it. Packets go to the server over UDP, VTun style (no
 * header, no encryption: this is the routing, not a secure protocol).
 *
 * <p>The order matters: the host route to the server goes in before the two halves, so that the tunnel's own
 * datagrams never enter the tunnel. Closing the device takes everything away again: the halves go with the
 * device, and the device removes the host route it added.
 */
final class Def1Client implements AutoCloseable {
    private final TunDevice tun;
    private final SystemRoute serverRoute;
    private final UdpTunnel tunnel;

    private Def1Client(TunDevice tun, SystemRoute serverRoute, UdpTunnel tunnel) {
        this.tun = tun;
        this.serverRoute = serverRoute;
        this.tunnel = tunnel;
    }

    /**
     * Connects: reads the default route, opens the device, routes around and into it, and starts forwarding.
     * On failure nothing is left: no device, no route.
     *
     * @param name the device name, or null to let the system choose
     * @param address this end's tunnel address, e.g. {@code 10.8.0.2}
     * @param peer the server's tunnel address, e.g. {@code 10.8.0.1}
     * @param server the server's UDP endpoint
     * @param localPort the UDP port to send from
     */
    static Def1Client connect(String name, InetAddress address, InetAddress peer, InetSocketAddress server,
            int localPort) throws IOException {
        if (!(server.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("def1 routes IPv4: the server " + server + " must be IPv4");
        }
        // 1. Where the server is reached now, before anything changes.
        SystemRoute original = TunTap.defaultRoute(StandardProtocolFamily.INET).orElseThrow(() ->
                new NoProviderException("TunTap.defaultRoute", 0, "vpn-client: there is no IPv4 default route to "
                        + "reach " + server.getAddress().getHostAddress() + " by; connect the network first"));
        DeviceConfig.Builder config = DeviceConfig.tun()
                .address(DeviceAddress.pointToPoint(new IpPrefix(address, 32), peer));
        if (name != null) {
            config.name(name);
        }
        TunDevice tun = TunTap.openTun(config.build());
        DatagramChannel socket = null;
        try {
            // 2. The server's host route through the original gateway, removed when the device closes.
            SystemRoute serverRoute = original.to(server.getAddress());
            tun.addBypassRoute(serverRoute);
            // 3. Everything else into the tunnel.
            tun.addRoute(Route.via(IpPrefix.parse("0.0.0.0/1"), peer));
            tun.addRoute(Route.via(IpPrefix.parse("128.0.0.0/1"), peer));
            socket = DatagramChannel.open(StandardProtocolFamily.INET);
            socket.bind(new InetSocketAddress(localPort));
            socket.connect(server);
            return new Def1Client(tun, serverRoute, UdpTunnel.start(tun.name(), tun, socket));
        } catch (IOException | RuntimeException e) {
            if (socket != null) {
                socket.close();
            }
            tun.close();
            throw e;
        }
    }

    /** The device's name. */
    String name() {
        return tun.name();
    }

    /** The host route to the server that this client added. */
    SystemRoute serverRoute() {
        return serverRoute;
    }

    /** The forwarding threads, for their counters. */
    UdpTunnel tunnel() {
        return tunnel;
    }

    /** The routes through the device, as the system lists them. */
    String routes() throws TunTapException {
        return tun.routes().toString();
    }

    /** Stops forwarding and closes the device, which removes every route this client added. Idempotent. */
    @Override
    public void close() {
        tunnel.close();
    }
}
