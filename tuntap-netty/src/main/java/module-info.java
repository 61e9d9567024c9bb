// SPDX-License-Identifier: Apache-2.0
/**
 * A Netty 4 transport for TUN and TAP devices: {@link io.tuntap.netty.TunTapChannel}, one channel per queue of a
 * device opened with {@link io.tuntap.TunTap}. On Linux with an epoll event loop the queue's file descriptor is
 * registered with the loop itself; on any other event loop a reader thread per channel feeds it.
 */
module io.tuntap.netty {
    requires transitive io.tuntap.api;
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    // The Linux queue's file descriptor, when the Linux backend is there; never needed elsewhere.
    requires static io.tuntap.linux;

    exports io.tuntap.netty;
}
