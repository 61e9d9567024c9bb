// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code vpn-client}: an OpenVPN-style def1 client over UDP ({@link Def1Client}). */
final class VpnClientCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: vpn-client --server HOST:PORT --address ADDR --peer ADDR [options]",
            "",
            "Routes everything into a TUN device as OpenVPN's 'redirect-gateway def1' does: 0.0.0.0/1 and",
            "128.0.0.0/1 through the tunnel, the server's host route through the original default gateway.",
            "Packets travel to the server as UDP datagrams without a header (the 'tunnel' command is a server).",
            "Everything it added is removed on exit.",
            "",
            "options:",
            "  --server HOST:PORT   the server's UDP endpoint (IPv4)",
            "  --address ADDR       this end's tunnel address, e.g. 10.8.0.2",
            "  --peer ADDR          the server's tunnel address, e.g. 10.8.0.1",
            "  --port N             the local UDP port (default: the server's port)",
            "  --dev NAME           the interface name (default: chosen by the system)",
            "  --netns NAME         run inside this network namespace (one made with 'ip netns add NAME')",
            "  --help               show this text",
            "",
            "Runs until interrupted (Ctrl-C), then prints its packet counters.");

    @Override
    public String name() {
        return "vpn-client";
    }

    @Override
    public String summary() {
        return "an OpenVPN-style def1 client: everything into the tunnel, the server around it";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = Options.parse(name(), args, Set.of("server", "address", "peer", "port", "dev", "netns"), Set.of(),
                Set.of());
        InetSocketAddress server = o.endpoint("server");
        InetAddress address = literal(o, "address");
        InetAddress peer = literal(o, "peer");
        int port = o.has("port") ? o.intValue("port", 0, 1, 65535) : server.getPort();
        String netns = o.get("netns", null);
        Def1Client client = Namespaces.in(netns, () -> Def1Client.connect(o.get("dev", null), address, peer, server,
                port));
        out.println("vpn-client: " + client.name() + " " + address.getHostAddress() + " peer " + peer.getHostAddress()
                + "; routes " + client.routes() + "; around the tunnel: " + client.serverRoute()
                + (netns == null ? "" : "; in netns " + netns) + "; Ctrl-C stops");
        out.flush();
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            client.close();
            TunnelCommand.awaitQuietly(reported);
        }, "vpn-client-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            client.tunnel().await();
        } finally {
            TunnelCommand.removeHook(hook);
            client.close();
            out.println(client.tunnel().counters());
            out.flush();
            reported.countDown();
        }
        Throwable failure = client.tunnel().failure();
        if (failure != null) {
            err.println("vpn-client: stopped by an error: " + failure);
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    private static InetAddress literal(Options o, String option) throws UsageException {
        try {
            return io.tuntap.IpPrefix.parse(o.require(option)).address();
        } catch (IllegalArgumentException e) {
            throw new UsageException("vpn-client: --" + option + " needs an IP address: " + e.getMessage(), e);
        }
    }
}
