// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.tuntap.DeviceConfig;
import io.tuntap.TunDevice;
import io.tuntap.testkit.Packets;
import io.tuntap.testkit.RealDevices;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import io.tuntap.testkit.ThreadAllocations;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the epoll path allocates on the event loop thread per packet, in steady state, on a real device: writes
 * of duplicates copy them into the channel's staging area, writes of pooled buffers send them from their own
 * memory, both with {@code writePackets}, and reads fill pooled buffers in place with {@code readPackets}, so
 * beyond what Netty's pooled allocator itself allocates to hand out and take back a buffer, what is left is far
 * below one object per packet. The bound is loose (a few bytes per packet on average) so that a JIT
 * or a timer on a loaded machine does not fail it, while an object per packet (16 bytes at least) would.
 */
@Tag("privileged")
@RequiresRealDevice
class TunTapChannelAllocationIT {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 50_000;
    /** Bytes per packet on average, well below the smallest object (16 bytes). */
    private static final double BOUND = 4.0;

    @Test
    void writesAllocateNoObjectPerPacket(TestNetwork net) throws Exception {
        long[] bytes = writeAllocations(net, 21, (channel, udp, count) -> {
            ByteBuf packet = PooledByteBufAllocator.DEFAULT.directBuffer(udp.length).writeBytes(udp);
            write(channel, packet, count);
            packet.release();
        }, (channel, udp, count) -> { });
        double perPacket = (double) bytes[0] / MEASURED;
        assertTrue(perPacket < BOUND, bytes[0] + " bytes for " + MEASURED + " packets written");
    }

    @Test
    void writesOfPooledBuffersAllocateNothingBeyondNettysPooledBuffer(TestNetwork net) throws Exception {
        // A buffer of its own per packet, as a handler that builds or forwards packets writes them: sent from its
        // own memory. Netty's part: taking and giving back as many buffers without the channel.
        long[] bytes = writeAllocations(net, 23, TunTapChannelAllocationIT::writeOwn,
                (channel, udp, count) -> takeAndGiveBack(channel, count));
        double beyond = (double) (bytes[0] - bytes[1]) / MEASURED;
        assertTrue(beyond < BOUND, bytes[0] + " bytes for " + MEASURED + " packets written, " + bytes[1]
                + " of them Netty's pooled allocator's own");
    }

    /** Writes {@code count} copies of a UDP packet on the channel's event loop. */
    private interface Writes {
        void run(TunTapChannel channel, byte[] udp, int count);
    }

    /**
     * The bytes the event loop thread allocates for {@link #MEASURED} packets of {@code writes} and for as many of
     * {@code baseline}, each after {@link #WARM_UP} of them, on a device in {@code 10.77.subnet.0/24}.
     */
    private static long[] writeAllocations(TestNetwork net, int subnet, Writes writes, Writes baseline)
            throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            TunDevice tun = net.openTun(DeviceConfig.tun().name(RealDevices.uniqueName("na"))
                    .address("10.77." + subnet + ".1/24").build());
            TunTapChannel channel = new TunTapChannel(tun);
            channel.config().setAutoRead(false);
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
            group.register(channel).sync();
            // To a multicast group nobody joined: the kernel drops it at route input, answering nothing.
            byte[] udp = Packets.udp(new InetSocketAddress("10.77." + subnet + ".2", 5000),
                    new InetSocketAddress("239.1.1.1", 5000), new byte[36]);
            ThreadAllocations allocations = ThreadAllocations.orSkip();
            long[] bytes = new long[2];
            channel.eventLoop().submit(() -> {
                writes.run(channel, udp, WARM_UP);
                baseline.run(channel, udp, WARM_UP);
                long before = allocations.bytes();
                writes.run(channel, udp, MEASURED);
                bytes[0] = allocations.bytes() - before;
                before = allocations.bytes();
                baseline.run(channel, udp, MEASURED);
                bytes[1] = allocations.bytes() - before;
            }).sync();
            return bytes;
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    private static void writeOwn(TunTapChannel channel, byte[] packet, int count) {
        for (int i = 0; i < count; i++) {
            channel.write(channel.config().getAllocator().directBuffer(64, 64).writeBytes(packet),
                    channel.voidPromise());
            if ((i & 31) == 31) {
                channel.flush();
            }
        }
        channel.flush();
    }

    private static void write(TunTapChannel channel, ByteBuf packet, int count) {
        for (int i = 0; i < count; i++) {
            channel.write(packet.retainedDuplicate(), channel.voidPromise());
            if ((i & 31) == 31) {
                channel.flush();
            }
        }
        channel.flush();
    }

    @Test
    void readsAllocateNothingPerPacketBeyondNettysPooledBuffer(TestNetwork net) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            TunDevice tun = net.openTun(DeviceConfig.tun().name(RealDevices.uniqueName("na"))
                    .address("10.77.22.1/24").build());
            TunTapChannel channel = new TunTapChannel(tun);
            ThreadAllocations allocations = ThreadAllocations.orSkip();
            AtomicInteger received = new AtomicInteger();
            AtomicLong startBytes = new AtomicLong(-1);
            AtomicLong measuredBytes = new AtomicLong(-1);
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ((ByteBuf) msg).release();
                    int n = received.incrementAndGet();
                    if (n == WARM_UP) {
                        startBytes.set(allocations.bytes());
                    } else if (n == WARM_UP + MEASURED) {
                        measuredBytes.set(allocations.bytes() - startBytes.get());
                    }
                }
            });
            group.register(channel).sync();
            // What Netty's pooled allocator itself allocates on this thread to hand out and take back as many
            // 64-byte direct buffers, 32 alive at a time: the part of a read's cost that is Netty's own.
            long[] netty = new long[1];
            channel.eventLoop().submit(() -> {
                takeAndGiveBack(channel, WARM_UP);
                long before = allocations.bytes();
                takeAndGiveBack(channel, MEASURED);
                netty[0] = allocations.bytes() - before;
            }).sync();
            // Datagrams to the far end of the device's subnet leave through the device as 64-byte packets; sent in
            // bursts the device's queue (500 packets) holds.
            net.run(() -> {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("10.77.22.1", 0))) {
                    DatagramPacket datagram = new DatagramPacket(new byte[36], 36,
                            new InetSocketAddress("10.77.22.2", 9));
                    int sent = 0;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (received.get() < WARM_UP + MEASURED && System.nanoTime() < deadline) {
                        if (sent - received.get() < 200) {
                            socket.send(datagram);
                            sent++;
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                }
                return null;
            });
            assertTrue(measuredBytes.get() >= 0, "only " + received.get() + " packets came in 120 s");
            double beyond = (double) (measuredBytes.get() - netty[0]) / MEASURED;
            assertTrue(beyond < BOUND, measuredBytes.get() + " bytes for " + MEASURED + " packets read, " + netty[0]
                    + " of them Netty's pooled allocator's own");
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    private static void takeAndGiveBack(TunTapChannel channel, int count) {
        ByteBuf[] held = new ByteBuf[32];
        for (int i = 0; i < count; i += held.length) {
            for (int j = 0; j < held.length; j++) {
                held[j] = channel.config().getAllocator().directBuffer(64, 64).writeZero(64);
            }
            for (ByteBuf b : held) {
                b.release();
            }
        }
    }
}
