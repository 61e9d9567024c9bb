// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * A layer-3 device: every packet read or written is a bare IPv4 or IPv6 packet, on every operating system.
 * Open one with {@link TunTap#openTun(String)} or {@link TunTap#open(DeviceConfig)}.
 */
public interface TunDevice extends TunTapDevice {
}
