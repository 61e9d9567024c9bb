// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * What a backend, or an open device, can do. Ask before relying on an optional feature: an unsupported one
 * fails with {@link UnsupportedFeatureException}.
 */
public enum Capability {
    /** Layer-3 devices ({@link DeviceMode#TUN}). */
    TUN,
    /** Layer-2 devices ({@link DeviceMode#TAP}). */
    TAP,
    /** The caller may choose the interface name. */
    CHOOSE_NAME,
    /** Several packet queues on one interface, one handle per queue. */
    MULTI_QUEUE,
    /** Devices that outlive the handle that created them. */
    PERSISTENT,
    /** A persistent device may be given to a user or group, who can then attach without privileges. */
    OWNER_AND_GROUP,
    /** Attach to a device that already exists. */
    ATTACH,
    /** MTU can be read and set. */
    MTU,
    /** The link can be brought up and down. */
    LINK_STATE,
    /** IPv4 addresses can be listed, added and removed. */
    IPV4_ADDRESSES,
    /** IPv6 addresses can be listed, added and removed. */
    IPV6_ADDRESSES,
    /** A TAP device's MAC address can be set. */
    SET_MAC_ADDRESS,
    /** Kernel segmentation and checksum offload (large packets, GSO/GRO). */
    OFFLOAD
}
