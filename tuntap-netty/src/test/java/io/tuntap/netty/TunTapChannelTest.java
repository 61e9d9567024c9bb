// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ResourceLeakDetector;
import io.tuntap.DeviceEvent;
import io.tuntap.LinkDownException;
import io.tuntap.PacketChannel;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

/**
 * The channel over the test kit's in-memory devices, on an NIO event loop: the reader-thread path, the one every
 * operating system but Linux with epoll takes. The far end of the pair plays the network.
 *
 * <p>Who releases the buffers of reads and writes: every buffer the channel or a handler takes from the channel's
 * allocator is freed exactly once, whether the packets go on (written back as they came, as slices, as
 * composites, twice in one flush) or the channel closes in the middle of a batch. {@link CountingAllocator}
 * counts; Netty's leak detector runs at its paranoid level, so that every buffer comes wrapped as an application
 * would see it then.
 */
class TunTapChannelTest {
    private static final long WAIT_SECONDS = 20;

    private MemoryDevicePair<TunDevice> pair;
    private EventLoopGroup group;
    private final BlockingQueue<byte[]> read = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private ResourceLeakDetector.Level level;
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

    private TunTapChannel channel(boolean autoRead) throws InterruptedException {
        TunTapChannel channel = new TunTapChannel(pair.first());
        channel.config().setAutoRead(autoRead);
        channel.config().setBatchSize(8);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                assertTrue(b.isDirect());
                read.add(ByteBufUtil.getBytes(b));
                b.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                events.add(event);
            }
        });
        group.register(channel).sync();
        return channel;
    }

    private static byte[] packet(int i) throws Exception {
        return Packets.icmpv4EchoRequest((Inet4Address) InetAddress.getByName("10.0.0.2"),
                (Inet4Address) InetAddress.getByName("10.0.0.1"), 7, i, new byte[i % 100]);
    }

    @Test
    void packetsFromTheDeviceArriveWholeAndInOrderAcrossBatches() throws Exception {
        TunTapChannel channel = channel(true);
        assertFalse(channel.isEventLoopNative());
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(packet(i));
            pair.second().write(sent.get(i));
        }
        for (int i = 0; i < 100; i++) {
            byte[] got = read.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(got, "packet " + i + " never came");
            assertArrayEquals(sent.get(i), got, "packet " + i);
        }
    }

    @Test
    void aBatchWhosePacketsWentAfterTheFailedOneSendsNoneOfThemTwice() throws Exception {
        // What an unchained io_uring batch can report: packets 0, 1 and 3 went, 2 failed, 4 and 5 did not go.
        PacketChannel real = pair.first().queues().get(0);
        PacketChannel scripted = mock(PacketChannel.class, AdditionalAnswers.delegatesTo(real));
        AtomicBoolean once = new AtomicBoolean();
        doAnswer(call -> {
            ByteBuffer[] srcs = call.getArgument(0);
            int count = call.getArgument(1);
            if (count < 6 || !once.compareAndSet(false, true)) {
                return real.writePackets(srcs, count);
            }
            for (int i : new int[] {0, 1, 3}) {
                real.write(srcs[i]);
            }
            throw new LinkDownException("writePackets", 0, "the link went down and up during the batch");
        }).when(scripted).writePackets(any(), anyInt());
        TunDevice device = mock(TunDevice.class, AdditionalAnswers.delegatesTo(pair.first()));
        doReturn(List.of(scripted)).when(device).queues();
        TunTapChannel channel = new TunTapChannel(device);
        channel.config().setBatchSize(8);
        group.register(channel).sync();

        List<ChannelFuture> writes = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(packet(i));
            writes.add(channel.write(Unpooled.wrappedBuffer(sent.get(i))));
        }
        channel.flush();
        for (int i = 0; i < 6; i++) {
            assertTrue(writes.get(i).await(WAIT_SECONDS, TimeUnit.SECONDS), "write " + i);
            if (i == 2) {
                assertInstanceOf(LinkDownException.class, writes.get(i).cause());
            } else {
                assertNull(writes.get(i).cause(), "write " + i);
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        for (int i : new int[] {0, 1, 3, 4, 5}) {
            buffer.clear();
            assertTrue(pair.second().read(buffer, Duration.ofSeconds(WAIT_SECONDS)) > 0, "packet " + i);
            assertArrayEquals(sent.get(i), Arrays.copyOf(buffer.array(), buffer.position()), "packet " + i);
        }
        buffer.clear();
        assertEquals(0, pair.second().read(buffer, Duration.ofMillis(200)), "a packet went twice");
        assertTrue(channel.isOpen());
    }

    @Test
    void buffersWrittenLeaveTheDeviceAsPacketsAndARefusedOneFailsOnlyItsWrite() throws Exception {
        TunTapChannel channel = channel(true);
        List<ChannelFuture> writes = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            if (i == 20) { // first nibble 1: not an IP packet, which a TUN device refuses
                writes.add(channel.write(Unpooled.wrappedBuffer(new byte[] {0x10, 0, 0, 4})));
            }
            sent.add(packet(i));
            writes.add(channel.write(Unpooled.wrappedBuffer(sent.get(i))));
        }
        channel.flush();
        for (int i = 0; i < writes.size(); i++) {
            assertTrue(writes.get(i).await(WAIT_SECONDS, TimeUnit.SECONDS), "write " + i);
            if (i == 20) {
                assertInstanceOf(TunTapException.class, writes.get(i).cause());
            } else {
                assertNull(writes.get(i).cause(), "write " + i);
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        for (int i = 0; i < 50; i++) {
            buffer.clear();
            assertTrue(pair.second().read(buffer, Duration.ofSeconds(WAIT_SECONDS)) > 0, "packet " + i);
            assertArrayEquals(sent.get(i), java.util.Arrays.copyOf(buffer.array(), buffer.position()), "packet " + i);
        }
        assertTrue(channel.isOpen());
    }

    @Test
    void withAutoReadOffNothingIsReadUntilRead() throws Exception {
        TunTapChannel channel = channel(false);
        pair.second().write(packet(1));
        assertNull(read.poll(500, TimeUnit.MILLISECONDS));
        channel.read();
        assertArrayEquals(packet(1), read.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        pair.second().write(packet(2));
        assertNull(read.poll(500, TimeUnit.MILLISECONDS), "a second packet came without a second read()");
        channel.read();
        assertArrayEquals(packet(2), read.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void deviceEventsComeDownThePipeline() throws Exception {
        channel(true);
        pair.first().setMtu(1400);
        Object event;
        do {
            event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        } while (event != null && !(event instanceof DeviceEvent.MtuChanged));
        assertEquals(new DeviceEvent.MtuChanged(1400), event);
    }

    @Test
    void closingTheChannelClosesTheDeviceAndEndsTheReaderThread() throws Exception {
        List<Thread> threads = new ArrayList<>();
        TunTapChannel channel = new TunTapChannel(pair.first());
        channel.config().setReaderThreadFactory(r -> {
            Thread t = new Thread(r, "reader-under-test");
            threads.add(t);
            return t;
        });
        group.register(channel).sync();
        channel.close().sync();
        assertFalse(pair.first().isOpen());
        assertEquals(1, threads.size());
        threads.get(0).join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(threads.get(0).isAlive(), "the reader thread outlived its channel");
    }

    @Test
    void shuttingTheEventLoopDownClosesTheChannelAndTheDevice() throws Exception {
        TunTapChannel channel = channel(true);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertFalse(pair.first().isOpen());
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
        // 100 packets and the parts of 25 composites at least.
        assertTrue(alloc.made() >= 100 + 50, alloc.made() + " buffers made");
    }

    @Test
    void aHandlerThatClosesTheChannelInTheMiddleOfABatchLeavesNoBufferBehind() throws Exception {
        BlockingQueue<byte[]> delivered = new LinkedBlockingQueue<>();
        // The packets are queued before the channel reads, so that its first batch is full.
        for (int i = 0; i < 20; i++) {
            pair.second().write(packet(i, 100));
        }
        TunTapChannel channel = channel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf packet = (ByteBuf) msg;
                delivered.add(ByteBufUtil.getBytes(packet));
                packet.release();
                if (delivered.size() == 3) {
                    ctx.close();
                }
            }
        });
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(3, delivered.size(), "packets delivered after the handler closed the channel");
        alloc.assertEachFreedOnce(WAIT_SECONDS);
    }
}
