// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.solaris.jna.Mib2;
import io.tuntap.solaris.jna.RouteMessages;
import io.tuntap.solaris.jna.Stropts;
import io.tuntap.solaris.jna.Sys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kernel's IPv4 and IPv6 routing tables through the MIB-II interface, the way netstat does (illumos has
 * no routing-table dump on the routing socket): a stream of {@code /dev/arp} with "tcp" and "udp" pushed is sent
 * a {@code T_SVR4_OPTMGMT_REQ} ({@code T_CURRENT}, level {@code MIB2_IP}); every module answers with its tables,
 * one {@code T_OPTMGMT_ACK} each, and a last empty one with {@code T_SUCCESS} ends the answer. The entry sizes
 * come from the {@code mib2_ip_t} and {@code mib2_ipv6IfStatsEntry_t} groups of the same answer.
 *
 * <p>The routes kept are the static ones ({@code RTF_STATIC}: added with the routing socket, by this library or by
 * {@code route add}) through the named interface or one of its logical interfaces. The routes the kernel makes
 * for the interface's own addresses and prefixes are not listed.
 */
final class SolarisRouteTable {
    private static final int CTL_SIZE = 512;

    private SolarisRouteTable() {
    }

    /** Receives the route tables of one MIB answer. */
    interface Tables {
        /**
         * One table of routes.
         *
         * @param v6 whether it holds mib2_ipv6RouteEntry_t (else mib2_ipRouteEntry_t)
         * @param b the table, native order
         * @param length its length
         * @param entrySize the size of one entry, as the kernel gave it
         */
        void table(boolean v6, ByteBuffer b, int length, int entrySize);
    }

    /** The static routes through {@code ifName}. */
    static List<Route> read(SunOs os, String ifName) throws TunTapException {
        List<Route> routes = new ArrayList<>();
        walk(os, (v6, b, length, entrySize) -> {
            if (v6) {
                parseIpv6(b, length, entrySize, ifName, routes);
            } else {
                parseIpv4(b, length, entrySize, ifName, routes);
            }
        });
        return routes;
    }

