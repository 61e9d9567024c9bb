// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The configuration of a {@link TunTapChannel}: Netty's own options plus {@link TunTapChannelOption#BATCH_SIZE}
 * and {@link TunTapChannelOption#READER_THREAD_FACTORY}. Packets are read in place into direct buffers of the
 * channel's {@link io.netty.buffer.ByteBufAllocator} ({@link ChannelOption#ALLOCATOR}; Netty's pooled allocator
 * unless set), each with room for a packet of the device's MTU. {@link ChannelOption#RCVBUF_ALLOCATOR} (and
 * the messages per read it carries) has no effect: a read takes up to a batch, and each buffer must hold a whole
 * packet.
 */
public final class TunTapChannelConfig extends DefaultChannelConfig {
    /** The largest {@link TunTapChannelOption#BATCH_SIZE}. */
    public static final int MAX_BATCH = 128;
    /** The default {@link TunTapChannelOption#BATCH_SIZE}. */
    public static final int DEFAULT_BATCH = 32;

    private volatile int batchSize = DEFAULT_BATCH;
    private volatile ThreadFactory readerThreads;

    TunTapChannelConfig(TunTapChannel channel) {
        super(channel);
        // Pooled direct buffers with per-thread caches: a packet's buffer comes from, and goes back to, the event
        // loop's cache. Netty 4.2's default allocator (adaptive) can be set with ChannelOption.ALLOCATOR instead.
        setAllocator(PooledByteBufAllocator.DEFAULT);
        readerThreads = new DefaultThreadFactory("tuntap-netty-" + channel.address().deviceName() + "-q"
                + channel.address().queue(), true);
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), TunTapChannelOption.BATCH_SIZE, TunTapChannelOption.READER_THREAD_FACTORY);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == TunTapChannelOption.BATCH_SIZE) {
            return (T) Integer.valueOf(batchSize);
        }
        if (option == TunTapChannelOption.READER_THREAD_FACTORY) {
            return (T) readerThreads;
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == TunTapChannelOption.BATCH_SIZE) {
            setBatchSize((Integer) value);
        } else if (option == TunTapChannelOption.READER_THREAD_FACTORY) {
            setReaderThreadFactory((ThreadFactory) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    /** {@return packets per read and per write call} */
    public int getBatchSize() {
        return batchSize;
    }

    /**
     * Sets the packets per read and per write call ({@link TunTapChannelOption#BATCH_SIZE}).
     *
     * @param batchSize 1 to {@value #MAX_BATCH}
     * @return this configuration
     * @throws IllegalArgumentException if out of range
     */
    public TunTapChannelConfig setBatchSize(int batchSize) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("batch size " + batchSize + " is outside 1.." + MAX_BATCH);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** {@return what makes the reader thread where the event loop cannot watch the device itself} */
    public ThreadFactory getReaderThreadFactory() {
        return readerThreads;
    }

    /**
     * Sets what makes the reader thread ({@link TunTapChannelOption#READER_THREAD_FACTORY}).
     *
     * @param factory the thread factory
     * @return this configuration
     */
    public TunTapChannelConfig setReaderThreadFactory(ThreadFactory factory) {
        this.readerThreads = Objects.requireNonNull(factory, "factory");
        return this;
    }
}
