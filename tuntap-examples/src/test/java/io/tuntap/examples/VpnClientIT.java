// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.IpPrefix;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The def1 client in three network namespaces, client, router and server, with real traffic: the client's
 * default route goes through the router; the server runs the {@code tunnel} command. With the client
 * connected, a ping to the server's own address goes around the tunnel, and a ping to the router's far side
 * goes through it (the server forwards it; the router answers the tunnel address, which only the server
 * routes). After the client closes, its device and every route it added are gone and the default route is
 * as before.
 */
@PrivilegedNetnsTest
class VpnClientIT {
    private final String suffix = "-" + ProcessHandle.current().pid();
    private final String client = "tt-vc-c" + suffix;
    private final String router = "tt-vc-r" + suffix;
    private final String server = "tt-vc-s" + suffix;
    private final String ip = Processes.which("ip").orElseThrow().toString();

    @AfterEach
    void removeNamespaces() throws Exception {
        for (String ns : List.of(client, router, server)) {
            if (Files.exists(Path.of("/run/netns", ns))) {
                Processes.run(List.of(ip, "netns", "del", ns));
            }
        }
    }

    private String in(String ns, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of(ip, "netns", "exec", ns));
        full.addAll(List.of(command));
        return Processes.run(full);
    }

    private void network() throws IOException {
        for (String ns : List.of(client, router, server)) {
            Processes.run(List.of(ip, "netns", "add", ns));
            in(ns, "ip", "link", "set", "lo", "up");
        }
        Processes.run(List.of(ip, "link", "add", "vcc0", "netns", client, "type", "veth", "peer", "name", "vcr0",
                "netns", router));
        Processes.run(List.of(ip, "link", "add", "vcr1", "netns", router, "type", "veth", "peer", "name", "vcs0",
                "netns", server));
        in(client, "ip", "addr", "add", "10.91.0.2/24", "dev", "vcc0");
        in(client, "ip", "link", "set", "vcc0", "up");
        in(client, "ip", "route", "add", "default", "via", "10.91.0.1", "dev", "vcc0");
        in(router, "ip", "addr", "add", "10.91.0.1/24", "dev", "vcr0");
        in(router, "ip", "addr", "add", "10.92.0.1/24", "dev", "vcr1");
        in(router, "ip", "link", "set", "vcr0", "up");
        in(router, "ip", "link", "set", "vcr1", "up");
        in(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        // The tunnel's addresses are behind the server: only a packet that came through the tunnel is answered.
        in(router, "ip", "route", "add", "10.8.0.0/24", "via", "10.92.0.2", "dev", "vcr1");
        in(server, "ip", "addr", "add", "10.92.0.2/24", "dev", "vcs0");
        in(server, "ip", "link", "set", "vcs0", "up");
        in(server, "ip", "route", "add", "default", "via", "10.92.0.1", "dev", "vcs0");
        in(server, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    }

    @Test
    void everythingGoesThroughTheTunnelButTheServerAndAllIsRemovedOnExit() throws Exception {
        network();
        String defaultBefore = in(client, "ip", "route", "show", "default");
        try (UdpTunnel serverEnd = TunnelCommand.open(TunnelOptions.parse(List.of("--dev", "vcs1",
                "--address", "10.8.0.1/32 peer 10.8.0.2", "--local", "10.92.0.2:5400", "--remote", "10.91.0.2:5400",
                "--netns", server)))) {
            try (Def1Client vpn = Namespaces.in(client, () -> Def1Client.connect("vcc1",
                    IpPrefix.parse("10.8.0.2").address(), IpPrefix.parse("10.8.0.1").address(),
                    new InetSocketAddress(InetAddress.getByName("10.92.0.2"), 5400), 5400))) {
                assertEquals("10.92.0.2/32 via 10.91.0.1 dev vcc0", vpn.serverRoute().toString());
                String routes = in(client, "ip", "route", "show");
                assertTrue(routes.contains("0.0.0.0/1 via 10.8.0.1 dev vcc1")
                        && routes.contains("128.0.0.0/1 via 10.8.0.1 dev vcc1")
                        && routes.contains("10.92.0.2 via 10.91.0.1 dev vcc0"), routes);
                assertTrue(in(client, "ip", "route", "get", "10.92.0.2").contains("via 10.91.0.1 dev vcc0"));
                assertTrue(in(client, "ip", "route", "get", "10.92.0.1").contains("dev vcc1"));
                assertTrue(in(client, "ip", "route", "get", "198.51.100.1").contains("dev vcc1"));

                // Around the tunnel: the server's own address, on the original path.
                long throughBefore = serverEnd.packetsReceived();
                String around = in(client, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.92.0.2");
                assertTrue(around.contains("2 received"), around);
                // Through it: the router's far side, reached only from the tunnel's address via the server.
                String through = in(client, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.92.0.1");
                assertTrue(through.contains("2 received"), through);
                assertTrue(serverEnd.packetsReceived() - throughBefore >= 2,
                        "the pings to 10.92.0.1 arrived at the server through the tunnel: " + serverEnd.counters());
                assertTrue(vpn.tunnel().packetsSent() >= 2, vpn.tunnel().counters());
            }
            // The interface goes with the device's last file reference; io_uring batches drop theirs in the
            // kernel's deferred ring teardown, shortly after close returns.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (in(client, "ip", "link", "show").contains("vcc1") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String after = in(client, "ip", "route", "show");
            assertFalse(after.contains("0.0.0.0/1") || after.contains("128.0.0.0/1") || after.contains("10.92.0.2"),
                    "every route the client added is gone: " + after);
            assertEquals(defaultBefore, in(client, "ip", "route", "show", "default"));
            assertFalse(in(client, "ip", "link", "show").contains("vcc1"), "the device is gone");
        }
    }
}
