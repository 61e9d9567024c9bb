// SPDX-License-Identifier: Apache-2.0
/**
 * Open a TUN (IP packets) or TAP (Ethernet frames) device with {@link io.tuntap.TunTap} and a
 * {@link io.tuntap.DeviceConfig}; read and write packets through {@link io.tuntap.PacketChannel}.
 *
 * <p>Every failure is a checked {@link io.tuntap.TunTapException} whose message names the native call, the
 * cause, and what to do about it.
 */
package io.tuntap;
