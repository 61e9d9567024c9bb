// SPDX-License-Identifier: Apache-2.0
/**
 * The FreeBSD, OpenBSD, NetBSD and macOS backend: TUN and TAP through {@code /dev/tun} and {@code /dev/tap},
 * and TUN on macOS through {@code utun}, configured with ioctls on sockets.
 */
module io.tuntap.bsd {
    requires transitive io.tuntap.api;
    requires io.tuntap.posix;
    requires com.sun.jna;

    exports io.tuntap.bsd;
    // JNA registers the native methods of the direct-mapped class and proxies the variadic interface.
    opens io.tuntap.bsd.jna to com.sun.jna;

    provides io.tuntap.spi.TunTapProvider with io.tuntap.bsd.FreeBsdTunTapProvider,
            io.tuntap.bsd.OpenBsdTunTapProvider, io.tuntap.bsd.NetBsdTunTapProvider,
            io.tuntap.bsd.MacOsTunTapProvider;
}
