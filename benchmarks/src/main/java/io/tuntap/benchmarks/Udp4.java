// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

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
