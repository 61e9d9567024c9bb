// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import io.tuntap.posix.InetSockaddrs;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * {@code struct sockaddr_in} and {@code struct sockaddr_in6} as the BSDs and macOS lay them out: a length byte
 * ({@code sin_len}/{@code sin6_len}, which the kernel checks) before a one-byte family, the port and address in
 * network order, the IPv6 scope id in host order. All methods write or read at an absolute offset of a buffer in
 * host byte order and leave its position alone.
 */
public final class Sockaddrs {
    private Sockaddrs() {
    }

    /** Writes a 16-byte {@code sockaddr_in} (port 0) for {@code address} at {@code offset}. */
    public static void putIn(ByteBuffer b, int offset, Inet4Address address) {
        zero(b, offset, BsdAbi.SOCKADDR_IN_SIZE);
        b.put(offset, (byte) BsdAbi.SOCKADDR_IN_SIZE);
        b.put(offset + 1, (byte) BsdAbi.AF_INET);
        b.put(offset + 4, address.getAddress());
    }

    /** Writes a 16-byte {@code sockaddr_in} holding the netmask of a /{@code prefix}. */
    public static void putInMask(ByteBuffer b, int offset, int prefix) {
        zero(b, offset, BsdAbi.SOCKADDR_IN_SIZE);
        b.put(offset, (byte) BsdAbi.SOCKADDR_IN_SIZE);
        b.put(offset + 1, (byte) BsdAbi.AF_INET);
        putMask(b, offset + 4, 4, prefix);
    }

    /** Writes a 28-byte {@code sockaddr_in6} (port, flow and scope 0) for {@code address} at {@code offset}. */
    public static void putIn6(ByteBuffer b, int offset, BsdAbi abi, Inet6Address address) {
        zero(b, offset, BsdAbi.SOCKADDR_IN6_SIZE);
        b.put(offset, (byte) BsdAbi.SOCKADDR_IN6_SIZE);
        b.put(offset + 1, (byte) abi.afInet6);
        b.put(offset + 8, address.getAddress());
        b.putInt(offset + 24, address.getScopeId());
    }

    /** Writes a 28-byte {@code sockaddr_in6} holding the prefix mask of a /{@code prefix}. */
    public static void putIn6Mask(ByteBuffer b, int offset, BsdAbi abi, int prefix) {
        zero(b, offset, BsdAbi.SOCKADDR_IN6_SIZE);
        b.put(offset, (byte) BsdAbi.SOCKADDR_IN6_SIZE);
        b.put(offset + 1, (byte) abi.afInet6);
        putMask(b, offset + 8, 16, prefix);
    }

    /** Writes {@code address} as a sockaddr of its family at {@code offset}. */
    public static void put(ByteBuffer b, int offset, BsdAbi abi, InetAddress address) {
        if (address instanceof Inet4Address v4) {
            putIn(b, offset, v4);
        } else {
            putIn6(b, offset, abi, (Inet6Address) address);
        }
    }

    /**
     * Reads the IPv4 or IPv6 address of the sockaddr of {@code length} bytes ({@code sa_len}) at {@code offset}, or
     * null if its family is another one or it is too short to hold the address.
     */
    public static InetAddress get(ByteBuffer b, int offset, int length, BsdAbi abi) {
        if (length < 2) {
            return null;
        }
        int family = b.get(offset + 1) & 0xff;
        int end = family == BsdAbi.AF_INET ? 8 : family == abi.afInet6 ? 24 : 0;
        return end > 0 && length >= end ? get(b, offset, abi) : null;
    }

    /**
     * Reads the IPv4 or IPv6 address of the sockaddr at {@code offset}, or null if its family is another one.
     */
    public static InetAddress get(ByteBuffer b, int offset, BsdAbi abi) {
        int family = b.get(offset + 1) & 0xff;
        if (family != BsdAbi.AF_INET && family != abi.afInet6) {
            return null;
        }
        byte[] raw = InetSockaddrs.addressBytes(b, offset, family == abi.afInet6);
        if (raw.length == 16 && (raw[0] & 0xff) == 0xfe && (raw[1] & 0xc0) == 0x80) {
            // KAME kernels embed a link-local address's scope (the interface index) in bytes 2-3.
            raw[2] = 0;
            raw[3] = 0;
        }
        return InetSockaddrs.address(raw);
    }

    /**
     * The prefix length of the netmask sockaddr at {@code offset}: the count of leading one bits. The kernel
     * may shorten a mask's {@code sa_len} to its last non-zero byte, so only {@code sa_len} bytes count.
     */
    public static int prefixLength(ByteBuffer b, int offset, BsdAbi abi, boolean ipv6) {
        int len = b.get(offset) & 0xff;
        int start = ipv6 ? 8 : 4;
        int bytes = ipv6 ? 16 : 4;
        int prefix = 0;
        for (int i = 0; i < bytes && start + i < len; i++) {
            int v = b.get(offset + start + i) & 0xff;
            if (v == 0xff) {
                prefix += 8;
                continue;
            }
            prefix += Integer.numberOfLeadingZeros(~v << 24);
            break;
        }
        return prefix;
    }

    private static void putMask(ByteBuffer b, int offset, int bytes, int prefix) {
        for (int i = 0; i < bytes; i++) {
            int bits = Math.max(0, Math.min(8, prefix - 8 * i));
            b.put(offset + i, (byte) (bits == 0 ? 0 : 0xff << (8 - bits)));
        }
    }

    /** Writes {@code length} zero bytes at {@code offset}. */
    public static void zero(ByteBuffer b, int offset, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            b.putLong(offset + i, 0L);
        }
        for (; i < length; i++) {
            b.put(offset + i, (byte) 0);
        }
    }

    /** Writes {@code name} NUL-padded into the {@code IFNAMSIZ} bytes at {@code offset}. */
    public static void putName(ByteBuffer b, int offset, String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (bytes.length >= BsdAbi.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + name + "' is longer than "
                    + (BsdAbi.IFNAMSIZ - 1) + " bytes");
        }
        zero(b, offset, BsdAbi.IFNAMSIZ);
        b.put(offset, bytes);
    }

    /** Reads a NUL-terminated name of at most {@code max} bytes at {@code offset}. */
    public static String getName(ByteBuffer b, int offset, int max) {
        int n = 0;
        while (n < max && b.get(offset + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        b.get(offset, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
