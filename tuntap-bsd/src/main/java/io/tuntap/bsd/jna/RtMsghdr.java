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
 *     u_int inits @36, metrics @40 (u64 pksent, i64 expire, 10 u_int: 56 bytes): 96 bytes; version 5;
 *     {@code rtm_hdrlen} holds the header size and the sockaddrs start there; aligned to 8. An on-link
 *     gateway must be a whole {@code sockaddr_dl} of 32 bytes ({@code rtm_xaddrs} in {@code rtsock.c}).</li>
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
    /** {@code RTM_GET}: the type of each message of a route dump. */
    public static final int RTM_GET = 4;
    /** {@code RTA_IFP}: a {@code sockaddr_dl} naming the interface. */
    public static final int RTA_IFP = 0x10;
    /** {@code NET_RT_DUMP}. */
    public static final int NET_RT_DUMP = 1;
    /** {@code CTL_NET}. */
    public static final int CTL_NET = 4;
    /** OpenBSD {@code rtm_priority} offset; the default {@code RTP_STATIC} priority is 8. */
    public static final int OPENBSD_PRIORITY = 10;
    /** OpenBSD {@code RTP_STATIC}: the priority of a static route added without one. */
    public static final int RTP_STATIC = 8;
    /**
     * The length of the {@code sockaddr_dl} this backend writes: the fixed part (len, family, u16 index, type,
     * nlen, alen, slen) and 12 bytes of data, as in the classic and macOS definition; the kernels read the
     * index and take any length covering the fixed part, except OpenBSD (see {@link #linkSize}).
     */
    public static final int SOCKADDR_DL_SIZE = 20;
    /**
     * OpenBSD's {@code sizeof(struct sockaddr_dl)}: the fixed part and {@code sdl_data[24]} ({@code net/if_dl.h}).
     * Its {@code rtm_xaddrs} refuses an {@code AF_LINK} gateway shorter than that with EINVAL.
     */
    public static final int OPENBSD_SOCKADDR_DL_SIZE = 32;

    /**
     * One route of a dump ({@code NET_RT_DUMP}).
     *
     * @param index the interface index (rtm_index)
     * @param flags rtm_flags
     * @param destination RTA_DST
     * @param prefix the length of RTA_NETMASK (full length for a host route without one)
     * @param gateway RTA_GATEWAY if it is an IP address, else null
     * @param priority OpenBSD's rtm_priority, 0 elsewhere
     */
    public record Dumped(int index, int flags, InetAddress destination, int prefix, InetAddress gateway,
            int priority) {
    }

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
            case OPENBSD -> new Layout(96, 5, 6, 16, 12, 24, 28, 32, 4, 8);
            case NETBSD -> new Layout(120, 4, 4, 8, 12, 16, 20, 24, -1, 8);
            case DARWIN -> new Layout(92, 5, 4, 8, 12, 16, 20, 24, -1, 4);
        };
    }

    /** {@code len} rounded up to the system's sockaddr alignment in routing messages. */
    public static int roundUp(int len, Layout layout) {
        return len <= 0 ? layout.align() : (len + layout.align() - 1) & -layout.align();
    }

    /**
     * Writes an {@code RTM_ADD} or {@code RTM_DELETE} of a user route through interface {@code index} at offset
     * 0 of {@code b}: with a gateway, {@code RTF_GATEWAY} and the interface as {@code RTA_IFP}; on-link (no
     * gateway), the interface's {@code sockaddr_dl} as gateway (route(8) {@code -interface tun0}). OpenBSD
     * takes {@code priority} (0: the default) in {@code rtm_priority}; elsewhere it must be 0.
     *
     * @return the message length
     */
    public static int putUserRoute(ByteBuffer b, BsdAbi abi, int type, int seq, InetAddress destination,
            int prefix, InetAddress gateway, int index, int priority) {
        Layout l = layout(abi);
        boolean v4 = destination instanceof Inet4Address;
        int step = roundUp(v4 ? BsdAbi.SOCKADDR_IN_SIZE : BsdAbi.SOCKADDR_IN6_SIZE, l);
        int dlSize = linkSize(abi);
        int dlStep = roundUp(dlSize, l);
        int length = l.size() + 2 * step + (gateway != null ? step + dlStep : dlStep);
        putHeader(b, l, length, type);
        if (abi.os == BsdAbi.Os.OPENBSD) {
            b.put(OPENBSD_PRIORITY, (byte) priority);
        }
        boolean host = prefix == (v4 ? 32 : 128);
        b.putInt(l.flags(), RTF_UP | RTF_STATIC | (gateway != null ? RTF_GATEWAY : 0) | (host ? RTF_HOST : 0));
        b.putInt(l.addrs(), RTA_DST | RTA_GATEWAY | RTA_NETMASK | (gateway != null ? RTA_IFP : 0));
        b.putInt(l.seq(), seq);
        int at = l.size();
        Sockaddrs.put(b, at, abi, destination);
        at += step;
        if (gateway != null) {
            Sockaddrs.put(b, at, abi, gateway);
            at += step;
        } else {
            putLink(b, at, dlSize, index);
            at += dlStep;
        }
        putMask(b, at, abi, v4, prefix);
        at += step;
        if (gateway != null) {
            putLink(b, at, dlSize, index);
        }
        return length;
    }

    /** The length of the {@code sockaddr_dl} written for {@code abi}. */
    public static int linkSize(BsdAbi abi) {
        return abi.os == BsdAbi.Os.OPENBSD ? OPENBSD_SOCKADDR_DL_SIZE : SOCKADDR_DL_SIZE;
    }

    /** A {@code sockaddr_dl} of {@code size} bytes naming interface {@code index} (no name, no address). */
    private static void putLink(ByteBuffer b, int at, int size, int index) {
        b.put(at, (byte) size);
        b.put(at + 1, (byte) BsdAbi.AF_LINK);
        b.putShort(at + 2, (short) index);
    }

    /**
     * Reads the routes of a {@code NET_RT_DUMP} of {@code length} bytes at offset 0 of {@code b}: one
     * {@code rt_msghdr} and its sockaddrs after another. Messages of another version and routes whose
     * destination is not IPv4 or IPv6 are skipped.
     */
    public static java.util.List<Dumped> readDump(ByteBuffer b, int length, BsdAbi abi) {
        Layout l = layout(abi);
        java.util.List<Dumped> out = new java.util.ArrayList<>();
        int at = 0;
        while (at + 4 <= length) {
            int msglen = b.getShort(at) & 0xffff;
            if (msglen < 4 || at + msglen > length) {
                break;
            }
            if ((b.get(at + 2) & 0xff) == l.version() && msglen >= l.size()) {
                Dumped d = readOne(b, at, msglen, abi, l);
                if (d != null) {
                    out.add(d);
                }
            }
            at += msglen;
        }
        return out;
    }

    private static Dumped readOne(ByteBuffer b, int base, int msglen, BsdAbi abi, Layout l) {
        int addrs = b.getInt(base + l.addrs());
        int at = base + (l.hdrlen() >= 0 ? b.getShort(base + l.hdrlen()) & 0xffff : l.size());
        int end = base + msglen;
        InetAddress destination = null;
        InetAddress gateway = null;
        int maskAt = -1;
        for (int bit = 0; bit < 8; bit++) {
            int flag = 1 << bit;
            if ((addrs & flag) == 0) {
                continue;
            }
            if (at + 2 > end) {
                return null;
            }
            int saLen = b.get(at) & 0xff;
            if (at + saLen > end) {
                return null;
            }
            if (flag == RTA_DST && saLen > 0) {
                destination = Sockaddrs.get(b, at, saLen, abi);
            } else if (flag == RTA_GATEWAY && saLen > 0) {
                gateway = Sockaddrs.get(b, at, saLen, abi);
            } else if (flag == RTA_NETMASK) {
                maskAt = at;
            }
            at += roundUp(saLen, l);
        }
        if (destination == null) {
            return null;
        }
        boolean v6 = !(destination instanceof Inet4Address);
        int flags = b.getInt(base + l.flags());
        int prefix = maskAt < 0 || (flags & RTF_HOST) != 0 ? (v6 ? 128 : 32)
                : Sockaddrs.prefixLength(b, maskAt, abi, v6);
        int priority = abi.os == BsdAbi.Os.OPENBSD ? b.get(base + OPENBSD_PRIORITY) & 0xff : 0;
        return new Dumped(b.getShort(base + l.index()) & 0xffff, flags, destination, prefix, gateway, priority);
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
        putHeader(b, l, length, type);
        int flags = RTF_UP | RTF_STATIC | (viaGateway ? RTF_GATEWAY : 0) | (prefix == (v4 ? 32 : 128) ? RTF_HOST : 0);
        b.putInt(l.flags(), flags);
        b.putInt(l.addrs(), RTA_DST | RTA_GATEWAY | RTA_NETMASK);
        b.putInt(l.seq(), seq);
        int at = l.size();
        Sockaddrs.put(b, at, abi, destination);
        Sockaddrs.put(b, at + step, abi, gateway);
        putMask(b, at + 2 * step, abi, v4, prefix);
        return length;
    }

    /** Zeroes a message of {@code length} bytes and writes its header's length, version, type and size. */
    private static void putHeader(ByteBuffer b, Layout l, int length, int type) {
        Sockaddrs.zero(b, 0, length);
        b.putShort(0, (short) length);
        b.put(2, (byte) l.version());
        b.put(3, (byte) type);
        if (l.hdrlen() >= 0) {
            b.putShort(l.hdrlen(), (short) l.size());
        }
    }

    /** The netmask of a {@code prefix}-bit prefix of the family {@code v4} says, at {@code at}. */
    private static void putMask(ByteBuffer b, int at, BsdAbi abi, boolean v4, int prefix) {
        if (v4) {
            Sockaddrs.putInMask(b, at, prefix);
        } else {
            Sockaddrs.putIn6Mask(b, at, abi, prefix);
        }
    }
}
