// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import com.sun.jna.Pointer;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the list getifaddrs(3) returns. {@code struct ifaddrs} starts alike on all four systems (LP64):
 * {@code ifa_next} at 0, {@code ifa_name} at 8, {@code u_int ifa_flags} at 16, {@code ifa_addr} at 24,
 * {@code ifa_netmask} at 32, {@code ifa_dstaddr} (= {@code ifa_broadaddr}) at 40, {@code ifa_data} at 48.
 */
public final class Ifaddrs {
    /** Offset of {@code ifa_next}. */
    public static final int NEXT = 0;
    /** Offset of {@code ifa_name}. */
    public static final int NAME = 8;
    /** Offset of {@code ifa_flags}. */
    public static final int FLAGS = 16;
    /** Offset of {@code ifa_addr}. */
    public static final int ADDR = 24;
    /** Offset of {@code ifa_netmask}. */
    public static final int NETMASK = 32;
    /** Offset of {@code ifa_dstaddr}. */
    public static final int DSTADDR = 40;
    /** The part of {@code struct ifaddrs} read here. */
    public static final int SIZE = 56;

    /**
     * One entry.
     *
     * @param name the interface
     * @param flags its {@code IFF_*} flags
     * @param address the IPv4 or IPv6 address, or null for a link-level entry
     * @param prefix the prefix length of the netmask (0 if none)
     * @param destination the point-to-point destination or broadcast address, or null
     * @param linkAddress the link-level address of an AF_LINK entry (empty for none), else null
     */
    public record Entry(String name, int flags, InetAddress address, int prefix, InetAddress destination,
            byte[] linkAddress) {
    }

    private Ifaddrs() {
    }

    /** Every entry of the list at {@code head} whose name is {@code name} (or all if null). */
    public static List<Entry> read(long head, BsdAbi abi, String name) {
        List<Entry> out = new ArrayList<>();
        for (long p = head; p != 0; p = new Pointer(p).getLong(NEXT)) {
            Pointer entry = new Pointer(p);
            long namePtr = entry.getLong(NAME);
            String ifName = namePtr == 0 ? "" : new Pointer(namePtr).getString(0, "US-ASCII");
            if (name != null && !name.equals(ifName)) {
                continue;
            }
            int flags = entry.getInt(FLAGS);
            long addr = entry.getLong(ADDR);
            if (addr == 0) {
                continue;
            }
            ByteBuffer a = sockaddr(addr);
            int family = a.get(1) & 0xff;
            if (family == BsdAbi.AF_LINK) {
                // struct sockaddr_dl: sdl_nlen at 5, sdl_alen at 6, sdl_data at 8 (name, then address).
                int nlen = a.get(5) & 0xff;
                int alen = a.get(6) & 0xff;
                byte[] mac = new byte[alen];
                if (8 + nlen + alen <= a.capacity()) {
                    a.get(8 + nlen, mac);
                }
                out.add(new Entry(ifName, flags, null, 0, null, mac));
                continue;
            }
            InetAddress address = Sockaddrs.get(a, 0, abi);
            if (address == null) {
                continue;
            }
            boolean v6 = family == abi.afInet6;
            long mask = entry.getLong(NETMASK);
            int prefix = mask == 0 ? 0 : Sockaddrs.prefixLength(sockaddr(mask), 0, abi, v6);
            long dst = entry.getLong(DSTADDR);
            InetAddress destination = dst == 0 ? null : Sockaddrs.get(sockaddr(dst), 0, abi);
            out.add(new Entry(ifName, flags, address, prefix, destination, null));
        }
        return out;
    }

    private static ByteBuffer sockaddr(long address) {
        Pointer p = new Pointer(address);
        int len = Math.max(p.getByte(0) & 0xff, 2);
        return p.getByteBuffer(0, Math.max(len, BsdAbi.SOCKADDR_IN_SIZE)).order(ByteOrder.nativeOrder());
    }
}
