// SPDX-License-Identifier: Apache-2.0
/**
 * The Solaris and illumos backend: TUN and TAP devices through the third-party STREAMS tun/tap driver
 * ({@code /dev/tun}, {@code /dev/tap}), plumbed under IP with STREAMS ioctls and configured with {@code SIOCSLIF*}.
 */
module io.tuntap.solaris {
    requires transitive io.tuntap.api;
    requires io.tuntap.posix;
    requires com.sun.jna;

    exports io.tuntap.solaris;
    // JNA registers the native methods of the direct-mapped class reflectively.
    opens io.tuntap.solaris.jna to com.sun.jna;

    provides io.tuntap.spi.TunTapProvider with io.tuntap.solaris.SolarisTunTapProvider;
}
