// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import java.nio.ByteBuffer;

/**
 * {@code struct ifreq}: {@code ifr_name[16]} then a union at offset 16 ({@code ifr_flags} short and
 * {@code ifr_flagshigh} short on FreeBSD, {@code ifr_mtu} int, {@code ifr_addr} sockaddr, {@code ifr_data}
 * pointer). 32 bytes, or 144 on NetBSD, whose union holds a {@code sockaddr_storage}.
 */
public final class Ifreq {
    /** Where the union starts. */
    public static final int UNION = 16;

    private Ifreq() {
    }

    /** Zeroes {@code abi.ifreqSize} bytes at 0 and writes the name. */
    public static void clear(ByteBuffer b, BsdAbi abi, String name) {
        Sockaddrs.zero(b, 0, abi.ifreqSize);
        Sockaddrs.putName(b, 0, name);
    }

    /** An ifreq for {@code name} carrying an int ({@code ifr_mtu}, {@code ifr_metric}). */
    public static void putInt(ByteBuffer b, BsdAbi abi, String name, int value) {
        clear(b, abi, name);
        b.putInt(UNION, value);
    }

    /**
     * An ifreq for {@code name} carrying interface flags: the low 16 bits in {@code ifr_flags}, and on FreeBSD
     * the high 16 in {@code ifr_flagshigh} at offset 18.
     */
    public static void putFlags(ByteBuffer b, BsdAbi abi, String name, int flags) {
        clear(b, abi, name);
        b.putShort(UNION, (short) flags);
        if (abi.os == BsdAbi.Os.FREEBSD) {
            b.putShort(UNION + 2, (short) (flags >>> 16));
        }
    }

    /** The flags an SIOCGIFFLAGS left in the ifreq. */
    public static int getFlags(ByteBuffer b, BsdAbi abi) {
        int low = b.getShort(UNION) & 0xffff;
        return abi.os == BsdAbi.Os.FREEBSD ? low | (b.getShort(UNION + 2) & 0xffff) << 16 : low;
    }

    /** The int at the union ({@code ifr_mtu}). */
    public static int getInt(ByteBuffer b) {
        return b.getInt(UNION);
    }

    /**
     * An ifreq for {@code name} carrying a link-level address for SIOCSIFLLADDR: {@code ifr_addr} with
     * {@code sa_len} = 6 (the address length, as if_setlladdr reads it), {@code sa_family} = AF_LINK and the
     * six bytes in {@code sa_data}.
     */
    public static void putLinkAddress(ByteBuffer b, BsdAbi abi, String name, byte[] mac) {
        clear(b, abi, name);
        b.put(UNION, (byte) mac.length);
        b.put(UNION + 1, (byte) BsdAbi.AF_LINK);
        b.put(UNION + 2, mac);
    }

    /** The name the kernel wrote into the ifreq (TUNGIFNAME, TAPGIFNAME, SIOCIFCREATE2). */
    public static String getName(ByteBuffer b) {
        return Sockaddrs.getName(b, 0, BsdAbi.IFNAMSIZ);
    }
}
