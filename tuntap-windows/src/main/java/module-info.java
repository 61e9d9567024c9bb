// SPDX-License-Identifier: Apache-2.0
/**
 * The Windows backend: tap-windows6-compatible drivers (OpenVPN's {@code tap0901}, the project's
 * {@code tuntap6}) and Wintun, configured through IP Helper; never a subprocess.
 */
module io.tuntap.windows {
    requires transitive io.tuntap.api;
    requires com.sun.jna;
    requires com.sun.jna.platform;
    requires com.google.common;

    exports io.tuntap.windows;
    // JNA builds structures and registers direct-mapped natives reflectively.
    opens io.tuntap.windows.win32 to com.sun.jna;

    provides io.tuntap.spi.TunTapProvider with io.tuntap.windows.WintunProvider, io.tuntap.windows.TapWindowsProvider;
}
