// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The channel on real devices in the test's own network namespace, on both read paths: registered with Netty's
 * epoll event loop, and fed by a reader thread on an NIO event loop. Waits are generous: the machine may be busy.
 */
@Tag("privileged")
@RequiresRealDevice(programs = "ping")
class TunTapChannelIT {
    private static final long WAIT_SECONDS = 20;

    /** Answers pings with the test kit's responder, and keeps what else comes down the pipeline. */
    static final class Pinged extends ChannelInboundHandlerAdapter {
        private final EchoResponder responder = EchoResponder.forTun();
        final AtomicInteger answered = new AtomicInteger();
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        final AtomicInteger inactive = new AtomicInteger();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf packet = (ByteBuf) msg;
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

    @Test
    void pingIsAnsweredThroughTheEpollEventLoop(TestNetwork net) throws Exception {
        pingIsAnswered(net, true, "10.77.1");
    }

    @Test
    void pingIsAnsweredThroughTheReaderThread(TestNetwork net) throws Exception {
        pingIsAnswered(net, false, "10.77.2");
    }

    private static void pingIsAnswered(TestNetwork net, boolean epoll, String subnet) throws Exception {
        EventLoopGroup group = group(epoll);
        try {
            TunDevice tun = open(net, subnet);
            TunTapChannel channel = new TunTapChannel(tun);
            Pinged handler = new Pinged();
            channel.pipeline().addLast(handler);
            group.register(channel).sync();
            assertEquals(epoll, channel.isEventLoopNative());
            pingAnswered(net, subnet, handler);
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void deviceEventsArriveAsUserEvents(TestNetwork net) throws Exception {
        for (boolean epoll : List.of(true, false)) {
            EventLoopGroup group = group(epoll);
            try {
                TunDevice tun = open(net, epoll ? "10.77.3" : "10.77.4");
                TunTapChannel channel = new TunTapChannel(tun);
                Pinged handler = new Pinged();
                channel.pipeline().addLast(handler);
                group.register(channel).sync();
                int mtu = tun.mtu() - 100;
                tun.setMtu(mtu);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                Object event;
                do {
                    event = handler.events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } while (event != null && !(event instanceof DeviceEvent.MtuChanged));
                assertEquals(new DeviceEvent.MtuChanged(mtu), event, "epoll " + epoll);
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        }
    }

    @Test
    void closingTheChannelClosesTheDeviceAndTheInterfaceGoes(TestNetwork net) throws Exception {
        for (boolean epoll : List.of(true, false)) {
            EventLoopGroup group = group(epoll);
            try {
                TunDevice tun = open(net, epoll ? "10.77.5" : "10.77.6");
                TunTapChannel channel = new TunTapChannel(tun);
                Pinged handler = new Pinged();
                channel.pipeline().addLast(handler);
                group.register(channel).sync();
                assertEquals(0, net.exec("ip", "link", "show", "dev", tun.name()).exitCode());
                channel.close().sync();
                assertFalse(channel.isOpen());
                assertFalse(tun.isOpen());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                while (handler.inactive.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // channelInactive comes in a task after the close
                }
                assertEquals(1, handler.inactive.get());
                assertNotEquals(0, net.exec("ip", "link", "show", "dev", tun.name()).exitCode(),
                        "the interface is still there after its only handle closed");
                assertTrue(handler.errors.isEmpty(), () -> "errors: " + handler.errors);
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        }
    }

    @Test
    void shuttingTheEventLoopDownClosesTheChannel(TestNetwork net) throws Exception {
        for (boolean epoll : List.of(true, false)) {
            EventLoopGroup group = group(epoll);
            TunDevice tun = open(net, epoll ? "10.77.7" : "10.77.8");
            TunTapChannel channel = new TunTapChannel(tun);
            channel.pipeline().addLast(new Pinged());
            group.register(channel).sync();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS), "epoll " + epoll);
            assertFalse(tun.isOpen(), "epoll " + epoll);
        }
    }

    @Test
    void aPacketTheDeviceRefusesFailsItsWriteAndTheChannelGoesOn(TestNetwork net) throws Exception {
        for (boolean epoll : List.of(true, false)) {
            EventLoopGroup group = group(epoll);
            try {
                String subnet = epoll ? "10.77.9" : "10.77.10";
                TunDevice tun = open(net, subnet);
                TunTapChannel channel = new TunTapChannel(tun);
                Pinged handler = new Pinged();
                channel.pipeline().addLast(handler);
                group.register(channel).sync();
                // First nibble 1: neither IPv4 nor IPv6, which a TUN write refuses (PacketChannel's contract).
                ChannelFuture write = channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x10, 0, 0, 20}));
                assertTrue(write.await(WAIT_SECONDS, TimeUnit.SECONDS));
                assertInstanceOf(TunTapException.class, write.cause(), "epoll " + epoll);
                assertTrue(channel.isOpen());
                pingAnswered(net, subnet, handler);
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        }
    }

    @Test
    void withAutoReadOffPacketsWaitForRead(TestNetwork net) throws Exception {
        for (boolean epoll : List.of(true, false)) {
            EventLoopGroup group = group(epoll);
            try {
                String subnet = epoll ? "10.77.11" : "10.77.12";
                TunDevice tun = open(net, subnet);
                TunTapChannel channel = new TunTapChannel(tun);
                channel.config().setAutoRead(false);
                BlockingQueue<ByteBuffer> packets = new LinkedBlockingQueue<>();
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        packets.add(ByteBuffer.wrap(ByteBufUtil.getBytes(b)));
                        b.release();
                    }
                });
                group.register(channel).sync();
                // One ping goes unanswered: nothing asked for it, so the packet stays in the queue.
                net.exec("ping", "-c", "1", "-W", "1", subnet + ".2");
                assertEquals(null, packets.poll(1, TimeUnit.SECONDS), "epoll " + epoll);
                // The kernel may have queued packets of its own first: read until the echo request comes.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                boolean echo = false;
                while (!echo && System.nanoTime() < deadline) {
                    channel.read();
                    ByteBuffer p = packets.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                    echo = p != null && Packets.parseEcho(p).isPresent();
                }
                assertTrue(echo, "epoll " + epoll + ": no echo request read after read()");
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        }
    }
}
