// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.bsd.jna.BsdAbi;
import java.nio.ByteBuffer;

/**
 * The 4-byte address-family header that BSD and macOS tun devices put before every IP packet: the family as
 * a big-endian u32 ({@code AF_INET} 2 everywhere; {@code AF_INET6} 28 FreeBSD, 24 OpenBSD and NetBSD, 30
 * macOS). Users never see it: a write derives it from the packet's version nibble, as the kernels' own
 * writers do, and a read drops it. The queue passes it in its own 4 bytes of native memory as the first
 * iovec of {@code readv}/{@code writev}, so the packet itself is never copied or shifted.
 */
final class AfHeader {
    /** Its size. */
    static final int SIZE = 4;

    private AfHeader() {
    }

    /**
     * The family for a packet whose first byte is {@code firstByte}: AF_INET for version 4, the OS's
     * AF_INET6 for version 6, or -1 for anything else.
     */
    static int familyOf(int firstByte, BsdAbi abi) {
        return switch ((firstByte & 0xf0) >>> 4) {
            case 4 -> BsdAbi.AF_INET;
            case 6 -> abi.afInet6;
            default -> -1;
        };
    }

    /** Writes {@code family} big-endian at {@code offset} of {@code header}. */
    static void put(ByteBuffer header, int offset, int family) {
        header.put(offset, (byte) (family >>> 24)).put(offset + 1, (byte) (family >>> 16))
                .put(offset + 2, (byte) (family >>> 8)).put(offset + 3, (byte) family);
    }

    /** Reads the big-endian family at {@code offset} of {@code header}. */
    static int get(ByteBuffer header, int offset) {
        return (header.get(offset) & 0xff) << 24 | (header.get(offset + 1) & 0xff) << 16
                | (header.get(offset + 2) & 0xff) << 8 | (header.get(offset + 3) & 0xff);
    }

    /** True if {@code family} is one a reader hands out: AF_INET or this OS's AF_INET6. */
    static boolean isIp(int family, BsdAbi abi) {
        return family == BsdAbi.AF_INET || family == abi.afInet6;
    }
}
