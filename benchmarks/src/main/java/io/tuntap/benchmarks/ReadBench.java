// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.github.isotes.net.tun.io.TunDevice;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.tuntap.Offload;
import io.tuntap.PacketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * Read throughput, drain style, as the C baseline {@code tunread}: a UDP socket fills the device's queue
 * (the harness set txqueuelen large enough), then the timer runs while the library reads the queue empty. A
 * library that cannot read without blocking reads exactly the number of packets queued: those sent minus the
 * device's {@code tx_dropped}. The first fill-and-drain is an untimed warm-up.
 */
final class ReadBench {
    private ReadBench() {
    }

    static void main(String[] args) throws Exception {
        Main.usage(args.length == 6);
        String lib = args[0];
        String dev = args[1];
        int size = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int runs = Integer.parseInt(args[4]);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(args[5]), 9);
        double[] pps = new double[runs];
        double[] cpu = new double[runs];
        long droppedBefore = 0;
        long totalRead = 0;
        try (DatagramChannel sender = DatagramChannel.open()) {
            sender.connect(target);
            ByteBuffer payload = ByteBuffer.allocateDirect(size - 28);
            Reader reader = open(lib, dev);
            try {
                for (int r = -1; r < runs; r++) {
                    if (r == 0) {
                        droppedBefore = Stats.counter(dev, "tx_dropped");
                    }
                    // tun counts tx_packets when user space reads a packet, so what the fill left queued is what
                    // it sent minus what the device dropped.
                    long droppedBeforeFill = Stats.counter(dev, "tx_dropped");
                    for (int i = 0; i < count; i++) {
                        payload.clear();
                        sender.write(payload);
                    }
                    Thread.sleep(20); // let any packet still between socket and device arrive
                    int queued = (int) (count - (Stats.counter(dev, "tx_dropped") - droppedBeforeFill));
                    long t0 = System.nanoTime();
                    long c0 = reader.cpuNanos();
                    int n = reader.drain(queued);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double cpuSeconds = (reader.cpuNanos() - c0) / 1e9;
                    if (r >= 0) {
                        pps[r] = n / seconds;
                        cpu[r] = n / cpuSeconds;
                        totalRead += n;
                    }
                }
            } finally {
                reader.close();
            }
        }
        Stats.result("pps=" + Math.round(Stats.median(pps)) + Stats.cpuField(cpu) + " read=" + totalRead + " sent=" + (long) count * runs
                + " tx_dropped=" + (Stats.counter(dev, "tx_dropped") - droppedBefore));
    }

    /** Reads the queue empty, given how many packets it holds; returns how many it read. */
    private interface Reader {
        int drain(int queued) throws Exception;

        /** Closes the device (not AutoCloseable: used in a finally block, and its close may throw anything). */
        void close() throws Exception;

        /** CPU time of the thread that reads (this one, or a Netty event loop's), in nanoseconds. */
        default long cpuNanos() {
            return Stats.cpuNanos();
        }
    }

    private static Reader open(String lib, String dev) throws Exception {
        int batchSize = Main.batchSize(lib);
        switch (batchSize > 0 ? "tuntap-batch" : lib) {
            case "tuntap": {
                PacketChannel tun = Devices.attach(dev, Offload.OFF);
                ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
                return new Reader() {
                    @Override
                    public int drain(int queued) throws Exception {
                        int n = 0;
                        while (true) {
                            buffer.clear();
                            if (tun.read(buffer, Duration.ZERO) == 0) {
                                return n; // nothing there: the C baseline's EAGAIN
                            }
                            n++;
                        }
                    }

                    @Override
                    public void close() {
                        tun.close();
                    }
                };
            }
            case "tuntap-batch": {
                PacketChannel tun = Devices.attach(dev, Offload.OFF);
                System.err.println("tuntap batches: " + Stats.batchPath());
                ByteBuffer[] buffers = new ByteBuffer[batchSize];
                for (int i = 0; i < batchSize; i++) {
                    buffers[i] = ByteBuffer.allocateDirect(2048);
                }
                return new Reader() {
                    @Override
                    public int drain(int queued) throws Exception {
                        int n = 0;
                        // readPackets waits for its first packet, so ask only for what is known to be queued.
                        while (n < queued) {
                            int want = Math.min(batchSize, queued - n);
                            for (int i = 0; i < want; i++) {
                                buffers[i].clear();
                            }
                            n += tun.readPackets(buffers, want);
                        }
                        return n;
                    }

                    @Override
                    public void close() {
                        System.err.println("tuntap batch mechanism at the end: " + Stats.batchMechanism(tun));
                        tun.close();
                    }
                };
            }
            case "tun-io": {
                TunDevice tun = TunDevice.open(dev);
                return new Reader() {
                    @Override
                    public int drain(int queued) throws Exception {
                        for (int i = 0; i < queued; i++) {
                            tun.read(); // blocking; allocates its own buffer per packet
                        }
                        return queued;
                    }

                    @Override
                    public void close() throws Exception {
                        tun.close();
                    }
                };
            }
            case "netty-tun": {
                Counter counter = new Counter();
                NettyTun tun = NettyTun.open(null, dev, counter);
                tun.channel.config().setAutoRead(false);
                return channelReader(counter, tun.channel, tun::loopCpuNanos, tun::close);
            }
            case "tuntap-netty": {
                Counter counter = new Counter();
                NettyTuntap tun = NettyTuntap.open(dev, 32, counter);
                return channelReader(counter, tun.channel, tun::loopCpuNanos, tun::close);
            }
            default:
                Main.usage(false);
                throw new AssertionError();
        }
    }

    /**
     * A Netty channel with auto-read off as a reader: each drain asks for a read and lets {@link Counter} ask for
     * more until the queued count came; CPU time is the event loop thread's.
     */
    private static Reader channelReader(Counter counter, io.netty.channel.Channel channel, LongSupplier loopCpuNanos,
            Runnable close) {
        return new Reader() {
            @Override
            public int drain(int queued) throws Exception {
                counter.expect(queued);
                channel.read();
                counter.done.await();
                return queued;
            }

            @Override
            public void close() {
                close.run();
            }

            @Override
            public long cpuNanos() {
                return loopCpuNanos.getAsLong();
            }
        };
    }

    /** Counts packets on the event loop and asks for more after each read burst until the expected count. */
    private static final class Counter extends ChannelInboundHandlerAdapter {
        volatile CountDownLatch done = new CountDownLatch(0);
        private int remaining;

        void expect(int packets) {
            remaining = packets;
            done = new CountDownLatch(1);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (--remaining == 0) {
                done.countDown();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (remaining > 0) {
                ctx.read();
            }
        }
    }
}
