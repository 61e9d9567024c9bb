// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import java.net.Inet6Address;
import java.nio.ByteBuffer;

/**
 * {@code struct in6_aliasreq} for SIOCAIFADDR_IN6: {@code ifra_name[16]}, {@code ifra_addr} at 16,
 * {@code ifra_dstaddr} at 44, {@code ifra_prefixmask} at 72 (28-byte {@code sockaddr_in6} each),
 * {@code int ifra_flags} at 100, {@code struct in6_addrlifetime} at 104 ({@code ia6t_expire} and
 * {@code ia6t_preferred} time_t, {@code ia6t_vltime} at 120 and {@code ia6t_pltime} at 124, u32 each); 128
 * bytes, or 136 on FreeBSD, which adds {@code int ifra_vhid} at 128 and 4 bytes of tail padding.
 */
public final class In6Aliasreq {
    /** Offset of {@code ifra_addr}. */
    public static final int ADDR = 16;
    /** Offset of {@code ifra_dstaddr}. */
    public static final int DSTADDR = 44;
    /** Offset of {@code ifra_prefixmask}. */
    public static final int PREFIXMASK = 72;
    /** Offset of {@code ifra_flags}. */
    public static final int FLAGS = 100;
    /** Offset of {@code ia6t_vltime}. */
    public static final int VLTIME = 120;
    /** Offset of {@code ia6t_pltime}. */
    public static final int PLTIME = 124;

    private In6Aliasreq() {
    }

    /**
     * Writes the request at offset 0, with infinite lifetimes: a valid lifetime of 0 would make the kernel
     * ignore a new address silently (KAME in6_update_ifa).
     *
     * @param destination the peer (the prefix must then be 128), or null
     * @param flags {@code ifra_flags}, e.g. {@link BsdAbi#IN6_IFF_NODAD}
     */
    public static void put(ByteBuffer b, BsdAbi abi, String name, Inet6Address local, Inet6Address destination,
            int prefix, int flags) {
        Sockaddrs.zero(b, 0, abi.in6AliasreqSize);
        Sockaddrs.putName(b, 0, name);
        Sockaddrs.putIn6(b, ADDR, abi, local);
        if (destination != null) {
            Sockaddrs.putIn6(b, DSTADDR, abi, destination);
        }
        Sockaddrs.putIn6Mask(b, PREFIXMASK, abi, prefix);
        b.putInt(FLAGS, flags);
        b.putInt(VLTIME, BsdAbi.ND6_INFINITE_LIFETIME);
        b.putInt(PLTIME, BsdAbi.ND6_INFINITE_LIFETIME);
    }

    /** Writes an {@code in6_ifreq} for SIOCDIFADDR_IN6: the name and {@code ifr_addr} at 16. */
    public static void putIfreq(ByteBuffer b, BsdAbi abi, String name, Inet6Address address) {
        Sockaddrs.zero(b, 0, BsdAbi.IN6_IFREQ_SIZE);
        Sockaddrs.putName(b, 0, name);
        Sockaddrs.putIn6(b, 16, abi, address);
    }
}
