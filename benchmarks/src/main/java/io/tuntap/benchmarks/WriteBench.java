// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.github.isotes.net.tun.io.TunDevice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tuntap.Offload;
import io.tuntap.PacketChannel;
import java.nio.ByteBuffer;
import org.drasyl.channel.tun.Tun4Packet;

/**
 * Write throughput: one packet per call into a TUN device, addressed to a multicast group nobody joined (the
 * cheapest drop in the stack), the same loop as the C baseline {@code tunwrite}. The first run of each library
 * is an untimed warm-up so that the JIT has compiled the loop; the median of the timed runs is reported.
 */
final class WriteBench {
    private WriteBench() {
    }

    static void main(String[] args) throws Exception {
        Main.usage(args.length == 5);
        String lib = args[0];
        String dev = args[1];
        int size = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int runs = Integer.parseInt(args[4]);
        ByteBuffer packet = Udp4.packet(size, Udp4.SOURCE, Udp4.MULTICAST);
        double[] pps = new double[runs];
        double[] cpu = new double[runs];
        int batchSize = Main.batchSize(lib);
        if (batchSize > 0) {
            lib = "tuntap-batch";
        }
        switch (lib) {
            case "tuntap" -> {
                try (PacketChannel tun = Devices.attach(dev, Offload.OFF)) {
                    for (int r = -1; r < runs; r++) {
                        long t0 = System.nanoTime();
                        long c0 = Stats.cpuNanos();
                        for (int i = 0; i < count; i++) {
                            packet.clear();
                            tun.write(packet);
                        }
                        record(pps, cpu, r, count, t0, c0);
                    }
                }
            }
            case "tuntap-batch" -> {
                // batchSize packets per writePackets call; offload stays off so that every packet is its own write,
                // as in C (with offload the kernel would take a coalesced super-packet and drop it once).
                ByteBuffer[] batch = new ByteBuffer[batchSize];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = packet.duplicate();
                }
                System.err.println("tuntap batches: " + Stats.batchPath());
                try (PacketChannel tun = Devices.attach(dev, Offload.OFF)) {
                    for (int r = -1; r < runs; r++) {
                        long t0 = System.nanoTime();
                        long c0 = Stats.cpuNanos();
                        for (int i = 0; i < count; i += batch.length) {
                            int n = Math.min(batch.length, count - i);
                            for (int j = 0; j < n; j++) {
                                batch[j].clear();
                            }
                            tun.writePackets(batch, n);
                        }
                        record(pps, cpu, r, count, t0, c0);
                    }
                    System.err.println("tuntap batch mechanism at the end: " + Stats.batchMechanism(tun));
                }
            }
            case "tun-io" -> {
                try (TunDevice tun = TunDevice.open(dev)) {
                    for (int r = -1; r < runs; r++) {
                        long t0 = System.nanoTime();
                        long c0 = Stats.cpuNanos();
                        for (int i = 0; i < count; i++) {
                            packet.clear();
                            tun.write(packet);
                        }
                        record(pps, cpu, r, count, t0, c0);
                    }
                }
            }
            case "netty-tun" -> {
                ByteBuf content = Unpooled.wrappedBuffer(packet);
                long[] loopCpu = new long[1];
                try (NettyTun tun = NettyTun.open(null, dev)) {
                    for (int r = -1; r < runs; r++) {
                        long t0 = System.nanoTime();
                        // Written from the channel's own event loop, as a handler would, one flush per packet.
                        tun.inLoop(ch -> {
                            long c0 = Stats.cpuNanos();
                            for (int i = 0; i < count; i++) {
                                ch.writeAndFlush(new Tun4Packet(content.retainedDuplicate()));
                            }
                            loopCpu[0] = Stats.cpuNanos() - c0;
                        });
                        recordLoop(pps, cpu, r, count, t0, loopCpu[0]);
                    }
                }
            }
            case "tuntap-netty" -> {
                // A handler's writes on the channel's event loop, flushed once per 32 packets (as a handler that
                // flushes in channelReadComplete after a batch), sent with one writePackets per flush.
                ByteBuf content = Unpooled.directBuffer(packet.remaining()).writeBytes(packet.duplicate());
                long[] loopCpu = new long[1];
                try (NettyTuntap tun = NettyTuntap.open(dev, 32, new ChannelInboundHandlerAdapter())) {
                    for (int r = -1; r < runs; r++) {
                        long t0 = System.nanoTime();
                        tun.inLoop(ch -> {
                            long c0 = Stats.cpuNanos();
                            for (int i = 0; i < count; i++) {
                                ch.write(content.retainedDuplicate(), ch.voidPromise());
                                if ((i & 31) == 31) {
                                    ch.flush();
                                }
                            }
                            ch.flush();
                            loopCpu[0] = Stats.cpuNanos() - c0;
                        });
                        recordLoop(pps, cpu, r, count, t0, loopCpu[0]);
                    }
                }
            }
            default -> Main.usage(false);
        }
        Stats.result("pps=" + Math.round(Stats.median(pps)) + Stats.cpuField(cpu));
    }

    /** As {@link #record}, with the CPU time the event loop's thread spent on the run. */
    private static void recordLoop(double[] pps, double[] cpu, int run, int count, long t0, long loopCpuNanos) {
        if (run >= 0) {
            pps[run] = count / ((System.nanoTime() - t0) / 1e9);
            cpu[run] = count / (loopCpuNanos / 1e9);
        }
    }

    private static void record(double[] pps, double[] cpu, int run, int count, long t0, long c0) {
        if (run >= 0) {
            pps[run] = count / ((System.nanoTime() - t0) / 1e9);
            cpu[run] = count / ((Stats.cpuNanos() - c0) / 1e9);
        }
    }
}
