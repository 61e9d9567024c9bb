// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.DeviceMode;
import io.tuntap.TunTapException;
import io.tuntap.linux.offload.VirtioNetHdr;
import java.nio.ByteBuffer;

/**
 * How long a packet on one Linux queue can be, by mode and virtio-net header: the longest a read can return, and
 * the check each write passes before its system call.
 */
final class LinuxPacketSizes {
    /** The largest packet a read can return: a 64 KiB IP packet plus an Ethernet header, rounded up. */
    static final int MAX_PACKET = 65536 + 64;
    /** The largest IP packet: the IPv4 total length and the IPv6 payload length are 16-bit fields. */
    static final int MAX_IP_PACKET = 65535;
    /** An IPv6 packet's fixed header, which its payload length does not count. */
    private static final int IPV6_HEADER = 40;
    /**
     * An Ethernet header: destination and source addresses and the type ({@code ETH_HLEN}:
     * include/uapi/linux/if_ether.h line 34, Linux 6.1).
     */
    private static final int ETHERNET_HEADER = 14;
    /** A VLAN-tagged Ethernet header: 14 bytes and a 4-byte 802.1Q tag. */
    private static final int TAGGED_ETHERNET_HEADER = 18;

    private final String deviceName;
    private final boolean tun;
    /** The length of the header in front of each packet the user writes: 10 in RAW mode, else 0. */
    private final int writeHeader;
    /** The longest buffer a write takes: an IPv6 packet on TUN (a frame on TAP), with its header in RAW mode. */
    private final int largestWrite;
    /** The longest packet a read can return: an IP packet, plus a VLAN-tagged Ethernet header on TAP, plus the
     * virtio-net header if there is one. */
    private final int largestRead;

    LinuxPacketSizes(String deviceName, DeviceMode mode, VnetMode vnet) {
        this.deviceName = deviceName;
        this.tun = mode == DeviceMode.TUN;
        this.writeHeader = vnet == VnetMode.RAW ? VirtioNetHdr.SIZE : 0;
        this.largestWrite = (tun ? MAX_IP_PACKET + IPV6_HEADER : MAX_PACKET) + writeHeader;
        this.largestRead = MAX_IP_PACKET + (tun ? 0 : TAGGED_ETHERNET_HEADER)
                + (vnet == VnetMode.NONE ? 0 : VirtioNetHdr.SIZE);
    }

    /** The longest packet a read can return on this queue. */
    int largestRead() {
        return largestRead;
    }

    /**
     * Throws what a write of {@code length} bytes from {@code src}'s {@code position} meets before the kernel would
     * take it: empty; on TUN, an IP version other than 4 or 6; on TAP, shorter than an Ethernet header; too long.
     * Each is decided by the packet's own bytes, so a batch can refuse such a packet before it submits anything
     * (the kernel's own checks, which these mirror, are in {@code tun_get_user()}, drivers/net/tun.c, gregkh/linux
     * 010eee265d6b: with {@code IFF_NO_PI}, a TUN packet whose first byte's high nibble is neither 4 nor 6 and a
     * TAP write of fewer than {@code ETH_HLEN} (14) bytes behind the virtio_net_hdr both return -EINVAL; the
     * kernel sets no upper limit of its own, beyond which the IP layer drops what it was given).
     */
    void checkWrite(ByteBuffer src, int position, int length) throws TunTapException {
        if (length == 0) {
            throw LinuxErrors.emptyWrite(deviceName);
        }
        int packet = length - writeHeader;
        int limit = largestWrite;
        if (tun) {
            if (packet < 1) {
                throw LinuxErrors.writeTooShort(deviceName, true, packet, 1, writeHeader);
            }
            int version = (src.get(position + writeHeader) & 0xf0) >>> 4;
            if (version != 4) {
                if (version != 6) {
                    throw LinuxErrors.notAnIpPacket(deviceName, version, writeHeader);
                }
            } else {
                limit -= IPV6_HEADER; // only IPv6 counts its fixed header outside the 16-bit length field
            }
        } else if (packet < ETHERNET_HEADER) {
            throw LinuxErrors.writeTooShort(deviceName, false, Math.max(packet, 0), ETHERNET_HEADER, writeHeader);
        }
        if (length > limit) {
            throw LinuxErrors.writeTooLarge(deviceName, tun, length, limit, MAX_IP_PACKET, writeHeader);
        }
    }
}
