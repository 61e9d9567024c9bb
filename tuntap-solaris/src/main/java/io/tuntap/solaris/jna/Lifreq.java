// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

import io.tuntap.posix.InetSockaddrs;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct lifreq} of illumos {@code <net/if.h>} on amd64, 376 bytes, and the socket addresses it holds:
 * <pre>
 * char     lifr_name[32];          //   0  LIFNAMSIZ
 * union { int lifru_addrlen; uint_t lifru_ppa; };   //  32
 * uint_t   lifr_type;              //  36
 * union {                          //  40, 336 bytes, 8-aligned
 *     struct sockaddr_storage lifru_addr, lifru_dstaddr, ...;   // 256 bytes
 *     uint64_t lifru_flags;  uint_t lifru_mtu;  int lifru_index;
 *     int      lif_muxid[2];       // lifr_ip_muxid @40, lifr_arp_muxid @44
 *     struct lif_nd_req lifru_nd_req;  // 336 bytes: the largest member
 * };
 * </pre>
 * Socket addresses have no length byte on illumos: {@code sockaddr_in} is {@code {u16 family; u16 port (BE);
 * in_addr addr; char zero[8];}} (16 bytes) and {@code sockaddr_in6} is {@code {u16 family; u16 port; u32
 * flowinfo; in6_addr addr @8; u32 scope_id @24; u32 __sin6_src_id @28}} (32 bytes). The family is a host-order
 * (little-endian) short.
 *
 * <p>The methods write into a buffer view of native memory in native byte order, from index 0.
 */
public final class Lifreq {
    /** sizeof (struct lifreq). */
    public static final int SIZE = 376;
    /** {@code LIFNAMSIZ}: 31 characters and the terminating NUL. */
    public static final int LIFNAMSIZ = 32;
    /** {@code lifr_name}. */
    public static final int NAME = 0;
    /** {@code lifr_ppa} (SIOCSLIFNAME) = {@code lifr_addrlen} (the prefix length for SIOCSLIFSUBNET). */
    public static final int PPA = 32;
    /** {@code lifr_type}. */
    public static final int TYPE = 36;
    /** The second union: {@code lifr_addr}, {@code lifr_dstaddr}, {@code lifr_flags}, {@code lifr_mtu}, ... */
    public static final int UNION = 40;
    /** {@code lifr_addr}, {@code lifr_dstaddr}, {@code lifr_broadaddr}: a {@code sockaddr_storage}. */
    public static final int ADDR = UNION;
    /** {@code lifr_flags}: uint64_t. */
    public static final int FLAGS = UNION;
    /** {@code lifr_mtu}: uint_t. */
    public static final int MTU = UNION;
    /** {@code lifr_index}: int. */
    public static final int INDEX = UNION;
    /** {@code lifr_ip_muxid} = {@code lif_muxid[0]}. */
    public static final int IP_MUXID = UNION;
    /** {@code lifr_arp_muxid} = {@code lif_muxid[1]}. */
    public static final int ARP_MUXID = UNION + 4;
    /** sizeof (struct sockaddr_storage): 256 on illumos and Solaris. */
    public static final int SOCKADDR_STORAGE_SIZE = 256;
    /** sizeof (struct sockaddr_in). */
    public static final int SOCKADDR_IN_SIZE = 16;
    /** sizeof (struct sockaddr_in6): 32, with the illumos-only {@code __sin6_src_id}. */
    public static final int SOCKADDR_IN6_SIZE = 32;

    private Lifreq() {
    }

    /** Zeroes the whole structure and writes {@code name}, NUL-terminated. */
    public static void clear(ByteBuffer b, String name) {
        for (int i = 0; i < SIZE; i += 8) {
            b.putLong(i, 0L);
        }
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= LIFNAMSIZ) {
            throw new IllegalArgumentException("interface name longer than " + (LIFNAMSIZ - 1) + " bytes: " + name);
        }
        b.put(NAME, bytes);
    }

    /** The NUL-terminated name at {@link #NAME}. */
    public static String name(ByteBuffer b) {
        int n = 0;
        while (n < LIFNAMSIZ && b.get(NAME + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        b.get(NAME, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** Writes {@code address} as a {@code sockaddr_in} or {@code sockaddr_in6} at {@code offset}, port 0. */
    public static void putSockaddr(ByteBuffer b, int offset, InetAddress address) {
        int size = address instanceof Inet4Address ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE;
        for (int i = 0; i < size; i += 8) {
            b.putLong(offset + i, 0L);
        }
        if (address instanceof Inet4Address) {
            b.putShort(offset, (short) Sys.AF_INET);
            b.put(offset + 4, address.getAddress());
        } else {
            b.putShort(offset, (short) Sys.AF_INET6);
            b.put(offset + 8, address.getAddress());
            if (address instanceof Inet6Address a6 && a6.getScopeId() != 0) {
                b.putInt(offset + 24, a6.getScopeId());
            }
        }
    }

    /**
     * Reads the {@code sockaddr_in} or {@code sockaddr_in6} at {@code offset}.
     *
     * @return the address, or null if the family is neither (AF_UNSPEC: no address set)
     */
    public static InetAddress getSockaddr(ByteBuffer b, int offset) {
        int family = b.getShort(offset);
        if (family != Sys.AF_INET && family != Sys.AF_INET6) {
            return null;
        }
        return InetSockaddrs.address(InetSockaddrs.addressBytes(b, offset, family == Sys.AF_INET6));
    }

    /** The netmask of a prefix length as an address of {@code family}'s size (4 or 16 bytes). */
    public static InetAddress netmask(int prefixLength, boolean ipv6) {
        byte[] mask = new byte[ipv6 ? 16 : 4];
        for (int i = 0; i < prefixLength; i++) {
            mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        try {
            return InetAddress.getByAddress(mask);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /** The prefix length of a contiguous netmask, or -1 if the mask has holes. */
    public static int prefixLength(InetAddress mask) {
        byte[] m = mask.getAddress();
        int n = 0;
        boolean ended = false;
        for (byte octet : m) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean set = (octet >> bit & 1) != 0;
                if (set && ended) {
                    return -1;
                }
                if (set) {
                    n++;
                } else {
                    ended = true;
                }
            }
        }
        return n;
    }
}
