// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The interface messages a routing socket ({@code PF_ROUTE}) delivers, per system (LP64): {@code if_msghdr}
 * ({@code RTM_IFINFO}), {@code ifa_msghdr} ({@code RTM_NEWADDR}, {@code RTM_DELADDR}) and
 * {@code if_announcemsghdr} ({@code RTM_IFANNOUNCE}), each starting with msglen (u16), version (u8), type (u8).
 * <ul>
 * <li>FreeBSD {@code net/if.h}: if_msghdr addrs @4, flags @8, u16 index @12, if_data @16 (ifi_mtu u32 @+8,
 *     152 bytes): 168 bytes; ifa_msghdr addrs @4, flags @8, index @12, metric @16: 20 bytes;
 *     if_announcemsghdr index @4, name @6, what @22: 24 bytes. Types 0xc, 0xd, 0xe, 0x11.</li>
 * <li>OpenBSD {@code net/if.h}: every header has u16 hdrlen @4 and u16 index @6; if_msghdr addrs @12, flags @16,
 *     xflags @20, if_data @24 (ifi_mtu u32 @+4); ifa_msghdr addrs @12, flags @16, metric @20: 24 bytes;
 *     if_announcemsghdr what @8, name @10. The sockaddrs start at hdrlen. Types 0xc, 0xd, 0xe, 0xf.</li>
 * <li>NetBSD {@code net/if.h}: if_msghdr addrs @4, flags @8, index @12, if_data @16 (ifi_mtu u64 @+8, 136
 *     bytes): 152 bytes; ifa_msghdr u16 index @4, flags @8, addrs @12, pid, addrflags, metric: 28 bytes, 32 with
 *     {@code __align64};
 *     if_announcemsghdr index @4, name @6, what @22: 24 bytes. Version 4; types 0x16, 0x17, 0x14, 0x10.</li>
 * <li>macOS (xnu {@code net/if.h}): if_msghdr addrs @4, flags @8, index @12, if_data @16 (ifi_mtu u32 @+8): 112
 *     bytes; ifa_msghdr addrs @4, flags @8, index @12, metric @16: 20 bytes. Types 0xc, 0xd, 0xe; xnu has no
 *     {@code RTM_IFANNOUNCE}.</li>
 * </ul>
 */
public final class RouteEvents {
    /** {@code RTA_NETMASK}. */
    public static final int RTA_NETMASK = 0x4;
    /** {@code RTA_IFA}: the interface address. */
    public static final int RTA_IFA = 0x20;
    /** {@code RTA_BRD}: the broadcast or point-to-point destination address. */
    public static final int RTA_BRD = 0x80;
    /** {@code IFAN_DEPARTURE}. */
    public static final int IFAN_DEPARTURE = 1;

    /**
     * One system's message types and header offsets; -1 where the system lacks the field or message.
     *
     * @param newAddr RTM_NEWADDR
     * @param delAddr RTM_DELADDR
     * @param ifInfo RTM_IFINFO
     * @param ifAnnounce RTM_IFANNOUNCE, -1 if none
     * @param ifmAddrs offset of ifm_addrs
     * @param ifmFlags offset of ifm_flags
     * @param ifmIndex offset of ifm_index
     * @param ifmMtu offset of ifm_data.ifi_mtu
     * @param mtuWidth 4 or 8 bytes
     * @param ifmSize sizeof(struct if_msghdr)
     * @param ifamAddrs offset of ifam_addrs
     * @param ifamIndex offset of ifam_index
     * @param ifamSize sizeof(struct ifa_msghdr)
     * @param ifanIndex offset of ifan_index
     * @param ifanWhat offset of ifan_what
     * @param ifanName offset of ifan_name
     * @param hdrlen offset of the header-length field, -1 if none
     */
    public record Layout(int newAddr, int delAddr, int ifInfo, int ifAnnounce, int ifmAddrs, int ifmFlags,
            int ifmIndex, int ifmMtu, int mtuWidth, int ifmSize, int ifamAddrs, int ifamIndex, int ifamSize,
            int ifanIndex, int ifanWhat, int ifanName, int hdrlen) {
    }

    /** A parsed message about one interface. */
    public sealed interface Message {
        /** The interface index. */
        int index();
    }

    /**
     * {@code RTM_IFINFO}.
     *
     * @param index interface index
     * @param flags interface flags
     * @param mtu the MTU from if_data
     */
    public record IfInfo(int index, int flags, int mtu) implements Message {
    }

