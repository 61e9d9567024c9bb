// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

/**
 * Constants of {@code <linux/if_tun.h>} and {@code <linux/virtio_net.h>}. ioctl numbers are the x86/arm
 * encodings ({@code _IOW(type, nr, size)} = {@code 1 << 30 | size << 16 | type << 8 | nr}); a golden test
 * recomputes each from its definition.
 */
public final class IfTun {
    private IfTun() {
    }

    /** The clone device: opening it and calling {@link #TUNSETIFF} creates or attaches an interface. */
    public static final String CLONE_DEVICE = "/dev/net/tun";

    /** {@code _IOW('T', 202, int)}: create or attach; takes a {@code struct ifreq}, writes the name back. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOW('T', 203, int)}: value 1 keeps the device after the last close, 0 undoes it. */
    public static final long TUNSETPERSIST = 0x400454cbL;
    /** {@code _IOW('T', 204, int)}: the uid that may attach without CAP_NET_ADMIN (by value). */
    public static final long TUNSETOWNER = 0x400454ccL;
    /** {@code _IOW('T', 206, int)}: the gid whose members may attach without CAP_NET_ADMIN (by value). */
    public static final long TUNSETGROUP = 0x400454ceL;
    /** {@code _IOR('T', 207, unsigned int)}: the IFF_* flags this kernel accepts; works before TUNSETIFF. */
    public static final long TUNGETFEATURES = 0x800454cfL;
    /** {@code _IOW('T', 208, unsigned int)}: which offloads user space accepts (TUN_F_*, by value). */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code _IOR('T', 210, unsigned int)}: name and current flags (including IFF_PERSIST) of the attached device. */
    public static final long TUNGETIFF = 0x800454d2L;
    /** {@code _IOR('T', 215, int)}: the virtio-net header size the queue uses (pointer to int). */
    public static final long TUNGETVNETHDRSZ = 0x800454d7L;
    /** {@code _IOW('T', 216, int)}: the virtio-net header size (pointer to int; at least 10). */
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;
    /** {@code _IOW('T', 217, int)}: attach or detach this queue ({@code ifreq} with IFF_ATTACH_QUEUE/IFF_DETACH_QUEUE). */
    public static final long TUNSETQUEUE = 0x400454d9L;
    /** {@code _IOW('T', 226, int)}: the argument points to an int, 1 for carrier on (Linux 5.0+). */
    public static final long TUNSETCARRIER = 0x400454e2L;

    /** Layer 3: IP packets. */
    public static final short IFF_TUN = 0x0001;
    /** Layer 2: Ethernet frames. */
    public static final short IFF_TAP = 0x0002;
    /** One fd per queue. */
    public static final short IFF_MULTI_QUEUE = 0x0100;
    /** For TUNSETQUEUE: enable this queue. */
    public static final short IFF_ATTACH_QUEUE = 0x0200;
    /** For TUNSETQUEUE: disable this queue. */
    public static final short IFF_DETACH_QUEUE = 0x0400;
    /** Read-only, from TUNGETIFF: the device is persistent. */
    public static final short IFF_PERSIST = 0x0800;
    /** No 4-byte {@code struct tun_pi} before each packet. */
    public static final short IFF_NO_PI = 0x1000;
    /** Every packet starts with a {@code struct virtio_net_hdr}. */
    public static final short IFF_VNET_HDR = 0x4000;
    /** Fail with EBUSY if the named device exists. */
    public static final short IFF_TUN_EXCL = (short) 0x8000;

    /** User space accepts packets with partial checksums. */
    public static final int TUN_F_CSUM = 0x01;
    /** TCP segmentation offload, IPv4. */
    public static final int TUN_F_TSO4 = 0x02;
    /** TCP segmentation offload, IPv6. */
    public static final int TUN_F_TSO6 = 0x04;
    /** UDP segmentation offload, IPv4 (Linux 6.2+; only together with USO6). */
    public static final int TUN_F_USO4 = 0x20;
    /** UDP segmentation offload, IPv6 (Linux 6.2+; only together with USO4). */
    public static final int TUN_F_USO6 = 0x40;

    /** {@code sizeof(struct virtio_net_hdr)}. */
    public static final int VIRTIO_NET_HDR_SIZE = 10;
}
