// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Builds the test packet every write benchmark sends: the same bytes as the C baseline's. */
final class Udp4 {
    /** 10.201.1.2: a source inside the benchmark namespace's TUN subnet. */
    static final int SOURCE = 0x0ac90102;
    /** 239.1.1.1: a multicast group nobody joined, so the stack drops the packet at route input. */
    static final int MULTICAST = 0xef010101;

    private Udp4() {
    }

    /** A direct buffer holding one IPv4/UDP packet of {@code size} bytes in all, UDP checksum 0. */
    static ByteBuffer packet(int size, int src, int dst) {
        ByteBuffer p = ByteBuffer.allocateDirect(size);
        p.put(0, (byte) 0x45);
        p.putShort(2, (short) size);
        p.put(6, (byte) 0x40); // don't fragment
        p.put(8, (byte) 64);
        p.put(9, (byte) 17);
        p.putInt(12, src);
        p.putInt(16, dst);
        p.putShort(10, checksum(p, 20));
        p.putShort(20, (short) 12345);
        p.putShort(22, (short) 9);
        p.putShort(24, (short) (size - 20));
        return p;
    }

    /**
     * Puts an IPv4/UDP packet from {@code src:srcPort} to {@code dst:dstPort} carrying {@code payload} at
     * {@code b}'s position (UDP checksum 0: none, which IPv4 allows).
     */
    static void put(ByteBuffer b, InetAddress src, int srcPort, InetAddress dst, int dstPort, byte[] payload) {
        int at = b.position();
        int size = 28 + payload.length;
        ByteBuffer p = b.slice(at, size);
        for (int i = 0; i < 28; i++) {
            p.put(i, (byte) 0);
        }
        p.put(0, (byte) 0x45);
        p.putShort(2, (short) size);
        p.put(6, (byte) 0x40);
        p.put(8, (byte) 64);
        p.put(9, (byte) 17);
        p.put(12, src.getAddress());
        p.put(16, dst.getAddress());
        p.putShort(10, checksum(p, 20));
        p.putShort(20, (short) srcPort);
        p.putShort(22, (short) dstPort);
        p.putShort(24, (short) (size - 20));
        p.put(28, payload);
        b.position(at + size);
    }

    /**
     * The UDP payload of the IPv4 packet {@code ip} (position to limit) if it goes from {@code src} to
     * {@code dst:dstPort}, else null.
     */
    static ByteBuffer payloadOf(ByteBuffer ip, InetAddress src, InetAddress dst, int dstPort) {
        int at = ip.position();
        if (ip.remaining() < 28 || ip.get(at) != 0x45 || ip.get(at + 9) != 17) {
            return null;
        }
        byte[] s = new byte[4];
        byte[] d = new byte[4];
        ip.get(at + 12, s);
        ip.get(at + 16, d);
        if (!java.util.Arrays.equals(s, src.getAddress()) || !java.util.Arrays.equals(d, dst.getAddress())
                || (ip.getShort(at + 22) & 0xffff) != dstPort) {
            return null;
        }
        int udpLength = ip.getShort(at + 24) & 0xffff;
        if (udpLength < 8 || 20 + udpLength > ip.remaining()) {
            return null;
        }
        return ip.slice(at + 28, udpLength - 8);
    }

    private static short checksum(ByteBuffer p, int length) {
        int sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += p.getShort(i) & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (short) ~sum;
    }
}
