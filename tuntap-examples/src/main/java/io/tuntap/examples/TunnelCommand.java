// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code tunnel}: a VTun-style point-to-point UDP tunnel over a TUN or TAP device. */
final class TunnelCommand implements Command {

    @Override
    public String name() {
        return "tunnel";
    }

    @Override
    public String summary() {
        return "a point-to-point UDP tunnel over a TUN or TAP device (interoperates with socat)";
    }

    @Override
    public String usage() {
        return TunnelOptions.USAGE;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        TunnelOptions options = TunnelOptions.parse(args);
        UdpTunnel tunnel = open(options);
        out.println("tunnel: " + describe(options, tunnel.name()));
        out.flush();
        AtomicBoolean reported = new AtomicBoolean();
        Runnable report = () -> {
            if (reported.compareAndSet(false, true)) {
                out.println(tunnel.counters());
                out.flush();
            }
        };
        // Ctrl-C: close the device and socket (which wakes both threads), then report, before the JVM halts.
        Thread hook = new Thread(() -> {
            tunnel.close();
            report.run();
        }, "tunnel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            tunnel.await();
        } finally {
            removeHook(hook);
            tunnel.close();
        }
        report.run();
        Throwable failure = tunnel.failure();
        if (failure != null) {
            err.println("tunnel: stopped by an error: " + failure);
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    /**
     * Opens the device and the socket (inside the namespace, if one is given) and starts forwarding. On
     * failure nothing stays open.
     */
    static UdpTunnel open(TunnelOptions options) throws Exception {
        return Namespaces.in(options.netns(), () -> {
            TunTapDevice device = TunTap.open(options.device());
            DatagramChannel socket = null;
            try {
                socket = DatagramChannel.open(family(options.local()));
                socket.bind(options.local());
                socket.connect(options.remote());
                return UdpTunnel.start(device.name(), device, socket);
            } catch (IOException | RuntimeException e) {
                if (socket != null) {
                    socket.close();
                }
                device.close();
                throw e;
            }
        });
    }

    private static StandardProtocolFamily family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
    }

    private static String describe(TunnelOptions o, String deviceName) {
        return deviceName + " (" + o.device().mode().name().toLowerCase(java.util.Locale.ROOT)
                + (o.device().addresses().isEmpty() ? "" : " " + o.device().addresses())
                + (o.device().mtu().isPresent() ? " mtu " + o.device().mtu().getAsInt() : "") + ")"
                + " <-> udp " + Main.format(o.local()) + " -> " + Main.format(o.remote())
                + (o.netns() == null ? "" : " in netns " + o.netns()) + "; Ctrl-C stops";
    }

    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is running or has run: nothing to undo.
        }
    }
}
