// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tuntap.DeviceEvent;
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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The channel over the test kit's in-memory devices, on an NIO event loop: the reader-thread path, the one every
 * operating system but Linux with epoll takes. The far end of the pair plays the network.
 */
class TunTapChannelTest {
    private static final long WAIT_SECONDS = 20;

    private MemoryDevicePair<TunDevice> pair;
    private EventLoopGroup group;
    private final BlockingQueue<byte[]> read = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws TunTapException {
        pair = MemoryDevices.tunPair();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        pair.close();
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
}
