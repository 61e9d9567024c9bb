// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.google.common.net.InetAddresses;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.windows.win32.DnsInterfaceSettings;
import io.tuntap.windows.win32.IpHelper;
import io.tuntap.windows.win32.IpTables;
import io.tuntap.windows.win32.MibIpForwardRow2;
import io.tuntap.windows.win32.MibIpInterfaceRow;
import io.tuntap.windows.win32.MibUnicastIpAddressRow;
import io.tuntap.windows.win32.SockaddrInet;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One adapter's IP configuration through IP Helper ({@code netioapi.h}): addresses, MTU and metric per
 * family, routes and DNS, keyed by the adapter's {@code NET_LUID}. Never runs {@code netsh}. Calls are
 * serialised on this object.
 */
final class IpInterface {
    /** How long {@link #addAddress} waits for duplicate address detection to finish. */
    private static final long DAD_WAIT_NANOS = 5_000_000_000L;
    private static final int MAX_ALIAS = 257; // NDIS_IF_MAX_STRING_SIZE + 1

    private final IpHelper ip;
    private final long luid;
    private final int index;
    private final String label;

    private IpInterface(IpHelper ip, long luid, int index, String label) {
        this.ip = ip;
        this.luid = luid;
        this.index = index;
        this.label = label;
    }

    /** The interface of the adapter whose {@code NetCfgInstanceId} is {@code guid}. */
    static IpInterface ofGuid(IpHelper ip, UUID guid) throws TunTapException {
        LongByReference luid = new LongByReference();
        int error = ip.ConvertInterfaceGuidToLuid(guid(guid), luid);
        if (error != 0) {
            throw WinErrors.of("ConvertInterfaceGuidToLuid({" + guid + "})", error, "the adapter has no IP "
                    + "interface: it is disabled, or TCP/IP is not bound to it");
        }
        return ofLuid(ip, luid.getValue());
    }

    /** The interface whose {@code NET_LUID} is {@code luid}. */
    static IpInterface ofLuid(IpHelper ip, long luid) throws TunTapException {
        IntByReference index = new IntByReference();
        int error = ip.ConvertInterfaceLuidToIndex(new LongByReference(luid), index);
        if (error != 0) {
            throw WinErrors.of("ConvertInterfaceLuidToIndex", error, "the adapter's IP interface is gone");
        }
        IpInterface i = new IpInterface(ip, luid, index.getValue(), "interface #" + index.getValue());
        return i;
    }

    static Guid.GUID guid(UUID uuid) {
        return Guid.GUID.fromString("{" + uuid.toString().toUpperCase(Locale.ROOT) + "}");
    }

    long luid() {
        return luid;
    }

    IpHelper helper() {
        return ip;
    }

    int index() {
        return index;
    }

    /** The interface's alias (the friendly name users see and may change). */
    synchronized String alias() throws TunTapException {
        try (Memory buffer = new Memory(MAX_ALIAS * 2L)) {
            buffer.clear();
            int error = ip.ConvertInterfaceLuidToAlias(new LongByReference(luid), buffer, MAX_ALIAS);
            if (error != 0) {
                throw WinErrors.of("ConvertInterfaceLuidToAlias", error, "cannot read the name of " + label);
            }
            return utf16(buffer, MAX_ALIAS);
        }
    }

    /** A NUL-terminated UTF-16LE string; Windows' WCHAR is 2 bytes wherever this runs. */
    static String utf16(Pointer p, int maxChars) {
        int n = 0;
        while (n < maxChars && p.getShort(2L * n) != 0) {
            n++;
        }
        return new String(p.getByteArray(0, 2 * n), StandardCharsets.UTF_16LE);
    }

