// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.tuntap.Offload;
import io.tuntap.netty.TunTapChannel;
import io.tuntap.netty.TunTapChannelOption;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A tuntap-netty channel on the existing device, on one epoll event loop thread (the loop watches the queue
 * itself), auto-read off until the scenario asks: the same set-up as {@link NettyTun} for netty-tun.
 */
final class NettyTuntap implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final EventLoopGroup group;
    final TunTapChannel channel;
    private final long loopThread;

    private NettyTuntap(EventLoopGroup group, TunTapChannel channel, long loopThread) {
        this.group = group;
        this.channel = channel;
        this.loopThread = loopThread;
    }

    static NettyTuntap open(String dev, int batch, ChannelHandler handler) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            TunTapChannel channel = new TunTapChannel(Devices.attach(dev, Offload.OFF));
            channel.config().setOption(TunTapChannelOption.BATCH_SIZE, batch);
            channel.config().setAutoRead(false);
            channel.pipeline().addLast(handler);
            group.register(channel).sync();
            if (!channel.isEventLoopNative()) {
                throw new IllegalStateException("the channel did not register with the epoll loop");
            }
            long thread = channel.eventLoop().submit(() -> Thread.currentThread().getId()).get();
            return new NettyTuntap(group, channel, thread);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** CPU time of the event loop's thread, in nanoseconds. */
    long loopCpuNanos() {
        return THREADS.getThreadCpuTime(loopThread);
    }

    /** Runs {@code action} on the channel's event loop and waits for it. */
    void inLoop(Consumer<TunTapChannel> action) throws InterruptedException {
        channel.eventLoop().submit(() -> action.accept(channel)).sync();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