    /**
     * {@code RTM_NEWADDR} or {@code RTM_DELADDR}.
     *
     * @param index interface index
     * @param added true for RTM_NEWADDR
     * @param address the address (RTA_IFA)
     * @param prefix prefix length from RTA_NETMASK (full length without one)
     * @param destination RTA_BRD: broadcast or peer address, or null
     */
    public record AddressChange(int index, boolean added, InetAddress address, int prefix, InetAddress destination)
            implements Message {
    }

    /**
     * {@code RTM_IFANNOUNCE} with {@code IFAN_DEPARTURE}.
     *
     * @param index interface index
     * @param name the interface name
     */
    public record Departure(int index, String name) implements Message {
    }

    private RouteEvents() {
    }

    /** The layout of {@code abi}'s interface messages. */
    public static Layout layout(BsdAbi abi) {
        return switch (abi.os) {
            case FREEBSD -> new Layout(0xc, 0xd, 0xe, 0x11, 4, 8, 12, 24, 4, 168, 4, 12, 20, 4, 22, 6, -1);
            case OPENBSD -> new Layout(0xc, 0xd, 0xe, 0xf, 12, 16, 6, 28, 4, 0, 12, 6, 24, 6, 8, 10, 4);
            case NETBSD -> new Layout(0x16, 0x17, 0x14, 0x10, 4, 8, 12, 24, 8, 152, 12, 4, 32, 4, 22, 6, -1);
            case DARWIN -> new Layout(0xc, 0xd, 0xe, -1, 4, 8, 12, 24, 4, 112, 4, 12, 20, -1, -1, -1, -1);
        };
    }

    /**
     * Parses the message of {@code length} bytes at offset 0 of {@code b}.
     *
     * @return the message, or null for another type, a wrong version, a short or malformed message
     */
    public static Message parse(ByteBuffer b, int length, BsdAbi abi) {
        if (length < 4 || (b.getShort(0) & 0xffff) > length) {
            return null;
        }
        RtMsghdr.Layout rt = RtMsghdr.layout(abi);
        Layout l = layout(abi);
        if ((b.get(2) & 0xff) != rt.version()) {
            return null;
        }
        int msglen = b.getShort(0) & 0xffff;
        int type = b.get(3) & 0xff;
        if (type == l.ifInfo() && msglen >= l.ifmMtu() + l.mtuWidth()) {
            int mtu = l.mtuWidth() == 8 ? (int) b.getLong(l.ifmMtu()) : b.getInt(l.ifmMtu());
            return new IfInfo(b.getShort(l.ifmIndex()) & 0xffff, b.getInt(l.ifmFlags()), mtu);
        }
        if (type == l.ifAnnounce() && msglen >= Math.max(l.ifanName() + 16, l.ifanWhat() + 2)) {
            if ((b.getShort(l.ifanWhat()) & 0xffff) != IFAN_DEPARTURE) {
                return null;
            }
            return new Departure(b.getShort(l.ifanIndex()) & 0xffff, Sockaddrs.getName(b, l.ifanName(), 16));
        }
        if ((type == l.newAddr() || type == l.delAddr()) && msglen >= l.ifamSize()) {
            int start = l.hdrlen() >= 0 ? b.getShort(l.hdrlen()) & 0xffff : l.ifamSize();
            return addressChange(b, msglen, start, abi, rt, l, type == l.newAddr());
        }
        return null;
    }

    private static AddressChange addressChange(ByteBuffer b, int msglen, int start, BsdAbi abi,
            RtMsghdr.Layout rt, Layout l, boolean added) {
        int addrs = b.getInt(l.ifamAddrs());
        int at = start;
        int maskAt = -1;
        InetAddress address = null;
        InetAddress destination = null;
        for (int bit = 0; bit < 8; bit++) {
            if ((addrs & (1 << bit)) == 0) {
                continue;
            }
            if (at + 2 > msglen) {
                return null;
            }
            int saLen = b.get(at) & 0xff;
            if (at + saLen > msglen) {
                return null;
            }
            int flag = 1 << bit;
            if (flag == RTA_NETMASK) {
                maskAt = at;
            } else if (flag == RTA_IFA && saLen > 0) {
                address = Sockaddrs.get(b, at, saLen, abi);
            } else if (flag == RTA_BRD && saLen > 0) {
                destination = Sockaddrs.get(b, at, saLen, abi);
            }
            at += RtMsghdr.roundUp(saLen, rt);
        }
        if (address == null) {
            return null;
        }
        boolean v6 = !(address instanceof java.net.Inet4Address);
        int prefix = maskAt < 0 ? (v6 ? 128 : 32) : Sockaddrs.prefixLength(b, maskAt, abi, v6);
        return new AddressChange(b.getShort(l.ifamIndex()) & 0xffff, added, address, prefix, destination);
    }
}
