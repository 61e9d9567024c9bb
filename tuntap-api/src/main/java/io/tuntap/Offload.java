// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * Kernel segmentation and checksum offload ({@link Capability#OFFLOAD}; Linux {@code IFF_VNET_HDR} with
 * {@code TUNSETOFFLOAD}). With offload the kernel hands over TCP and UDP super-packets of up to 64 KB and
 * takes them back, so one system call moves many packets: the largest lever on throughput.
 */
public enum Offload {
    /** No offload: one packet per system call. Use it where a kernel's offload misbehaves. */
    OFF,
    /**
     * Offload on where the kernel supports it, invisible to the user: reads split super-packets into
     * MTU-sized packets with correct headers and checksums, and {@link PacketChannel#writePackets} coalesces
     * segments of one flow. Packets look exactly as with {@link #OFF}. Falls back to {@link #OFF} when the
     * kernel refuses. The default.
     *
     * <p>Only on a device whose whole life is this handle's: one that this open creates, not persistent. On
     * Linux the offload settings belong to the interface and outlive the handle, and a later plain reader
     * (another program, or this one without offload) would get 64 KB super-packets with unfinished
     * checksums. So attaching to an existing device, or creating a persistent one, means plain I/O, and the
     * device's {@link TunTapDevice#capabilities()} then lack {@link Capability#OFFLOAD}: the device is left
     * as it was found.
     */
    AUTO,
    /**
     * Offload on, and every packet read or written starts with the 10-byte Linux {@code virtio_net_hdr}
     * that describes it (segmentation type and size, checksum start and offset). For programs that forward
     * super-packets whole. Fails with {@link UnsupportedFeatureException} where the kernel refuses, and with
     * {@link InvalidConfigurationException} on an existing or a persistent device (see {@link #AUTO}: the
     * change would outlive the handle).
     */
    VIRTIO_NET_HDR
}
