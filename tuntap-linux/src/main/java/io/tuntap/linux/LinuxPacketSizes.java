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

    /** Throws what a write of {@code length} bytes from {@code src}'s {@code position} meets: empty, too long. */
    void checkWrite(ByteBuffer src, int position, int length) throws TunTapException {
        if (length == 0) {
            throw LinuxErrors.emptyWrite(deviceName);
        }
        int limit = largestWrite;
        if (tun && length > limit - IPV6_HEADER && (src.get(position + writeHeader) & 0xf0) != 0x60) {
            limit -= IPV6_HEADER; // only IPv6 counts its fixed header outside the 16-bit length field
        }
        if (length > limit) {
            throw LinuxErrors.writeTooLarge(deviceName, tun, length, limit, MAX_IP_PACKET, writeHeader);
        }
    }
}
