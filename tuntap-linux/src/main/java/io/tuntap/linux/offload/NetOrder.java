// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import java.nio.ByteBuffer;

/**
 * Network byte order (big-endian, RFC 791 appendix B) accessors that ignore the buffer's own
 * {@link ByteBuffer#order() order}, so callers may pass buffers in either order.
 */
final class NetOrder {

    private NetOrder() {
    }

    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    static int u16(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 8 | (b.get(i + 1) & 0xff);
    }

    static int i32(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 24 | (b.get(i + 1) & 0xff) << 16 | (b.get(i + 2) & 0xff) << 8
                | (b.get(i + 3) & 0xff);
    }

    static void put16(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 8));
        b.put(i + 1, (byte) v);
    }

    static void put32(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 24));
        b.put(i + 1, (byte) (v >>> 16));
        b.put(i + 2, (byte) (v >>> 8));
        b.put(i + 3, (byte) v);
    }

    /** True if {@code len} bytes at {@code i} in {@code a} equal those at {@code j} in {@code b}. */
    static boolean rangeEquals(ByteBuffer a, int i, ByteBuffer b, int j, int len) {
        int k = 0;
        // Compare 8 bytes at a time; equality does not depend on either buffer's byte order as long as both
        // reads use the same order, so read both through one of them (the second read swaps if needed).
        boolean sameOrder = a.order() == b.order();
        if (sameOrder) {
            for (; k + 8 <= len; k += 8) {
                if (a.getLong(i + k) != b.getLong(j + k)) {
                    return false;
                }
            }
        }
        for (; k < len; k++) {
            if (a.get(i + k) != b.get(j + k)) {
                return false;
            }
        }
        return true;
    }
}
