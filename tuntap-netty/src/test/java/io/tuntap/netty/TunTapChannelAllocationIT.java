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
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            TunDevice tun = net.openTun(DeviceConfig.tun().name(RealDevices.uniqueName("na"))
                    .address("10.77.21.1/24").build());
            TunTapChannel channel = new TunTapChannel(tun);
            channel.config().setAutoRead(false);
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
            group.register(channel).sync();
            // To a multicast group nobody joined: the kernel drops it at route input, answering nothing.
            byte[] udp = Packets.udp(new InetSocketAddress("10.77.21.2", 5000),
                    new InetSocketAddress("239.1.1.1", 5000), new byte[36]);
            ByteBuf packet = PooledByteBufAllocator.DEFAULT.directBuffer(udp.length).writeBytes(udp);
            ThreadAllocations allocations = ThreadAllocations.orSkip();
            long[] bytes = new long[1];
            channel.eventLoop().submit(() -> {
                write(channel, packet, WARM_UP);
                long before = allocations.bytes();
                write(channel, packet, MEASURED);
                bytes[0] = allocations.bytes() - before;
            }).sync();
            packet.release();
            double perPacket = (double) bytes[0] / MEASURED;
            assertTrue(perPacket < BOUND, bytes[0] + " bytes for " + MEASURED + " packets written");
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void writesOfPooledBuffersAllocateNothingBeyondNettysPooledBuffer(TestNetwork net) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            TunDevice tun = net.openTun(DeviceConfig.tun().name(RealDevices.uniqueName("na"))
                    .address("10.77.23.1/24").build());
            TunTapChannel channel = new TunTapChannel(tun);
            channel.config().setAutoRead(false);
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
            group.register(channel).sync();
            byte[] udp = Packets.udp(new InetSocketAddress("10.77.23.2", 5000),
                    new InetSocketAddress("239.1.1.1", 5000), new byte[36]);
            ThreadAllocations allocations = ThreadAllocations.orSkip();
            long[] bytes = new long[2];
            channel.eventLoop().submit(() -> {
                // A buffer of its own per packet, as a handler that builds or forwards packets writes them: sent
                // from its own memory. Netty's part: taking and giving back as many buffers without the channel.
                writeOwn(channel, udp, WARM_UP);
                takeAndGiveBack(channel, WARM_UP);
                long before = allocations.bytes();
                writeOwn(channel, udp, MEASURED);
                bytes[0] = allocations.bytes() - before;
                before = allocations.bytes();
                takeAndGiveBack(channel, MEASURED);
                bytes[1] = allocations.bytes() - before;
            }).sync();
            double beyond = (double) (bytes[0] - bytes[1]) / MEASURED;
            assertTrue(beyond < BOUND, bytes[0] + " bytes for " + MEASURED + " packets written, " + bytes[1]
                    + " of them Netty's pooled allocator's own");
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
