// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ResourceLeakDetector;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunDevice;
import io.tuntap.TunTapException;
import io.tuntap.testkit.MemoryDevicePair;
import io.tuntap.testkit.MemoryDevices;
import io.tuntap.testkit.Packets;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who releases the buffers of reads and writes, on the reader-thread path over the test kit's in-memory devices:
 * every buffer the channel or a handler takes from the channel's allocator is freed exactly once, whether the
 * packets go on (written back as they came, as slices, as composites, twice in one flush) or the channel closes in
 * the middle of a batch. {@link CountingAllocator} counts; Netty's leak detector runs at its paranoid level, so
 * that every buffer comes wrapped as an application would see it then.
 */
class TunTapChannelBuffersTest {
    private static final long WAIT_SECONDS = 20;

    private ResourceLeakDetector.Level level;
    private MemoryDevicePair<TunDevice> pair;
    private EventLoopGroup group;
    private final CountingAllocator alloc = new CountingAllocator();
    private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws TunTapException {
        level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        pair = MemoryDevices.tunPair();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        pair.close();
        ResourceLeakDetector.setLevel(level);
    }

    private TunTapChannel channel(ChannelInboundHandlerAdapter handler) throws InterruptedException {
        TunTapChannel channel = new TunTapChannel(pair.first());
        channel.config().setAllocator(alloc);
        channel.config().setBatchSize(8);
        channel.pipeline().addLast(handler, new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
        group.register(channel).sync();
        return channel;
    }

    private static byte[] packet(int i, int payload) throws Exception {
        return Packets.icmpv4EchoRequest((Inet4Address) InetAddress.getByName("10.0.0.2"),
                (Inet4Address) InetAddress.getByName("10.0.0.1"), 7, i, new byte[payload]);
    }

    /**
     * Writes each packet read back to the device: as it came (sent in place), as a slice of itself (copied), as a
     * composite of two parts (copied), or twice in one flush (the second copied, since both share one view).
     */
    private static final class Reflector extends ChannelInboundHandlerAdapter {
        private int count;
        final List<Integer> badCounts = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf packet = (ByteBuf) msg;
            if (packet.refCnt() != 1) {
                badCounts.add(packet.refCnt());
            }
            switch (count++ % 4) {
                case 0 -> ctx.write(packet);
                case 1 -> {
                    ctx.write(packet.retainedSlice());
                    packet.release();
                }
                case 2 -> {
                    int half = packet.readableBytes() / 2;
                    CompositeByteBuf parts = ctx.alloc().compositeDirectBuffer(2);
                    parts.addComponent(true, ctx.alloc().directBuffer(half).writeBytes(packet, half));
                    parts.addComponent(true, ctx.alloc().directBuffer(packet.readableBytes())
                            .writeBytes(packet));
                    packet.release();
                    ctx.write(parts);
                }
                default -> {
                    ctx.write(packet.retain());
                    ctx.write(packet);
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    @Test
    void everyBufferReadOrWrittenIsFreedExactlyOnce() throws Exception {
        Reflector reflector = new Reflector();
        TunTapChannel channel = channel(reflector);
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] p = packet(i, i * 13 % 1400);
            pair.second().write(p);
            expected.add(p);
            if (i % 4 == 3) {
                expected.add(p);
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        for (int i = 0; i < expected.size(); i++) {
            buffer.clear();
            assertTrue(pair.second().read(buffer, Duration.ofSeconds(WAIT_SECONDS)) > 0, "packet " + i + " never came");
            assertArrayEquals(expected.get(i), Arrays.copyOf(buffer.array(), buffer.position()), "packet " + i);
        }
        channel.close().sync();
        assertTrue(errors.isEmpty(), () -> "errors: " + errors);
        assertEquals(List.of(), channel.eventLoop().submit(() -> reflector.badCounts).get(),
                "reference counts of packets as they arrived");
        alloc.assertEachFreedOnce(WAIT_SECONDS);
        // 100 packets, their slices' and composites' parts, and the batch's unused buffers at least.
        assertTrue(alloc.made() >= 100 + 8, alloc.made() + " buffers made");
    }

    @Test
    void aHandlerThatClosesTheChannelInTheMiddleOfABatchLeavesNoBufferBehind() throws Exception {
        BlockingQueue<byte[]> read = new LinkedBlockingQueue<>();
        // The packets are queued before the channel reads, so that its first batch is full.
        for (int i = 0; i < 20; i++) {
            pair.second().write(packet(i, 100));
        }
        TunTapChannel channel = channel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf packet = (ByteBuf) msg;
                read.add(ByteBufUtil.getBytes(packet));
                packet.release();
                if (read.size() == 3) {
                    ctx.close();
                }
            }
        });
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(3, read.size(), "packets delivered after the handler closed the channel");
        alloc.assertEachFreedOnce(WAIT_SECONDS);
    }

    @Test
    void aPacketLargerThanTheBuffersIsReportedAndTheNextOneFits() throws Exception {
        // The channel's buffers fit a packet of the device's MTU with room for a link header; the far end, with a
        // larger MTU, sends one of 3000 bytes.
        pair.second().setMtu(9000);
        BlockingQueue<byte[]> read = new LinkedBlockingQueue<>();
        channel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf packet = (ByteBuf) msg;
                read.add(ByteBufUtil.getBytes(packet));
                packet.release();
            }
        });
        byte[] large = packet(1, 3000 - 28);
        pair.second().write(large);
        Throwable error = errors.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertInstanceOf(PacketTooLargeException.class, error);
        assertEquals(3000, ((PacketTooLargeException) error).packetLength());
        pair.second().write(large);
        byte[] got = read.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(got, "the second packet of 3000 bytes never came");
        assertArrayEquals(large, got);
    }
}
