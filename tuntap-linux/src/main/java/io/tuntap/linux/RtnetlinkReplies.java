// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static io.tuntap.linux.jna.Rtnl.IFA_ADDRESS;
import static io.tuntap.linux.jna.Rtnl.IFA_LOCAL;
import static io.tuntap.linux.jna.Rtnl.IFADDRMSG_SIZE;
import static io.tuntap.linux.jna.Rtnl.IFINFOMSG_SIZE;
import static io.tuntap.linux.jna.Rtnl.IFLA_ADDRESS;
import static io.tuntap.linux.jna.Rtnl.IFLA_IFNAME;
import static io.tuntap.linux.jna.Rtnl.IFLA_INFO_DATA;
import static io.tuntap.linux.jna.Rtnl.IFLA_INFO_KIND;
import static io.tuntap.linux.jna.Rtnl.IFLA_LINKINFO;
import static io.tuntap.linux.jna.Rtnl.IFLA_MTU;
import static io.tuntap.linux.jna.Rtnl.IFLA_TUN_GROUP;
import static io.tuntap.linux.jna.Rtnl.IFLA_TUN_MULTI_QUEUE;
import static io.tuntap.linux.jna.Rtnl.IFLA_TUN_OWNER;
import static io.tuntap.linux.jna.Rtnl.IFLA_TUN_PERSIST;
import static io.tuntap.linux.jna.Rtnl.IFLA_TUN_PI;
import static io.tuntap.linux.jna.Rtnl.IFLA_TUN_TYPE;
import static io.tuntap.linux.jna.Rtnl.IFLA_TUN_VNET_HDR;

import io.tuntap.DeviceAddress;
import io.tuntap.IpPrefix;
import io.tuntap.linux.jna.Sys;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Takes apart the replies {@link Rtnetlink} receives: an {@code RTM_NEWLINK} body into a {@link LinkInfo} and
 * an {@code RTM_NEWADDR} body into a {@link DeviceAddress}. It reads only the buffer it is given, walking the
 * attributes (and the nested link-info and tun attributes) with {@link NetlinkAttributes}.
 */
final class RtnetlinkReplies {
    private RtnetlinkReplies() {
    }

    /**
     * The link an {@code RTM_NEWLINK} body from {@code start} (the {@code ifinfomsg}) to {@code end} describes, or
     * null if the body is too short to hold an {@code ifinfomsg}.
     */
    static LinkInfo parseLink(ByteBuffer buf, int start, int end) {
        if (end - start < IFINFOMSG_SIZE) {
            return null;
        }
        LinkFields f = new LinkFields(buf);
        NetlinkAttributes.forEach(buf, start + IFINFOMSG_SIZE, end, f::link);
        return new LinkInfo(buf.getInt(start + 4), f.name, buf.getInt(start + 8), f.mtu, f.mac, f.kind, f.tunType,
                f.multiQueue, f.persistent, f.owner, f.group, f.vnetHdr, f.packetInfo);
    }

    /** Passes the address an {@code RTM_NEWADDR} body describes to {@code sink}, unless it is malformed. */
    static void parseAddress(ByteBuffer buf, int start, int end, Rtnetlink.AddressSink sink) {
        if (end - start < IFADDRMSG_SIZE) {
            return;
        }
        byte[][] attrs = new byte[2][];
        NetlinkAttributes.forEach(buf, start + IFADDRMSG_SIZE, end, (type, data, length) -> {
            if (type == IFA_LOCAL) {
                attrs[0] = NetlinkAttributes.bytes(buf, data, length);
            } else if (type == IFA_ADDRESS) {
                attrs[1] = NetlinkAttributes.bytes(buf, data, length);
            }
        });
        DeviceAddress parsed = toDeviceAddress(buf.get(start) & 0xff, buf.get(start + 1) & 0xff, attrs[0], attrs[1]);
        if (parsed != null) {
            sink.accept(buf.getInt(start + 4), parsed);
        }
    }

    /**
     * The address an {@code RTM_NEWADDR} describes: {@code IFA_LOCAL} is the interface's own address and
     * {@code IFA_ADDRESS} the peer when they differ (both families); without {@code IFA_LOCAL} (IPv6 without
     * a peer) {@code IFA_ADDRESS} is the own address. Null for other families or malformed attributes, which
     * the kernel does not send.
     */
    static DeviceAddress toDeviceAddress(int family, int prefixLength, byte[] local, byte[] address) {
        if (family != Sys.AF_INET && family != Sys.AF_INET6) {
            return null;
        }
        byte[] own = local != null ? local : address;
        if (own == null) {
            return null;
        }
        try {
            IpPrefix prefix = new IpPrefix(inet(family, own), prefixLength);
            if (local != null && address != null && !Arrays.equals(local, address)) {
                return DeviceAddress.pointToPoint(prefix, inet(family, address));
            }
            return DeviceAddress.of(prefix);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Inet6Address explicitly for IPv6: InetAddress would turn an IPv4-mapped IPv6 address into an IPv4 one. */
    private static InetAddress inet(int family, byte[] bytes) throws UnknownHostException {
        return family == Sys.AF_INET6 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
    }

    private static String cString(ByteBuffer buf, int at, int length) {
        int n = 0;
        while (n < length && buf.get(at + n) != 0) {
            n++;
        }
        return new String(NetlinkAttributes.bytes(buf, at, n), StandardCharsets.UTF_8);
    }

    /** The fields of one link, filled in as its attributes are visited, at three levels of nesting. */
    private static final class LinkFields {
        private final ByteBuffer buf;
        String name;
        int mtu;
        byte[] mac;
        String kind;
        int tunType;
        boolean multiQueue;
        boolean persistent;
        long owner = -1;
        long group = -1;
        boolean vnetHdr;
        boolean packetInfo;

        LinkFields(ByteBuffer buf) {
            this.buf = buf;
        }

        void link(int type, int data, int length) {
            if (type == IFLA_IFNAME) {
                name = cString(buf, data, length);
            } else if (type == IFLA_MTU && length >= 4) {
                mtu = buf.getInt(data);
            } else if (type == IFLA_ADDRESS) {
                mac = NetlinkAttributes.bytes(buf, data, length);
            } else if (type == IFLA_LINKINFO) {
                NetlinkAttributes.forEach(buf, data, data + length, this::linkInfo);
            }
        }

        void linkInfo(int type, int data, int length) {
            if (type == IFLA_INFO_KIND) {
                kind = cString(buf, data, length);
            } else if (type == IFLA_INFO_DATA) {
                NetlinkAttributes.forEach(buf, data, data + length, this::tun);
            }
        }

        void tun(int type, int v, int length) {
            // u8 attributes but owner and group (u32); one too short for its value is skipped.
            if (length < (type == IFLA_TUN_OWNER || type == IFLA_TUN_GROUP ? 4 : 1)) {
                return;
            }
            switch (type) {
                case IFLA_TUN_TYPE -> tunType = buf.get(v);
                case IFLA_TUN_MULTI_QUEUE -> multiQueue = buf.get(v) != 0;
                case IFLA_TUN_PERSIST -> persistent = buf.get(v) != 0;
                case IFLA_TUN_OWNER -> owner = Integer.toUnsignedLong(buf.getInt(v));
                case IFLA_TUN_GROUP -> group = Integer.toUnsignedLong(buf.getInt(v));
                case IFLA_TUN_VNET_HDR -> vnetHdr = buf.get(v) != 0;
                case IFLA_TUN_PI -> packetInfo = buf.get(v) != 0;
                default -> { }
            }
        }
    }
}
