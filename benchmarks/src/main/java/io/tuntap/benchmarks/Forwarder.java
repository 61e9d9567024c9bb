// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.github.isotes.net.tun.io.Packet;
import io.github.isotes.net.tun.io.TunDevice;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.tuntap.Capability;
import io.tuntap.Offload;
import io.tuntap.PacketChannel;
import io.tuntap.TunTapException;
import io.tuntap.linux.LinuxNetworkNamespace;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * TUN-to-TUN forwarder between two network namespaces, the Java counterpart of the C {@code tunfwd}: one
 * thread per direction reads a batch of packets from one device and writes it into the other. Each device is opened
 * inside its namespace; the threads need not be, as a file descriptor works from anywhere. Prints
 * {@code READY} once both devices are attached and runs until killed.
 */
final class Forwarder {
    /** The largest packet (a 64 KB super-packet with offload) plus the 10-byte virtio_net_hdr. */
    private static final int BUFFER_SIZE = 65535 + 10;
    /** Packets per readPackets/writePackets call. */
    private static final int BATCH = 64;

    private Forwarder() {
    }

    static void main(String[] args) throws Exception {
        Main.usage(args.length == 5);
        String lib = args[0];
        String nsA = args[1];
        String devA = args[2];
        String nsB = args[3];
        String devB = args[4];
        switch (lib) {
            case "tuntap", "tuntap-vnet" -> {
                Offload offload = lib.equals("tuntap") ? Offload.OFF : Offload.VIRTIO_NET_HDR;
                io.tuntap.TunDevice a = LinuxNetworkNamespace.call(nsA, () -> Devices.attach(devA, offload));
                io.tuntap.TunDevice b = LinuxNetworkNamespace.call(nsB, () -> Devices.attach(devB, offload));
                if (offload != Offload.OFF && !a.capabilities().contains(Capability.OFFLOAD)) {
                    throw new IllegalStateException("this tuntap build does not offer kernel offload");
                }
                ready();
                Thread ab = pump(a, b);
                Thread ba = pump(b, a);
                ab.join();
                ba.join();
            }
            case "tun-io" -> {
                TunDevice a = LinuxNetworkNamespace.call(nsA, () -> TunDevice.open(devA));
                TunDevice b = LinuxNetworkNamespace.call(nsB, () -> TunDevice.open(devB));
                ready();
                Thread ab = pump(a, b);
                Thread ba = pump(b, a);
                ab.join();
                ba.join();
            }
            case "netty-tun" -> {
                AtomicReference<NettyTun> toA = new AtomicReference<>();
                AtomicReference<NettyTun> toB = new AtomicReference<>();
                NettyTun a = NettyTun.open(nsA, devA, new Relay(toB));
                NettyTun b = NettyTun.open(nsB, devB, new Relay(toA));
                toA.set(a);
                toB.set(b);
                ready();
                a.channel.closeFuture().sync();
            }
            default -> Main.usage(false);
        }
    }

    private static void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    /**
     * Moves packets in batches: whatever {@code readPackets} returns (up to {@value #BATCH}) goes out with one
     * {@code writePackets}, so that with io_uring both directions make one system call per batch.
     */
    private static Thread pump(PacketChannel from, PacketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer[] batch = new ByteBuffer[BATCH];
            ByteBuffer[] rest = new ByteBuffer[BATCH];
            for (int i = 0; i < BATCH; i++) {
                batch[i] = ByteBuffer.allocateDirect(BUFFER_SIZE);
            }
            while (true) {
                try {
                    for (ByteBuffer b : batch) {
                        b.clear();
                    }
                    int n = from.readPackets(batch, BATCH);
                    for (int i = 0; i < n; i++) {
                        batch[i].flip();
                    }
                    send(to, batch, rest, n);
                } catch (TunTapException e) {
                    // A packet the other side refuses is lost, as on a wire; the C forwarder does the same.
                    if (!from.isOpen() || !to.isOpen()) {
                        return;
                    }
                }
            }
        });
        t.start();
        return t;
    }

    /** Writes {@code packets[0..n)}; a packet the device refuses is dropped and the ones after it still go. */
    private static void send(PacketChannel to, ByteBuffer[] packets, ByteBuffer[] rest, int n) throws TunTapException {
        ByteBuffer[] current = packets;
        int count = n;
        while (count > 0) {
            try {
                to.writePackets(current, count);
                return;
            } catch (TunTapException e) {
                if (!to.isOpen()) {
                    throw e;
                }
                // Sent packets are at their limits; the first with bytes left failed: skip it, send the rest.
                int failed = 0;
                while (failed < count && !current[failed].hasRemaining()) {
                    failed++;
                }
                // Into the scratch array (moving down within it is safe); the caller's batch stays as it was.
                int left = 0;
                for (int i = failed + 1; i < count; i++) {
                    rest[left++] = current[i];
                }
                current = rest;
                count = left;
            }
        }
    }

    private static Thread pump(TunDevice from, TunDevice to) {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Packet p = from.read();
                    to.write(p);
                } catch (java.io.IOException e) {
                    // lost, as above
                }
            }
        });
        t.start();
        return t;
    }

    /** Passes every packet read on one channel to the other channel's event loop for writing. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final AtomicReference<NettyTun> to;

        Relay(AtomicReference<NettyTun> to) {
            this.to = to;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            NettyTun out = to.get();
            if (out == null) {
                ReferenceCountUtil.release(msg);
            } else {
                out.channel.writeAndFlush(msg);
            }
        }
    }
}
