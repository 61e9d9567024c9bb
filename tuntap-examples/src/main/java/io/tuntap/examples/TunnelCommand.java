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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
        // Ctrl-C: close the device and socket, which wakes both threads and lets run() go on to report. The
        // JVM halts as soon as the hook returns, so the hook waits for that report.
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            tunnel.close();
            awaitQuietly(reported);
        }, "tunnel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            tunnel.await();
        } finally {
            removeHook(hook);
            tunnel.close();
            out.println(tunnel.counters());
            out.flush();
            reported.countDown();
        }
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
                try {
                    socket.bind(options.local());
                } catch (IOException e) {
                    throw new IOException("cannot bind the UDP socket to " + Main.format(options.local())
                            + (options.netns() == null ? "" : " in netns " + options.netns()) + ": " + e.getMessage()
                            + " (is the address on an interface there?)", e);
                }
                try {
                    socket.connect(options.remote());
                } catch (IOException e) {
                    throw new IOException("cannot connect the UDP socket to " + Main.format(options.remote())
                            + (options.netns() == null ? "" : " in netns " + options.netns()) + ": " + e.getMessage()
                            + " (is there a route to it?)", e);
                }
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

    /** Waits briefly for the main thread to finish its report; a shutdown must not hang on it. */
    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is running or has run: nothing to undo.
        }
    }
}
