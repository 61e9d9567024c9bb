// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct ifaliasreq} for SIOCAIFADDR: {@code ifra_name[16]}, {@code ifra_addr} at 16,
 * {@code ifra_broadaddr} (= the destination on a point-to-point interface) at 32, {@code ifra_mask} at 48, each a
 * 16-byte {@code sockaddr_in}; FreeBSD 10+ adds {@code int ifra_vhid} at 64 (68 bytes).
 */
public final class Ifaliasreq {
    /** Offset of {@code ifra_addr}. */
    public static final int ADDR = 16;
    /** Offset of {@code ifra_broadaddr} / {@code ifra_dstaddr}. */
    public static final int DSTADDR = 32;
    /** Offset of {@code ifra_mask}. */
    public static final int MASK = 48;
    /** Offset of FreeBSD's {@code ifra_vhid}. */
    public static final int VHID = 64;

    private Ifaliasreq() {
    }

    /**
     * Writes the request at offset 0.
     *
     * @param destination the peer, or null to leave {@code ifra_broadaddr} empty (the kernel then derives the
     *        broadcast address)
     */
    public static void put(ByteBuffer b, BsdAbi abi, String name, Inet4Address local, Inet4Address destination,
            int prefix) {
        Sockaddrs.zero(b, 0, abi.ifaliasreqSize);
        Sockaddrs.putName(b, 0, name);
        Sockaddrs.putIn(b, ADDR, local);
        if (destination != null) {
            Sockaddrs.putIn(b, DSTADDR, destination);
        }
        Sockaddrs.putInMask(b, MASK, prefix);
    }
}