    /** Asks IP for its tables and hands every IPv4 and IPv6 route table to {@code tables}. */
    static void walk(SunOs os, Tables tables) throws TunTapException {
        int fd = os.libc().open(Mib2.ARP_DEVICE, Sys.O_RDWR | Sys.O_CLOEXEC);
        if (fd < 0) {
            throw SolarisErrors.ofCommon("open(" + Mib2.ARP_DEVICE + ")", os.libc().errno(), "cannot open IP's MIB "
                    + "interface to read the routing table");
        }
        try (Memory m = new Memory(CTL_SIZE + 2L * Stropts.Strbuf.SIZE + 8)) {
            for (String module : List.of("tcp", "udp")) {
                try (Memory name = new Memory(module.length() + 1)) {
                    name.setString(0, module, StandardCharsets.US_ASCII.name());
                    if (os.libc().ioctl(fd, Stropts.I_PUSH, Pointer.nativeValue(name)) < 0) {
                        throw SolarisErrors.ofCommon("ioctl(I_PUSH " + module + ") on " + Mib2.ARP_DEVICE,
                                os.libc().errno(), "cannot prepare the MIB request for the routing table");
                    }
                }
            }
            long base = Pointer.nativeValue(m);
            long ctlStrbuf = base + CTL_SIZE;
            long dataStrbuf = ctlStrbuf + Stropts.Strbuf.SIZE;
            long flags = dataStrbuf + Stropts.Strbuf.SIZE;
            ByteBuffer ctl = m.getByteBuffer(0, CTL_SIZE).order(ByteOrder.nativeOrder());
            request(ctl);
            m.setInt(CTL_SIZE + Stropts.Strbuf.MAXLEN, CTL_SIZE);
            m.setInt(CTL_SIZE + Stropts.Strbuf.LEN, Mib2.T_OPTMGMT_SIZE + Mib2.OPTHDR_SIZE);
            m.setLong(CTL_SIZE + Stropts.Strbuf.BUF, base);
            if (os.streams().putmsg(fd, ctlStrbuf, 0L, 0) < 0) {
                throw SolarisErrors.ofCommon("putmsg(T_SVR4_OPTMGMT_REQ MIB2_IP)", os.libc().errno(),
                        "cannot ask IP for the routing table");
            }
            int v4Size = Mib2.IPV4_ENTRY;
            int v6Size = Mib2.IPV6_ENTRY;
            while (true) {
                m.setInt(CTL_SIZE + Stropts.Strbuf.MAXLEN, CTL_SIZE);
                m.setInt(CTL_SIZE + Stropts.Strbuf.LEN, 0);
                m.setInt(flags - base, 0);
                int r = os.streams().getmsg(fd, ctlStrbuf, 0L, flags);
                if (r < 0) {
                    throw SolarisErrors.ofCommon("getmsg(T_OPTMGMT_ACK)", os.libc().errno(), "IP's answer with the "
                            + "routing table could not be read");
                }
                int ctlLength = m.getInt(CTL_SIZE + Stropts.Strbuf.LEN);
                int primitive = ctlLength >= 4 ? ctl.getInt(0) : -1;
                if (primitive == Mib2.T_ERROR_ACK && ctlLength >= 16) {
                    throw SolarisErrors.ofCommon("getmsg(T_OPTMGMT_ACK)", ctl.getInt(Mib2.ERROR_ACK_UNIX_ERROR),
                            "IP refused the request for the routing table");
                }
                if (primitive != Mib2.T_OPTMGMT_ACK || ctlLength < Mib2.T_OPTMGMT_SIZE + Mib2.OPTHDR_SIZE) {
                    throw new TunTapException("routes", 0, ErrorMessages.failed("getmsg(T_OPTMGMT_ACK)", "IP "
                            + "answered the request for the routing table with primitive " + primitive + " ("
                            + ctlLength + " bytes), not T_OPTMGMT_ACK"));
                }
                int level = ctl.getInt(Mib2.T_OPTMGMT_SIZE);
                int table = ctl.getInt(Mib2.T_OPTMGMT_SIZE + 4);
                int length = ctl.getInt(Mib2.T_OPTMGMT_SIZE + 8);
                if (r == 0 && ctl.getInt(12) == Mib2.T_SUCCESS && length == 0) {
                    return;
                }
                if (r != Stropts.MOREDATA || length <= 0) {
                    continue; // a table without data
                }
                try (Memory data = new Memory(length)) {
                    m.setInt(CTL_SIZE + Stropts.Strbuf.SIZE + Stropts.Strbuf.MAXLEN, length);
                    m.setInt(CTL_SIZE + Stropts.Strbuf.SIZE + Stropts.Strbuf.LEN, 0);
                    m.setLong(CTL_SIZE + Stropts.Strbuf.SIZE + Stropts.Strbuf.BUF, Pointer.nativeValue(data));
                    m.setInt(flags - base, 0);
                    if (os.streams().getmsg(fd, 0L, dataStrbuf, flags) < 0) {
                        throw SolarisErrors.ofCommon("getmsg(MIB table " + level + "/" + table + ")",
                                os.libc().errno(), "IP's answer with the routing table could not be read");
                    }
                    int got = m.getInt(CTL_SIZE + Stropts.Strbuf.SIZE + Stropts.Strbuf.LEN);
                    ByteBuffer b = data.getByteBuffer(0, length).order(ByteOrder.nativeOrder());
                    if (level == Mib2.MIB2_IP && table == 0 && got >= Mib2.IP_ROUTE_ENTRY_SIZE + 4) {
                        v4Size = positive(b.getInt(Mib2.IP_ROUTE_ENTRY_SIZE), v4Size);
                    } else if (level == Mib2.MIB2_IP6 && table == 0 && got >= Mib2.IP6_ROUTE_ENTRY_SIZE + 4) {
                        v6Size = positive(b.getInt(Mib2.IP6_ROUTE_ENTRY_SIZE), v6Size);
                    } else if (level == Mib2.MIB2_IP && table == Mib2.MIB2_IP_ROUTE) {
                        tables.table(false, b, got, v4Size);
                    } else if (level == Mib2.MIB2_IP6 && table == Mib2.MIB2_IP6_ROUTE) {
                        tables.table(true, b, got, v6Size);
                    }
                }
            }
        } finally {
            os.libc().close(fd);
        }
    }

