// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the epoll path's writes allocate on the event loop thread per packet, in steady state, on a real device:
 * the flushed buffers are copied into the channel's staging area and sent with {@code writePackets}, so what is
 * left is far below one object per packet. The bound is loose (a few bytes per packet on average) so that a JIT
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

    private static void write(TunTapChannel channel, ByteBuf packet, int count) {
        for (int i = 0; i < count; i++) {
            channel.write(packet.retainedDuplicate(), channel.voidPromise());
            if ((i & 31) == 31) {
                channel.flush();
            }
        }
        channel.flush();
    }
}
