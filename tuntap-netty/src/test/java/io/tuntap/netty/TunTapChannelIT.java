// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceEvent;
import io.tuntap.TunDevice;
import io.tuntap.TunTapException;
import io.tuntap.testkit.EchoResponder;
import io.tuntap.testkit.Packets;
import io.tuntap.testkit.RealDevices;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The channel on real devices in the test's own network namespace, on both read paths: registered with Netty's
 * epoll event loop, and fed by a reader thread on an NIO event loop. Waits are generous: the machine may be busy.
 */
@Tag("privileged")
@RequiresRealDevice(programs = {"ping", "ip"})
class TunTapChannelIT {
    private static final long WAIT_SECONDS = 20;

    /** Answers pings with the test kit's responder, and keeps what else comes down the pipeline. */
    static final class Pinged extends ChannelInboundHandlerAdapter {
        private final EchoResponder responder = EchoResponder.forTun();
        final AtomicInteger answered = new AtomicInteger();
        final BlockingQueue<ByteBuffer> packets = new LinkedBlockingQueue<>();
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        final AtomicInteger inactive = new AtomicInteger();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf packet = (ByteBuf) msg;
            packets.add(ByteBuffer.wrap(ByteBufUtil.getBytes(packet)));
            try {
                ByteBuf reply = ctx.alloc().directBuffer(packet.readableBytes() + 64);
                int n = responder.respond(packet.nioBuffer(), reply.nioBuffer(0, reply.capacity()));
                if (n > 0) {
                    reply.writerIndex(n);
                    ctx.write(reply);
                    answered.incrementAndGet();
                } else {
                    reply.release();
                }
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.incrementAndGet();
        }
    }

