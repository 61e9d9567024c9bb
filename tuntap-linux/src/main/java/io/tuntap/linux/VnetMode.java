// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

/** How a queue treats the {@code virtio_net_hdr} that IFF_VNET_HDR puts before every packet. */
enum VnetMode {
    /** No header: the device was opened without IFF_VNET_HDR. */
    NONE,
    /** Header present; the queue hides it: super-packets are split on read, segments coalesced on write. */
    SPLIT,
    /** Header present and handed to the user as it is ({@link io.tuntap.Offload#VIRTIO_NET_HDR}). */
    RAW
}
