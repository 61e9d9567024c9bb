// SPDX-License-Identifier: Apache-2.0
/**
 * The runnable examples: {@code demo}, {@code tunnel}, {@code echo}, {@code vpn-client} and {@code netty-tunnel}.
 * Usually run from the shaded jar on the class path, where this descriptor is left out; on the module path it names
 * what the examples use.
 */
module io.tuntap.examples {
    requires io.tuntap.api;
    requires io.tuntap.linux;
    requires io.tuntap.testkit;
    requires io.tuntap.netty;
    requires io.netty.common;
    requires io.netty.transport.classes.epoll;
}
