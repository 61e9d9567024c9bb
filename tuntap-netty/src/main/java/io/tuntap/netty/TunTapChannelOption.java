// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import io.netty.channel.ChannelOption;
import java.util.concurrent.ThreadFactory;

/** The options of a {@link TunTapChannel} beyond Netty's own ({@link ChannelOption#AUTO_READ} and the like). */
public final class TunTapChannelOption {
    /**
     * Packets per {@code readPackets} and per {@code writePackets} call, 1 to {@value TunTapChannelConfig#MAX_BATCH};
     * {@value TunTapChannelConfig#DEFAULT_BATCH} by default. Each packet of a read batch has room for the largest
     * packet the device can give, so the channel holds about {@code BATCH_SIZE * 64} KiB of native memory for
     * reads; set it before the channel is registered.
     */
    public static final ChannelOption<Integer> BATCH_SIZE = ChannelOption.valueOf(TunTapChannelOption.class,
            "BATCH_SIZE");

    /**
     * Makes the reader thread of a channel whose event loop cannot watch the device itself (every event loop but
     * Linux epoll): a platform daemon thread by default. A virtual thread factory suits where reads park virtual
     * threads. Set it before the channel is registered.
     */
    public static final ChannelOption<ThreadFactory> READER_THREAD_FACTORY = ChannelOption.valueOf(
            TunTapChannelOption.class, "READER_THREAD_FACTORY");

    private TunTapChannelOption() {
    }
}
