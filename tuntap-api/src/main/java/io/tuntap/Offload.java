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
     * <p>A device is left with the offload settings it was found with, as Linux keeps them on the interface
     * after the handle closes, and a later plain reader (another program, or this one without offload)
     * would otherwise get 64 KB super-packets with unfinished checksums. So offload is switched on only for
     * a device whose whole life is this handle's: one that this open creates, not persistent. A TUN device
     * found with a virtio-net header keeps it, with its owner's offload settings; any other existing or
     * persistent device gets plain I/O, and its {@link TunTapDevice#capabilities()} then lack
     * {@link Capability#OFFLOAD}.
     */
    AUTO,
    /**
     * Offload on, and every packet read or written starts with the 10-byte Linux {@code virtio_net_hdr}
     * that describes it (segmentation type and size, checksum start and offset). For programs that forward
     * super-packets whole. Fails with {@link UnsupportedFeatureException} where the kernel refuses. On an
     * existing or persistent device without a virtio-net header this changes the device's offload settings
     * while the handle is open, and {@code close()} sets them back (not if the process dies first).
     */
    VIRTIO_NET_HDR
}
