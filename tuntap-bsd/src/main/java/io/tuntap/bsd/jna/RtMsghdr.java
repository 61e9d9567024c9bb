// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Routing-socket messages ({@code PF_ROUTE}): a {@code struct rt_msghdr} followed by the sockaddrs its
 * {@code rtm_addrs} names, each padded to the system's alignment. The header differs per system (LP64):
 * <ul>
 * <li>FreeBSD {@code sys/net/route.h}: msglen, version, type, u16 index @4, spare, int flags @8, addrs @12,
 *     pid @16, seq @20, errno @24, fmask @28, u_long inits @32, 14 u_long metrics @40: 152 bytes;
 *     version 5; sockaddrs aligned to 8 (sizeof long).</li>
 * <li>OpenBSD {@code sys/net/route.h}: msglen, version, type, u16 hdrlen @4, u16 index @6, u16 tableid @8,
 *     u8 priority @10, u8 mpls @11, int addrs @12, flags @16, fmask @20, pid @24, seq @28, errno @32,
 *     u_int inits @36, metrics @40 (u64 pksent, i64 expire, 11 u_int, padded to 64): 104 bytes; version 5;
 *     {@code rtm_hdrlen} must hold the header size; aligned to 8.</li>
 * <li>NetBSD {@code sys/net/route.h}: msglen, version, type, u16 index @4, int flags @8, addrs @12, pid @16,
 *     seq @20, errno @24, use @28, inits @32, metrics 64-bit aligned @40 (8 u64, 2 time_t): 120 bytes;
 *     version 4; aligned to 8 ({@code RT_ROUNDUP}).</li>
 * <li>macOS (xnu {@code bsd/net/route.h}): msglen, version, type, u16 index @4, int flags @8, addrs @12,
 *     pid @16, seq @20, errno @24, use @28, u32 inits @32, 14 u32 metrics @36: 92 bytes; version 5; aligned
 *     to 4 ({@code ROUNDUP32}).</li>
 * </ul>
 */
public final class RtMsghdr {
    /** {@code RTM_ADD}. */
    public static final int RTM_ADD = 1;
    /** {@code RTM_DELETE}. */
    public static final int RTM_DELETE = 2;
    /** {@code RTA_DST}. */
    public static final int RTA_DST = 0x1;
    /** {@code RTA_GATEWAY}. */
    public static final int RTA_GATEWAY = 0x2;
    /** {@code RTA_NETMASK}. */
    public static final int RTA_NETMASK = 0x4;
    /** {@code RTF_UP}. */
    public static final int RTF_UP = 0x1;
    /** {@code RTF_GATEWAY}. */
    public static final int RTF_GATEWAY = 0x2;
    /** {@code RTF_HOST}. */
    public static final int RTF_HOST = 0x4;
    /** {@code RTF_STATIC}. */
    public static final int RTF_STATIC = 0x800;

    /** One system's header layout. */
    public record Layout(int size, int version, int index, int flags, int addrs, int pid, int seq, int errno,
            int hdrlen, int align) {
    }

    private RtMsghdr() {
    }

    /** The layout of {@code abi}'s {@code rt_msghdr}. */
    public static Layout layout(BsdAbi abi) {
        return switch (abi.os) {
            case FREEBSD -> new Layout(152, 5, 4, 8, 12, 16, 20, 24, -1, 8);
            case OPENBSD -> new Layout(104, 5, 6, 16, 12, 24, 28, 32, 4, 8);
            case NETBSD -> new Layout(120, 4, 4, 8, 12, 16, 20, 24, -1, 8);
            case DARWIN -> new Layout(92, 5, 4, 8, 12, 16, 20, 24, -1, 4);
        };
    }

    /** {@code len} rounded up to the system's sockaddr alignment in routing messages. */
    public static int roundUp(int len, Layout layout) {
        return len <= 0 ? layout.align() : (len + layout.align() - 1) & -layout.align();
    }

    /**
     * Writes an {@code RTM_ADD} or {@code RTM_DELETE} of the route to {@code destination}/{@code prefix} at
     * offset 0 of {@code b}: with {@code gateway} and {@code RTF_GATEWAY} when {@code viaGateway}, otherwise
     * an interface route whose "gateway" is the interface's own address (route(8) {@code -interface}).
     *
     * @return the message length
     */
    public static int putRoute(ByteBuffer b, BsdAbi abi, int type, int seq, InetAddress destination, int prefix,
            InetAddress gateway, boolean viaGateway) {
        Layout l = layout(abi);
        boolean v4 = destination instanceof Inet4Address;
        int saLen = v4 ? BsdAbi.SOCKADDR_IN_SIZE : BsdAbi.SOCKADDR_IN6_SIZE;
        int step = roundUp(saLen, l);
        int length = l.size() + 3 * step;
        Sockaddrs.zero(b, 0, length);
        b.putShort(0, (short) length);
        b.put(2, (byte) l.version());
        b.put(3, (byte) type);
        if (l.hdrlen() >= 0) {
            b.putShort(l.hdrlen(), (short) l.size());
        }
        int flags = RTF_UP | RTF_STATIC | (viaGateway ? RTF_GATEWAY : 0) | (prefix == (v4 ? 32 : 128) ? RTF_HOST : 0);
        b.putInt(l.flags(), flags);
        b.putInt(l.addrs(), RTA_DST | RTA_GATEWAY | RTA_NETMASK);
        b.putInt(l.seq(), seq);
        int at = l.size();
        Sockaddrs.put(b, at, abi, destination);
        Sockaddrs.put(b, at + step, abi, gateway);
        if (v4) {
            Sockaddrs.putInMask(b, at + 2 * step, prefix);
        } else {
            Sockaddrs.putIn6Mask(b, at + 2 * step, abi, prefix);
        }
        return length;
    }
}
