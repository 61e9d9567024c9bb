// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code netty-tunnel}: the {@code tunnel} command written as a Netty pipeline ({@link NettyTunnel}). */
final class NettyTunnelCommand implements Command {

    @Override
    public String name() {
        return "netty-tunnel";
    }

    @Override
    public String summary() {
        return "the same UDP tunnel as a Netty pipeline (tuntap-netty), on one event loop";
    }

    @Override
    public String usage() {
        return TunnelOptions.USAGE.replace("usage: tunnel", "usage: netty-tunnel")
                + "\nThe tunnel is a Netty pipeline: a TunTapChannel and a UDP DatagramChannel on one event loop.";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        TunnelOptions options = TunnelOptions.parse(args);
        NettyTunnel tunnel = Namespaces.in(options.netns(), () -> {
            TunTapDevice device = TunTap.open(options.device());
            out.println("netty-tunnel: " + device.name() + " <-> udp " + Main.format(options.local()) + " -> "
                    + Main.format(options.remote()) + (options.netns() == null ? "" : " in netns " + options.netns())
                    + "; Ctrl-C stops");
            return NettyTunnel.start(device, options.local(), options.remote());
        });
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            tunnel.close();
            TunnelCommand.awaitQuietly(stopped);
        }, "netty-tunnel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            tunnel.await();
        } finally {
            TunnelCommand.removeHook(hook);
            tunnel.close();
            stopped.countDown();
        }
        Throwable failure = tunnel.failure();
        if (failure != null) {
            err.println("netty-tunnel: " + failure);
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }
}
