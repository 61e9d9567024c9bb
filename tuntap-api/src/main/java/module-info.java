// SPDX-License-Identifier: Apache-2.0
/**
 * The tuntap API: {@link io.tuntap.TunDevice} and {@link io.tuntap.TapDevice}, their configuration, their
 * errors, and the provider SPI that the per-OS backends implement. This module has no native code, and needs
 * nothing but the JDK.
 */
module io.tuntap.api {
    exports io.tuntap;
    exports io.tuntap.spi;

    uses io.tuntap.spi.TunTapProvider;
}
