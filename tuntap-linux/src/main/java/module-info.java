// SPDX-License-Identifier: Apache-2.0
/**
 * The Linux backend: TUN and TAP devices through {@code /dev/net/tun}, configured over rtnetlink.
 */
module io.tuntap.linux {
    requires transitive io.tuntap.api;
    requires io.tuntap.posix;
    requires com.sun.jna;

    exports io.tuntap.linux;
    // JNA registers the native methods of the direct-mapped class reflectively.
    opens io.tuntap.linux.jna to com.sun.jna;

    provides io.tuntap.spi.TunTapProvider with io.tuntap.linux.LinuxTunTapProvider;
}
