// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.tuntap.linux.LinuxNetworkNamespace;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.drasyl.channel.tun.TunAddress;
import org.drasyl.channel.tun.TunChannel;

/**
 * A drasyl netty-tun channel on one event loop thread. netty-tun opens the device on that thread when the
 * channel binds, so for a device in another network namespace the thread enters that namespace first.
 */
final class NettyTun implements AutoCloseable {
    private final EventLoopGroup group;
    final Channel channel;

    private NettyTun(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds a channel to the existing device {@code dev}, in namespace {@code netns} (null: the current one).
     * Auto-read is off when {@code handler} is null: netty-tun reads with a blocking call on the event loop
     * thread, which would otherwise keep every other task (such as writes) from running.
     */
    static NettyTun open(String netns, String dev, ChannelHandler handler) throws InterruptedException {
        ThreadFactory threads = task -> new Thread(() -> {
            try {
                if (netns != null) {
                    LinuxNetworkNamespace.enter(netns);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            task.run();
        }, "netty-tun-" + dev);
        // One DefaultEventLoop, the loop type netty-tun takes (its isCompatible), as a group of one.
        EventLoopGroup group = new DefaultEventLoop(threads);
        Bootstrap b = new Bootstrap().group(group).channel(TunChannel.class)
                .option(ChannelOption.AUTO_READ, handler != null)
                .handler(handler != null ? handler : new ChannelInboundHandlerAdapter());
        try {
            return new NettyTun(group, b.bind(new TunAddress(dev)).sync().channel());
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    static NettyTun open(String netns, String dev) throws InterruptedException {
        return open(netns, dev, null);
    }

    /** CPU time of the event loop's thread, in nanoseconds. */
    long loopCpuNanos() {
        try {
            long thread = channel.eventLoop().submit(() -> Thread.currentThread().getId()).get();
            return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(thread);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code action} on the channel's event loop and waits for it. */
    void inLoop(Consumer<Channel> action) throws InterruptedException {
        channel.eventLoop().submit(() -> action.accept(channel)).sync();
    }

    @Override
    public void close() {
        channel.close();
        group.shutdownGracefully();
    }
}