    /** {@code text} as a NUL-terminated UTF-16LE string in new native memory. */
    static Memory utf16(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_16LE);
        Memory m = new Memory(bytes.length + 2L);
        m.write(0, bytes, 0, bytes.length);
        m.setShort(bytes.length, (short) 0);
        return m;
    }

    // ---- per-family interface rows: MTU, metric, connected --------------------------------------

    private MibIpInterfaceRow row(short family) throws TunTapException {
        MibIpInterfaceRow row = new MibIpInterfaceRow();
        row.Family = family;
        row.InterfaceLuid = luid;
        int error = ip.GetIpInterfaceEntry(row);
        if (error != 0) {
            throw WinErrors.of("GetIpInterfaceEntry(" + familyName(family) + ")", error, label + " has no "
                    + familyName(family) + " interface" + (family == SockaddrInet.AF_INET6
                            ? ": IPv6 is unbound from the adapter or disabled" : ": IPv4 is unbound from the adapter"));
        }
        return row;
    }

    private void set(MibIpInterfaceRow row, String what) throws TunTapException {
        if (row.Family == SockaddrInet.AF_INET) {
            row.SitePrefixLength = 0; // SetIpInterfaceEntry refuses anything else for IPv4
        }
        int error = ip.SetIpInterfaceEntry(row);
        if (error != 0) {
            throw WinErrors.ofCommon("SetIpInterfaceEntry(" + familyName(row.Family) + ")", error,
                    "cannot set the " + what + " of " + label);
        }
    }

    synchronized int mtu(short family) throws TunTapException {
        return row(family).NlMtu;
    }

    /** Sets the IP MTU of {@code family}, checked against {@code maxMtu} (what the driver carries). */
    synchronized void setMtu(short family, int mtu, int maxMtu) throws TunTapException {
        if (mtu < DeviceConfig.MIN_MTU || mtu > DeviceConfig.MAX_MTU) {
            throw new InvalidConfigurationException("setMtu", 0, ErrorMessages.failed("setMtu(" + mtu + ") on "
                    + label, "MTU " + mtu + " is out of range: use " + DeviceConfig.MIN_MTU + " to "
                    + DeviceConfig.MAX_MTU));
        }
        if (mtu > maxMtu) {
            throw new InvalidConfigurationException("setMtu", 0, ErrorMessages.failed("setMtu(" + mtu + ") on "
                    + label, "MTU " + mtu + " is more than the driver of " + label + " carries (" + maxMtu + "); a "
                    + "larger one needs the adapter's MTU property raised (tap-windows6: advanced property MTU, then "
                    + "disable and enable the adapter)"));
        }
        MibIpInterfaceRow row = row(family);
        row.NlMtu = mtu;
        set(row, "MTU");
    }

    synchronized boolean connected() throws TunTapException {
        return row(SockaddrInet.AF_INET).Connected != 0;
    }

    synchronized int metric() throws TunTapException {
        return row(SockaddrInet.AF_INET).Metric;
    }

    synchronized void setMetric(int metric) throws TunTapException {
        if (metric < 0) {
            throw new InvalidConfigurationException("setInterfaceMetric", 0, ErrorMessages.failed(
                    "setInterfaceMetric(" + metric + ") on " + label, "the metric is negative; use 0 (automatic) or "
                    + "more"));
        }
        for (short family : new short[] {SockaddrInet.AF_INET, SockaddrInet.AF_INET6}) {
            MibIpInterfaceRow row = row(family);
            row.UseAutomaticMetric = (byte) (metric == 0 ? 1 : 0);
            row.Metric = metric;
            set(row, "metric");
        }
    }

    // ---- addresses --------------------------------------------------------------------------------

    synchronized List<IpPrefix> addresses() throws TunTapException {
        PointerByReference table = new PointerByReference();
        int error = ip.GetUnicastIpAddressTable(SockaddrInet.AF_UNSPEC, table);
        if (error != 0) {
            throw WinErrors.of("GetUnicastIpAddressTable", error, "cannot list the addresses of " + label);
        }
        try {
            return addresses(table.getValue(), luid);
        } finally {
            ip.FreeMibTable(table.getValue());
        }
    }

    /**
     * The addresses of interface {@code luid} in a {@code MIB_UNICASTIPADDRESS_TABLE}, less link-local ones and rows
     * whose prefix length does not fit their address.
     */
    static List<IpPrefix> addresses(Pointer table, long luid) {
        List<IpPrefix> result = new ArrayList<>();
        for (MibUnicastIpAddressRow row : IpTables.rows(table, new MibUnicastIpAddressRow().size(),
                MibUnicastIpAddressRow::new)) {
            IpPrefix p = row.InterfaceLuid == luid ? prefix(row) : null;
            if (p != null) {
                result.add(p);
            }
        }
        return result;
    }

    /**
     * The address and on-link prefix of a {@code MIB_UNICASTIPADDRESS_ROW} (of a table, or of a change
     * notification), or null for a link-local address, another family, or a prefix length that does not fit.
     */
    static IpPrefix prefix(MibUnicastIpAddressRow row) {
        InetAddress a = row.Address.address();
        int length = row.OnLinkPrefixLength & 0xff;
        if (a == null || a.isLinkLocalAddress() || length > a.getAddress().length * 8) {
            return null;
        }
        return new IpPrefix(a, length);
    }

    private MibUnicastIpAddressRow addressRow(IpPrefix prefix) {
        MibUnicastIpAddressRow row = new MibUnicastIpAddressRow();
        ip.InitializeUnicastIpAddressEntry(row);
        row.Address.set(prefix.address());
        row.InterfaceLuid = luid;
        row.OnLinkPrefixLength = (byte) prefix.prefixLength();
        row.DadState = MibUnicastIpAddressRow.IP_DAD_STATE_PREFERRED;
        return row;
    }

    /**
     * Waits up to {@code nanos} for the stack to see the interface connected (its {@code Connected} field),
     * after the driver indicated media connect; the indication reaches the stack asynchronously.
     *
     * @return whether it is connected
     */
    synchronized boolean awaitConnected(long nanos) throws TunTapException {
        long deadline = System.nanoTime() + nanos;
        while (!connected()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Adds {@code prefix} and, if the interface is connected, waits until it is usable (duplicate address
     * detection done). DAD probes the link (RFC 4862 section 5.4; Microsoft's NL_DAD_STATE applies it to IPv4
     * and IPv6 alike), so on a disconnected interface it cannot finish: there the address stays tentative until
     * the media connects, and this returns at once.
     *
     * @throws DeviceBusyException if the interface already has it
     */
    synchronized void addAddress(IpPrefix prefix) throws TunTapException {
        MibUnicastIpAddressRow row = addressRow(prefix);
        String call = "CreateUnicastIpAddressEntry(" + prefix + ")";
        int error = ip.CreateUnicastIpAddressEntry(row);
        if (error == WinErrors.ERROR_OBJECT_ALREADY_EXISTS) {
            throw WinErrors.of(call, error, label + " already has " + prefix + "; remove it first or skip adding it");
        } else if (error != 0) {
            throw WinErrors.ofCommon(call, error, "cannot add " + prefix + " to " + label
                    + (prefix.isIpv4() ? "" : " (IPv6 needs an MTU of at least 1280)"));
        }
        if (row(prefix.isIpv4() ? SockaddrInet.AF_INET : SockaddrInet.AF_INET6).Connected == 0) {
            return;
        }
        long deadline = System.nanoTime() + DAD_WAIT_NANOS;
        MibUnicastIpAddressRow probe = addressRow(prefix);
        while (ip.GetUnicastIpAddressEntry(probe) == 0 && probe.DadState == MibUnicastIpAddressRow.IP_DAD_STATE_TENTATIVE
                && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @throws DeviceNotFoundException if the interface does not have {@code prefix} */
    synchronized void removeAddress(IpPrefix prefix) throws TunTapException {
        String call = "DeleteUnicastIpAddressEntry(" + prefix + ")";
        if (!addresses().contains(prefix)) {
            throw new DeviceNotFoundException(call, 0, ErrorMessages.failed(call, label + " does not have " + prefix
                    + "; see addresses() for what it has"));
        }
        int error = ip.DeleteUnicastIpAddressEntry(addressRow(prefix));
        if (error == WinErrors.ERROR_NOT_FOUND) {
            throw WinErrors.of(call, error, label + " does not have " + prefix + "; see addresses() for what it has");
        } else if (error != 0) {
            throw WinErrors.ofCommon(call, error, "cannot remove " + prefix + " from " + label);
        }
    }

    // ---- routes -----------------------------------------------------------------------------------

    private MibIpForwardRow2 routeRow(IpPrefix destination, InetAddress gateway, int metric) {
        MibIpForwardRow2 row = new MibIpForwardRow2();
        ip.InitializeIpForwardEntry(row);
        row.InterfaceLuid = luid;
        row.DestinationPrefix.Prefix.set(destination.address());
        row.DestinationPrefix.PrefixLength = (byte) destination.prefixLength();
        if (gateway != null) {
            row.NextHop.set(gateway);
        } else {
            row.NextHop.si_family = row.DestinationPrefix.Prefix.si_family; // unspecified address: on-link
        }
        row.Metric = metric;
        row.Protocol = MibIpForwardRow2.MIB_IPPROTO_NETMGMT;
        return row;
    }

    /** Adds a route through this interface; {@code gateway} null means on-link. */
    synchronized void addRoute(IpPrefix destination, InetAddress gateway, int metric) throws TunTapException {
        String call = "CreateIpForwardEntry2(" + destination + (gateway == null ? "" : " via "
                + gateway.getHostAddress()) + ")";
        int error = ip.CreateIpForwardEntry2(routeRow(destination, gateway, metric));
        if (error == WinErrors.ERROR_OBJECT_ALREADY_EXISTS) {
            throw WinErrors.of(call, error, "the route exists already; remove it first or leave it");
        } else if (error != 0) {
            throw WinErrors.ofCommon(call, error, "cannot add the route");
        }
    }

    synchronized void removeRoute(IpPrefix destination, InetAddress gateway) throws TunTapException {
        String call = "DeleteIpForwardEntry2(" + destination + ")";
        int error = ip.DeleteIpForwardEntry2(routeRow(destination, gateway, 0));
        if (error == WinErrors.ERROR_NOT_FOUND) {
            throw WinErrors.of(call, error, "there is no such route on " + label + "; see routes() for the routes "
                    + "there are");
        } else if (error != 0) {
            throw WinErrors.ofCommon(call, error, "cannot remove the route");
        }
    }

    /** The routes through this interface, as destination, gateway (null: on-link) and metric. */
    synchronized List<MibIpForwardRow2> routes() throws TunTapException {
        PointerByReference table = new PointerByReference();
        int error = ip.GetIpForwardTable2(SockaddrInet.AF_UNSPEC, table);
        if (error != 0) {
            throw WinErrors.of("GetIpForwardTable2", error, "cannot list the routes of " + label);
        }
        try {
            return routes(table.getValue(), luid);
        } finally {
            ip.FreeMibTable(table.getValue());
        }
    }

    /** The rows of interface {@code luid} in a {@code MIB_IPFORWARD_TABLE2}. */
    static List<MibIpForwardRow2> routes(Pointer table, long luid) {
        List<MibIpForwardRow2> result = new ArrayList<>();
        for (MibIpForwardRow2 row : IpTables.rows(table, new MibIpForwardRow2().size(), MibIpForwardRow2::new)) {
            if (row.InterfaceLuid == luid) {
                result.add(row);
            }
        }
        return result;
    }

    // ---- DNS --------------------------------------------------------------------------------------

    synchronized void setDns(UUID guid, List<InetAddress> servers, List<String> searchDomains)
            throws TunTapException {
        for (short family : new short[] {SockaddrInet.AF_INET, SockaddrInet.AF_INET6}) {
            StringBuilder list = new StringBuilder();
            for (InetAddress s : servers) {
                if ((s instanceof java.net.Inet4Address) == (family == SockaddrInet.AF_INET)) {
                    list.append(list.length() == 0 ? "" : ",").append(InetAddresses.toAddrString(s));
                }
            }
            DnsInterfaceSettings settings = new DnsInterfaceSettings();
            settings.Flags = DnsInterfaceSettings.DNS_SETTING_NAMESERVER | DnsInterfaceSettings.DNS_SETTING_SEARCHLIST
                    | (family == SockaddrInet.AF_INET6 ? DnsInterfaceSettings.DNS_SETTING_IPV6 : 0);
            try (Memory names = utf16(list.toString()); Memory search = utf16(String.join(",", searchDomains))) {
                settings.NameServer = names;
                settings.SearchList = search;
                int error;
                try {
                    error = ip.SetInterfaceDnsSettings(new Guid.GUID.ByValue(guid(guid)), settings);
                } catch (UnsatisfiedLinkError e) {
                    throw new UnsupportedFeatureException("SetInterfaceDnsSettings", 0, ErrorMessages.failed(
                            "SetInterfaceDnsSettings", "iphlpapi.dll lacks it: setting DNS servers needs Windows 10 "
                            + "version 2004 (build 19041) or later"), e);
                }
                if (error != 0) {
                    throw WinErrors.ofCommon("SetInterfaceDnsSettings(" + familyName(family) + ")", error,
                            "cannot set the DNS servers of " + label);
                }
            }
        }
    }

    static String familyName(short family) {
        return family == SockaddrInet.AF_INET ? "IPv4" : family == SockaddrInet.AF_INET6 ? "IPv6" : "AF_UNSPEC";
    }
}
