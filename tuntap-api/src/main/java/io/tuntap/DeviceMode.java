// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** The layer a device works at. */
public enum DeviceMode {
    /** Layer 3: every packet is a bare IPv4 or IPv6 packet, with no link-layer or packet-info header. */
    TUN,
    /** Layer 2: every packet is a whole Ethernet frame (destination MAC first, no FCS). */
    TAP
}