    private static EventLoopGroup group(boolean epoll) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(1, factory);
    }

    private static TunDevice open(TestNetwork net, String subnet) throws TunTapException {
        return net.openTun(DeviceConfig.tun().name(RealDevices.uniqueName("nt")).address(subnet + ".1/24").build());
    }

    private static void pingAnswered(TestNetwork net, String subnet, Pinged handler) throws Exception {
        TestNetwork.Result ping = net.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", subnet + ".2");
        assertEquals(0, ping.exitCode(), ping.output());
        assertTrue(handler.answered.get() >= 3, "answered " + handler.answered.get());
        assertTrue(handler.errors.isEmpty(), () -> "errors: " + handler.errors);
    }

    /** One path under test: its device, channel (registered, with a {@link Pinged} handler) and event loop. */
    record Path(boolean epoll, String subnet, TunDevice tun, TunTapChannel channel, Pinged handler,
            EventLoopGroup group) {
    }

    /** What a test does on each path. */
    interface Scenario {
        void run(Path path) throws Exception;
    }

    /**
     * Runs {@code scenario} on the epoll path, then on the reader-thread path, each with a device of its own in
     * subnet {@code 10.77.firstSubnet} and the next one.
     */
    private static void onBothPaths(TestNetwork net, int firstSubnet, boolean autoRead, Scenario scenario)
            throws Exception {
        onBothPaths(net, firstSubnet, autoRead, () -> PooledByteBufAllocator.DEFAULT, scenario);
    }

    /** As {@link #onBothPaths(TestNetwork, int, boolean, Scenario)}, each channel with an allocator of its own. */
    private static void onBothPaths(TestNetwork net, int firstSubnet, boolean autoRead,
            Supplier<ByteBufAllocator> allocators, Scenario scenario) throws Exception {
        for (boolean epoll : List.of(true, false)) {
            String subnet = "10.77." + (firstSubnet + (epoll ? 0 : 1));
            EventLoopGroup group = group(epoll);
            try {
                TunDevice tun = open(net, subnet);
                TunTapChannel channel = new TunTapChannel(tun);
                channel.config().setAutoRead(autoRead);
                channel.config().setAllocator(allocators.get());
                Pinged handler = new Pinged();
                channel.pipeline().addLast(handler);
                group.register(channel).sync();
                assertEquals(epoll, channel.isEventLoopNative());
                scenario.run(new Path(epoll, subnet, tun, channel, handler, group));
            } catch (AssertionError e) {
                throw new AssertionError((epoll ? "epoll event loop: " : "reader thread: ") + e.getMessage(), e);
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        }
    }

    @Test
    void pingIsAnswered(TestNetwork net) throws Exception {
        onBothPaths(net, 1, true, p -> pingAnswered(net, p.subnet(), p.handler()));
    }

    @Test
    void deviceEventsArriveAsUserEvents(TestNetwork net) throws Exception {
        onBothPaths(net, 3, true, p -> {
            int mtu = p.tun().mtu() - 100;
            p.tun().setMtu(mtu);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            Object event;
            do {
                event = p.handler().events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } while (event != null && !(event instanceof DeviceEvent.MtuChanged));
            assertEquals(new DeviceEvent.MtuChanged(mtu), event);
        });
    }

    @Test
    void closingTheChannelClosesTheDeviceAndTheInterfaceGoes(TestNetwork net) throws Exception {
        onBothPaths(net, 5, true, p -> {
            assertEquals(0, net.exec("ip", "link", "show", "dev", p.tun().name()).exitCode());
            p.channel().close().sync();
            assertFalse(p.channel().isOpen());
            assertFalse(p.tun().isOpen());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (p.handler().inactive.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // channelInactive comes in a task after the close
            }
            assertEquals(1, p.handler().inactive.get());
            assertNotEquals(0, net.exec("ip", "link", "show", "dev", p.tun().name()).exitCode(),
                    "the interface is still there after its only handle closed");
            assertTrue(p.handler().errors.isEmpty(), () -> "errors: " + p.handler().errors);
        });
    }

    @Test
    void shuttingTheEventLoopDownClosesTheChannel(TestNetwork net) throws Exception {
        onBothPaths(net, 7, true, p -> {
            p.group().shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            assertTrue(p.channel().closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertFalse(p.tun().isOpen());
        });
    }

    @Test
    void aPacketTheDeviceRefusesFailsItsWriteAndTheChannelGoesOn(TestNetwork net) throws Exception {
        onBothPaths(net, 9, true, p -> {
            // First nibble 1: neither IPv4 nor IPv6, which a TUN write refuses (PacketChannel's contract).
            ChannelFuture write = p.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x10, 0, 0, 20}));
            assertTrue(write.await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(TunTapException.class, write.cause());
            assertTrue(p.channel().isOpen());
            pingAnswered(net, p.subnet(), p.handler());
        });
    }

    @Test
    void withAutoReadOffPacketsWaitForRead(TestNetwork net) throws Exception {
        onBothPaths(net, 11, false, p -> {
            // One ping goes unanswered: nothing asked for it, so the packet stays in the queue.
            net.exec("ping", "-c", "1", "-W", "1", p.subnet() + ".2");
            assertNull(p.handler().packets.poll(1, TimeUnit.SECONDS));
            // The kernel may have queued packets of its own first: read until the echo request comes.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            boolean echo = false;
            while (!echo && System.nanoTime() < deadline) {
                p.channel().read();
                ByteBuffer packet = p.handler().packets.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                echo = packet != null && Packets.parseEcho(packet).isPresent();
            }
            assertTrue(echo, "no echo request read after read()");
        });
    }

    @Test
    void everyBufferOfRealTrafficIsFreedExactlyOnce(TestNetwork net) throws Exception {
        onBothPaths(net, 13, true, CountingAllocator::new, p -> {
            // Requests read into the channel's buffers, replies from the handler's: all from the counting allocator.
            TestNetwork.Result ping = net.exec("ping", "-c", "20", "-i", "0.05", "-s", "1200", "-W", "5",
                    p.subnet() + ".2");
            assertEquals(0, ping.exitCode(), ping.output());
            p.channel().close().sync();
            assertTrue(p.handler().errors.isEmpty(), () -> "errors: " + p.handler().errors);
            assertTrue(p.handler().answered.get() >= 20, "answered " + p.handler().answered.get());
            ((CountingAllocator) p.channel().config().getAllocator()).assertEachFreedOnce(WAIT_SECONDS);
        });
    }
}
