// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.DeviceConfig;
import io.tuntap.TunDevice;
import io.tuntap.TunTap;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code demo}: two network namespaces joined by a veth pair, a TUN device opened with the library in each, a
 * Java UDP tunnel between the two devices, and the system's {@code ping} across it.
 *
 * <pre>
 *   namespace A                                              namespace B
 *   ping 10.202.0.2                                          kernel answers
 *     tt0 10.202.0.1 (TUN) -- UdpTunnel --                  -- UdpTunnel -- tt0 10.202.0.2 (TUN)
 *                              veth0 10.201.0.1 ==== veth0 10.201.0.2
 * </pre>
 *
 * Everything it makes is removed afterwards, also on failure and on Ctrl-C: deleting a namespace deletes the
 * interfaces in it.
 */
final class DemoCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: demo",
            "",
            "Creates two network namespaces joined by a veth pair (underlay 10.201.0.1/24 <-> 10.201.0.2/24),",
            "opens a TUN device in each with the tuntap library (10.202.0.1/24, fd02::1/64 and 10.202.0.2/24,",
            "fd02::2/64, MTU 1420), tunnels between them over UDP in Java, then runs 'ping -c 5 10.202.0.2'",
            "and 'ping -6 -c 3 fd02::2' in the first namespace. Removes everything afterwards.",
            "",
            "Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN), /dev/net/tun, and the ip and ping programs.",
            "Exits 0 if the pings were answered.",
            "",
            "options:",
            "  --help    show this text");

    private static final String DEVICE = "tt0";
    private static final String VETH = "veth0";
    private static final int MTU = 1420;
    private static final int PORT = 40000;
    private static final int PING_COUNT_V4 = 5;
    private static final int PING_COUNT_V6 = 3;
    /** How long to wait for IPv6 addresses to leave the tentative state. */
    private static final long TENTATIVE_WAIT_MILLIS = 5000;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "ping across a Java UDP tunnel between TUN devices in two throwaway network namespaces";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    /** One side of the demo: its namespace and addresses. */
    private record Side(String label, String netns, String underlay, String tunV4, String tunV6) {
        String underlayAddress() {
            return underlay.substring(0, underlay.indexOf('/'));
        }

        String tunV4Address() {
            return tunV4.substring(0, tunV4.indexOf('/'));
        }

        String tunV6Address() {
            return tunV6.substring(0, tunV6.indexOf('/'));
        }
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options.parse("demo", args, Set.of(), Set.of(), Set.of());
        List<String> problems = new ArrayList<>();
        Optional<Path> ip = Processes.which("ip");
        Optional<Path> ping = Processes.which("ping");
        preflight(ip, ping, problems);
        if (!problems.isEmpty()) {
            err.println("demo: cannot run here:");
            problems.forEach(p -> err.println("  - " + p));
            return Main.EXIT_FAILURE;
        }
        boolean ipv6 = Files.isDirectory(Path.of("/proc/sys/net/ipv6"));
        long pid = ProcessHandle.current().pid();
        Side a = new Side("A", "tt-demo-a-" + pid, "10.201.0.1/24", "10.202.0.1/24", "fd02::1/64");
        Side b = new Side("B", "tt-demo-b-" + pid, "10.201.0.2/24", "10.202.0.2/24", "fd02::2/64");

        Namespaces namespaces = new Namespaces(ip.get().toString());
        List<UdpTunnel> tunnels = new ArrayList<>();
        AtomicReference<Process> running = new AtomicReference<>();
        Cleanup cleanup = new Cleanup(namespaces, tunnels, running, out, err);
        Thread hook = new Thread(() -> {
            err.println("demo: interrupted; removing namespaces " + a.netns() + " and " + b.netns());
            cleanup.run();
        }, "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("demo: namespaces " + a.netns() + " and " + b.netns() + ", joined by a veth pair "
                    + a.underlay() + " <-> " + b.underlay());
            namespaces.add(a.netns());
            namespaces.add(b.netns());
            namespaces.veth(a.netns(), a.underlay(), b.netns(), b.underlay(), VETH);
            for (Side[] pair : new Side[][] {{a, b}, {b, a}}) {
                UdpTunnel tunnel = startSide(pair[0], pair[1], ipv6);
                synchronized (tunnels) {
                    tunnels.add(tunnel);
                }
                out.println("demo: " + pair[0].label() + ": TUN " + DEVICE + " " + pair[0].tunV4()
                        + (ipv6 ? ", " + pair[0].tunV6() : "") + ", MTU " + MTU + "; UDP " + pair[0].underlayAddress()
                        + ":" + PORT + " -> " + pair[1].underlayAddress() + ":" + PORT);
            }
            if (ipv6) {
                waitForIpv6(ip.get().toString(), a, b);
            }
            out.flush();

            int v4 = ping(namespaces, a.netns(), running, out, ping.get().toString(), "-c",
                    String.valueOf(PING_COUNT_V4), "-W", "2", b.tunV4Address());
            cleanup.checkNotStarted();
            int v6 = -1;
            if (ipv6) {
                v6 = ping(namespaces, a.netns(), running, out, ping.get().toString(), "-6", "-c",
                        String.valueOf(PING_COUNT_V6), "-W", "2", b.tunV6Address());
            } else {
                out.println("demo: IPv6 is disabled in this kernel; skipping the IPv6 ping");
            }
            cleanup.checkNotStarted();

            UdpTunnel ta = tunnels.get(0);
            UdpTunnel tb = tunnels.get(1);
            out.println();
            out.println("demo: summary");
            // The counts include the kernel's own IPv6 traffic (router solicitations, MLD reports); packets a
            // side sent before the other side's socket existed are lost, as on any UDP tunnel.
            out.printf("  A -> B: %d packets (%d bytes) read from A's TUN and sent, %d written to B's TUN%n",
                    ta.packetsSent(), ta.bytesSent(), tb.packetsReceived());
            out.printf("  B -> A: %d packets (%d bytes) read from B's TUN and sent, %d written to A's TUN%n",
                    tb.packetsSent(), tb.bytesSent(), ta.packetsReceived());
            out.printf("  IPv4 ping: %d of %d answered%n", v4, PING_COUNT_V4);
            if (ipv6) {
                out.printf("  IPv6 ping: %d of %d answered%n", v6, PING_COUNT_V6);
            }
            boolean ok = v4 > 0 && (!ipv6 || v6 > 0);
            out.println(ok ? "demo: OK" : "demo: FAILED: pings were not answered through the tunnel");
            return ok ? Main.EXIT_OK : Main.EXIT_FAILURE;
        } finally {
            TunnelCommand.removeHook(hook);
            cleanup.run();
        }
    }

    private static void preflight(Optional<Path> ip, Optional<Path> ping, List<String> problems) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            problems.add("the demo uses Linux network namespaces; this is " + System.getProperty("os.name"));
            return;
        }
        int uid = Processes.effectiveUid();
        if (uid != 0) {
            problems.add("it must run as root (creating namespaces and TUN devices needs CAP_NET_ADMIN and "
                    + "CAP_SYS_ADMIN); the effective uid is " + uid + ": try 'sudo'");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            problems.add("/dev/net/tun is missing: load the tun module ('modprobe tun') or, in a container, "
                    + "pass the device in");
        }
        if (ip.isEmpty()) {
            problems.add("the 'ip' program (iproute2) is not installed or not on PATH");
        }
        if (ping.isEmpty()) {
            problems.add("the 'ping' program (iputils-ping) is not installed or not on PATH");
        }
    }

    /**
     * Opens {@code self}'s TUN device and UDP socket inside its namespace, with the library, and starts the
     * tunnel to {@code peer}. The threads start inside the namespace too, although they only use the two
     * handles, which stay bound to the namespace they were made in.
     */
    private static UdpTunnel startSide(Side self, Side peer, boolean ipv6) throws Exception {
        DeviceConfig.Builder config = DeviceConfig.tun().name(DEVICE).mtu(MTU).address(self.tunV4());
        if (ipv6) {
            config.address(self.tunV6());
        }
        DeviceConfig built = config.up(true).build();
        return Namespaces.in(self.netns(), () -> {
            TunDevice device = TunTap.openTun(built);
            DatagramChannel socket = null;
            try {
                socket = DatagramChannel.open(StandardProtocolFamily.INET);
                socket.bind(new InetSocketAddress(InetAddress.getByName(self.underlayAddress()), PORT));
                socket.connect(new InetSocketAddress(InetAddress.getByName(peer.underlayAddress()), PORT));
                return UdpTunnel.start(self.label() + ":" + device.name(), device, socket);
            } catch (IOException | RuntimeException e) {
                if (socket != null) {
                    socket.close();
                }
                device.close();
                throw e;
            }
        });
    }

    /**
     * Waits until no IPv6 address in either namespace is tentative. A TUN device has no link layer, so the
     * kernel skips duplicate address detection on it, but the check costs nothing and makes the first ping
     * independent of kernel versions that do not.
     */
    private static void waitForIpv6(String ip, Side... sides)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TENTATIVE_WAIT_MILLIS * 1_000_000L;
        for (Side side : sides) {
            while (!Processes.run(List.of(ip, "-n", side.netns(), "-6", "addr", "show", "dev", DEVICE, "tentative"))
                    .isEmpty()) {
                if (System.nanoTime() > deadline) {
                    return; // let ping report what is wrong
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Runs ping inside {@code netns}, printing its lines as they come.
     *
     * @return the number of replies received
     */
    private static int ping(Namespaces namespaces, String netns, AtomicReference<Process> running, PrintStream out,
            String... command) throws IOException, InterruptedException {
        List<String> full = namespaces.exec(netns, command);
        out.println();
        out.println("demo: $ ip netns exec " + netns + " ping "
                + String.join(" ", List.of(command).subList(1, command.length)));
        out.flush();
        int[] replies = {0};
        Processes.stream(full, line -> {
            if (line.contains(" bytes from ")) {
                replies[0]++;
            }
            out.println("  " + line);
            out.flush();
        }, running::set);
        running.set(null);
        return replies[0];
    }

    /** Stops whatever runs and deletes the namespaces; safe to run twice and from two threads. */
    private static final class Cleanup implements Runnable {
        private final Namespaces namespaces;
        private final List<UdpTunnel> tunnels;
        private final AtomicReference<Process> running;
        private final PrintStream out;
        private final PrintStream err;
        private boolean done;

        Cleanup(Namespaces namespaces, List<UdpTunnel> tunnels, AtomicReference<Process> running, PrintStream out,
                PrintStream err) {
            this.namespaces = namespaces;
            this.tunnels = tunnels;
            this.running = running;
            this.out = out;
            this.err = err;
        }

        /**
         * Stops the demo's main thread once the shutdown hook has cleaned up (Ctrl-C): the steps after it would
         * only fail on missing namespaces.
         */
        synchronized void checkNotStarted() throws InterruptedException {
            if (done) {
                throw new InterruptedException("stopped by a signal");
            }
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            Process p = running.getAndSet(null);
            if (p != null) {
                p.destroy();
            }
            synchronized (tunnels) {
                tunnels.forEach(UdpTunnel::close);
            }
            try {
                namespaces.close();
                out.println("demo: removed the namespaces, and with them the veth pair and the TUN devices");
            } catch (IOException e) {
                err.println("demo: cleanup failed: " + Main.describe(e)
                        + "; remove leftovers with 'ip netns del NAME'");
            }
            out.flush();
            err.flush();
        }
    }
}
