// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.tuntap.TunTapDevice;
import io.tuntap.netty.TunTapChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code tunnel} command's UDP tunnel written as a Netty pipeline: a {@link TunTapChannel} and a UDP
 * {@link io.netty.channel.socket.DatagramChannel} connected to the peer, on one event loop. Each packet read from
 * the device goes out as one datagram, and each datagram received is written to the device as one packet; the
 * same wire format as {@code tunnel} and {@code socat UDP-DATAGRAM:... TUN:...,iff-no-pi}, so all of them
 * interoperate. Both handlers flush once per read batch.
 *
 * <p>On Linux the event loop is Netty's epoll loop, which watches the device and the socket itself: one thread
 * for the whole tunnel. Elsewhere it is NIO, and the device gets a reader thread.
 */
final class NettyTunnel implements AutoCloseable {
    private final EventLoopGroup group;
    private final TunTapChannel device;
    private final Channel socket;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private NettyTunnel(EventLoopGroup group, TunTapChannel device, Channel socket) {
        this.group = group;
        this.device = device;
        this.socket = socket;
    }

    /**
     * Starts forwarding between {@code device} and a UDP socket bound to {@code local} and connected to
     * {@code remote}. The socket is made on the calling thread, so inside a network namespace if the caller is.
     * The tunnel owns the device from now on.
     *
     * @param device an open TUN or TAP device
     * @param local the address the socket binds to
     * @param remote the peer's address
     * @return the running tunnel
     * @throws Exception if the socket cannot be bound or connected; the device is closed then
     */
    static NettyTunnel start(TunTapDevice device, InetSocketAddress local, InetSocketAddress remote)
            throws Exception {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        TunTapChannel tun = new TunTapChannel(device);
        try {
            Channel udp = new Bootstrap().group(group)
                    .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .handler(new SocketToDevice(tun))
                    .bind(local).sync().channel();
            udp.connect(remote).sync();
            NettyTunnel tunnel = new NettyTunnel(group, tun, udp);
            tun.pipeline().addLast(new DeviceToSocket(udp, tunnel.failure));
            udp.pipeline().addLast(new Failures(tunnel.failure));
            group.register(tun).sync();
            return tunnel;
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            device.close();
            throw e;
        }
    }

    /** {@return the first error that reached a pipeline's end, or null} */
    Throwable failure() {
        return failure.get();
    }

    /** Waits until either channel closes. */
    void await() throws InterruptedException {
        while (device.isOpen() && socket.isOpen()) {
            device.closeFuture().await(200);
        }
    }

    /** Closes both channels (and so the device) and stops the event loop. */
    @Override
    public void close() {
        socket.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        device.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Device to socket: each packet becomes one datagram to the connected peer. */
    private static final class DeviceToSocket extends Failures {
        private final Channel socket;

        DeviceToSocket(Channel socket, AtomicReference<Throwable> failure) {
            super(failure);
            this.socket = socket;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            socket.write(msg, socket.voidPromise()); // the socket releases the buffer once sent or dropped
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            socket.flush();
        }
    }

    /** Socket to device: each datagram's payload is written as one packet. */
    private static final class SocketToDevice extends SimpleChannelInboundHandler<DatagramPacket> {
        private final TunTapChannel device;

        SocketToDevice(TunTapChannel device) {
            super(false); // the payload goes on to the device, which releases it
            this.device = device;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
            ByteBuf payload = datagram.content();
            device.write(payload, device.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            device.flush();
        }
    }

    /** Keeps the first error of a pipeline (a packet the device refused, say): the tunnel goes on. */
    private static class Failures extends ChannelInboundHandlerAdapter {
        private final AtomicReference<Throwable> failure;

        Failures(AtomicReference<Throwable> failure) {
            this.failure = failure;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.compareAndSet(null, cause);
        }
    }
}