    /** The request: T_optmgmt_req then an opthdr asking for everything (level MIB2_IP, name 0, len 0). */
    static void request(ByteBuffer ctl) {
        ctl.putInt(0, Mib2.T_SVR4_OPTMGMT_REQ);
        ctl.putInt(4, Mib2.OPTHDR_SIZE);
        ctl.putInt(8, Mib2.T_OPTMGMT_SIZE);
        ctl.putInt(12, Mib2.T_CURRENT);
        ctl.putInt(16, Mib2.MIB2_IP);
        ctl.putInt(20, 0);
        ctl.putInt(24, 0);
    }

    private static int positive(int size, int otherwise) {
        return size > 0 ? size : otherwise;
    }

    /** The static routes through {@code ifName} in a table of mib2_ipRouteEntry_t. */
    static void parseIpv4(ByteBuffer b, int length, int entrySize, String ifName, List<Route> out) {
        if (entrySize < Mib2.IPV4_FLAGS + 4) {
            return;
        }
        for (int at = 0; at + entrySize <= length; at += entrySize) {
            int flags = b.getInt(at + Mib2.IPV4_FLAGS);
            if ((flags & RouteMessages.RTF_STATIC) == 0 || !onInterface(b, at + Mib2.IPV4_IF, ifName)) {
                continue;
            }
            InetAddress dst = address(b, at + Mib2.IPV4_DEST, 4);
            int prefix = Integer.bitCount(b.getInt(at + Mib2.IPV4_MASK));
            InetAddress gateway = address(b, at + Mib2.IPV4_NEXT_HOP, 4);
            add(out, dst, prefix, (flags & RouteMessages.RTF_GATEWAY) != 0 ? gateway : null);
        }
    }

    /** The static routes through {@code ifName} in a table of mib2_ipv6RouteEntry_t. */
    static void parseIpv6(ByteBuffer b, int length, int entrySize, String ifName, List<Route> out) {
        if (entrySize < Mib2.IPV6_FLAGS + 4) {
            return;
        }
        for (int at = 0; at + entrySize <= length; at += entrySize) {
            int flags = b.getInt(at + Mib2.IPV6_FLAGS);
            if ((flags & RouteMessages.RTF_STATIC) == 0 || !onInterface(b, at + Mib2.IPV6_IF, ifName)) {
                continue;
            }
            InetAddress dst = address(b, at + Mib2.IPV6_DEST, 16);
            int prefix = b.getInt(at + Mib2.IPV6_PREFIX_LENGTH);
            InetAddress gateway = address(b, at + Mib2.IPV6_NEXT_HOP, 16);
            add(out, dst, prefix, (flags & RouteMessages.RTF_GATEWAY) != 0 ? gateway : null);
        }
    }

    private static void add(List<Route> out, InetAddress dst, int prefix, InetAddress gateway) {
        try {
            IpPrefix p = new IpPrefix(dst, prefix);
            out.add(gateway != null ? Route.via(p, gateway) : Route.onLink(p));
        } catch (IllegalArgumentException e) {
            // Not a route the API can express (host bits set, odd prefix): not one of ours either.
        }
    }

    /** Whether a DeviceName ({@code int o_length; char o_bytes[32]}) is the interface or one of its logical ones. */
    private static boolean onInterface(ByteBuffer b, int at, String ifName) {
        String name = deviceName(b, at);
        return !name.isEmpty() && (name.equals(ifName) || name.startsWith(ifName + ":"));
    }

    /** A DeviceName ({@code int o_length; char o_bytes[32]}) as text; empty when the entry names no interface. */
    static String deviceName(ByteBuffer b, int at) {
        int n = b.getInt(at);
        if (n <= 0 || n > Mib2.OCTET_LENGTH) {
            return "";
        }
        byte[] raw = new byte[n];
        b.get(at + 4, raw);
        int end = 0;
        while (end < n && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }

    static InetAddress address(ByteBuffer b, int at, int size) {
        byte[] raw = new byte[size];
        b.get(at, raw);
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
