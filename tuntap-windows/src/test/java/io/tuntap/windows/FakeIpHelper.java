// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.tuntap.IpPrefix;
import io.tuntap.windows.win32.DnsInterfaceSettings;
import io.tuntap.windows.win32.IpHelper;
import io.tuntap.windows.win32.IpTables;
import io.tuntap.windows.win32.MibIpForwardRow2;
import io.tuntap.windows.win32.MibIpInterfaceRow;
import io.tuntap.windows.win32.MibUnicastIpAddressRow;
import io.tuntap.windows.win32.SockaddrInet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * IP Helper in memory: interfaces by LUID with per-family MTU and metric, unicast addresses and routes, and
 * tables in native memory that must be given back with {@code FreeMibTable}. Errors as the real functions
 * return them: {@code ERROR_OBJECT_ALREADY_EXISTS} for a duplicate address or route, {@code ERROR_NOT_FOUND}
 * for a missing one or an unknown LUID, {@code ERROR_INVALID_PARAMETER} for an IPv4 row with a site prefix.
 * {@link #denyChanges} makes every change fail with {@code ERROR_ACCESS_DENIED}, as for a user who is not an
 * administrator.
 *
 * <p>Duplicate address detection: a new address is {@code IpDadStateTentative} until DAD has run on a connected
 * link for {@link #dadNanos}, then {@code IpDadStatePreferred}. DAD probes the link (RFC 4862 section 5.4: an
 * address stays tentative until its Neighbor Solicitations have gone unanswered), so while the adapter's media
 * is disconnected it does not progress, and an address added then stays tentative until the media connects.
 * The state is the row's {@code DadState} (learn.microsoft.com, "MIB_UNICASTIPADDRESS_ROW structure": the
 * duplicate address detection state, an NL_DAD_STATE value, DAD being available for IPv6 and IPv4 addresses
 * alike; .NET's DuplicateAddressDetectionState documents Tentative as an address not yet valid, to which
 * packets sent are discarded).
 * {@link #tentativePollsWhileDisconnected} counts the reads of such a stuck address.
 */
final class FakeIpHelper implements IpHelper {
    static final int ERROR_NOT_FOUND = 1168;
    static final int ERROR_OBJECT_ALREADY_EXISTS = 5010;
    static final int ERROR_INVALID_PARAMETER = 87;
    static final int ERROR_ACCESS_DENIED = 5;

    static final class Interface {
        final UUID guid;
        final long luid;
        final int index;
        String alias;
        int mtu4 = 1500;
        int mtu6 = 1500;
        int metric = 25;
        boolean automaticMetric = true;
        final List<IpPrefix> addresses = new ArrayList<>();
        final List<Object[]> routes = new ArrayList<>(); // {IpPrefix, InetAddress or null, Integer}
        /** The media state NDIS reports for the adapter; tied to a driver fake's media status. */
        java.util.function.BooleanSupplier connected = () -> true;
        /** When each address's DAD started on a connected link (System.nanoTime), absent while it has not. */
        final Map<InetAddress, Long> dadStarted = new HashMap<>();
        String dns4 = "";
        String dns6 = "";

        Interface(UUID guid, long luid, int index, String alias) {
            this.guid = guid;
            this.luid = luid;
            this.index = index;
            this.alias = alias;
        }
    }

    final Map<Long, Interface> interfaces = new HashMap<>();
    private final Set<Long> liveTables = new HashSet<>();
    private final Map<Long, Memory> tableMemory = new HashMap<>();
    volatile boolean denyChanges;
    /** How long DAD takes on a connected link; by default it is done by the first look after connecting. */
    volatile long dadNanos;
    /** Reads of a tentative address's row while its interface was disconnected (DAD could not progress). */
    int tentativePollsWhileDisconnected;

    /** The DAD state of {@code a} on {@code i} now, starting DAD if the link has connected since. */
    private int dadState(Interface i, InetAddress a) {
        Long started = i.dadStarted.get(a);
        long now = System.nanoTime();
        if (!i.connected.getAsBoolean()) {
            if (started == null || now - started < dadNanos) {
                i.dadStarted.remove(a); // a probe interrupted by the media going away starts over
                return MibUnicastIpAddressRow.IP_DAD_STATE_TENTATIVE;
            }
            return MibUnicastIpAddressRow.IP_DAD_STATE_PREFERRED;
        }
        if (started == null) {
            i.dadStarted.put(a, now);
            started = now;
        }
        return now - started >= dadNanos ? MibUnicastIpAddressRow.IP_DAD_STATE_PREFERRED
                : MibUnicastIpAddressRow.IP_DAD_STATE_TENTATIVE;
    }

    synchronized Interface add(UUID guid, long luid, int index, String alias) {
        Interface i = new Interface(guid, luid, index, alias);
        interfaces.put(luid, i);
        return i;
    }

    synchronized int liveTables() {
        return liveTables.size();
    }

    private Interface byLuid(long luid) {
        return interfaces.get(luid);
    }

    /**
     * The interface a route row names: "the InterfaceLuid or the InterfaceIndex member ... must be specified"
     * (learn.microsoft.com, nf-netioapi-createipforwardentry2 and deleteipforwardentry2), the LUID first.
     */
    private Interface byRow(MibIpForwardRow2 row) {
        if (row.InterfaceLuid != 0) {
            return byLuid(row.InterfaceLuid);
        }
        for (Interface i : interfaces.values()) {
            if (i.index == row.InterfaceIndex && row.InterfaceIndex != 0) {
                return i;
            }
        }
        return null;
    }

    @Override
    public synchronized int ConvertInterfaceGuidToLuid(Guid.GUID guid, LongByReference luid) {
        UUID u = TapAdapter.parseGuid(guid.toGuidString());
        for (Interface i : interfaces.values()) {
            if (i.guid.equals(u)) {
                luid.setValue(i.luid);
                return 0;
            }
        }
        return ERROR_NOT_FOUND;
    }

    @Override
    public synchronized int ConvertInterfaceLuidToIndex(LongByReference luid, IntByReference index) {
        Interface i = byLuid(luid.getValue());
        if (i == null) {
            return ERROR_NOT_FOUND;
        }
        index.setValue(i.index);
        return 0;
    }

    @Override
    public synchronized int ConvertInterfaceLuidToGuid(LongByReference luid, Guid.GUID guid) {
        Interface i = byLuid(luid.getValue());
        if (i == null) {
            return ERROR_NOT_FOUND;
        }
        Guid.GUID g = IpInterface.guid(i.guid);
        guid.Data1 = g.Data1;
        guid.Data2 = g.Data2;
        guid.Data3 = g.Data3;
        guid.Data4 = g.Data4;
        return 0;
    }

    @Override
    public synchronized int ConvertInterfaceAliasToLuid(Pointer alias, LongByReference luid) {
        String a = IpInterface.utf16(alias, 257);
        for (Interface i : interfaces.values()) {
            if (i.alias.equalsIgnoreCase(a)) {
                luid.setValue(i.luid);
                return 0;
            }
        }
        return ERROR_NOT_FOUND;
    }

    @Override
    public synchronized int ConvertInterfaceLuidToAlias(LongByReference luid, Pointer alias, long length) {
        Interface i = byLuid(luid.getValue());
        if (i == null) {
            return ERROR_NOT_FOUND;
        }
        if (i.alias.length() + 1 > length) {
            return 122; // ERROR_INSUFFICIENT_BUFFER
        }
        byte[] b = i.alias.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        alias.write(0, b, 0, b.length);
        alias.setShort(b.length, (short) 0);
        return 0;
    }

    @Override
    public void InitializeUnicastIpAddressEntry(MibUnicastIpAddressRow row) {
        row.PrefixOrigin = MibUnicastIpAddressRow.IP_PREFIX_ORIGIN_MANUAL;
        row.SuffixOrigin = MibUnicastIpAddressRow.IP_SUFFIX_ORIGIN_MANUAL;
        row.ValidLifetime = -1;
        row.PreferredLifetime = -1;
        row.OnLinkPrefixLength = (byte) 0xff;
    }

    private static MibUnicastIpAddressRow copy(MibUnicastIpAddressRow row, Interface i) {
        MibUnicastIpAddressRow c = new MibUnicastIpAddressRow();
        c.Address.set(row.Address.address());
        c.OnLinkPrefixLength = row.OnLinkPrefixLength;
        c.InterfaceLuid = i.luid;
        c.InterfaceIndex = i.index;
        return c;
    }

    private static IpPrefix prefix(MibUnicastIpAddressRow row) {
        return new IpPrefix(row.Address.address(), row.OnLinkPrefixLength & 0xff);
    }

    @Override
    public synchronized int CreateUnicastIpAddressEntry(MibUnicastIpAddressRow row) {
        Interface i = byLuid(row.InterfaceLuid);
        if (i == null) {
            return ERROR_NOT_FOUND;
        }
        if (denyChanges) {
            return ERROR_ACCESS_DENIED;
        }
        InetAddress a = row.Address.address();
        if (a == null || (row.OnLinkPrefixLength & 0xff) > (a.getAddress().length * 8)) {
            return ERROR_INVALID_PARAMETER;
        }
        for (Interface other : interfaces.values()) {
            for (IpPrefix p : other.addresses) {
                if (p.address().equals(a)) {
                    return ERROR_OBJECT_ALREADY_EXISTS;
                }
            }
        }
        i.addresses.add(prefix(row));
        if (i.connected.getAsBoolean()) {
            i.dadStarted.put(a, System.nanoTime());
        }
        notifyRow(i.luid, copy(row, i), 1);
        return 0;
    }

    @Override
    public synchronized int DeleteUnicastIpAddressEntry(MibUnicastIpAddressRow row) {
        Interface i = byLuid(row.InterfaceLuid);
        if (i == null) {
            return ERROR_NOT_FOUND;
        }
        if (denyChanges) {
            return ERROR_ACCESS_DENIED;
        }
        InetAddress a = row.Address.address();
        IpPrefix gone = i.addresses.stream().filter(p -> p.address().equals(a)).findFirst().orElse(null);
        if (gone == null) {
            return ERROR_NOT_FOUND;
        }
        i.addresses.remove(gone);
        i.dadStarted.remove(a);
        MibUnicastIpAddressRow deleted = new MibUnicastIpAddressRow();
        deleted.Address.set(a);
        deleted.OnLinkPrefixLength = (byte) gone.prefixLength();
        notifyRow(i.luid, copy(deleted, i), 2);
        return 0;
    }

    @Override
    public synchronized int GetUnicastIpAddressEntry(MibUnicastIpAddressRow row) {
        Interface i = byLuid(row.InterfaceLuid);
        if (i == null) {
            return ERROR_NOT_FOUND;
        }
        InetAddress a = row.Address.address();
        for (IpPrefix p : i.addresses) {
            if (p.address().equals(a)) {
                row.OnLinkPrefixLength = (byte) p.prefixLength();
                row.DadState = dadState(i, a);
                if (row.DadState == MibUnicastIpAddressRow.IP_DAD_STATE_TENTATIVE && !i.connected.getAsBoolean()) {
                    tentativePollsWhileDisconnected++;
                }
                row.InterfaceIndex = i.index;
                return 0;
            }
        }
        return ERROR_NOT_FOUND;
    }

    private Pointer table(int rowSize, int count) {
        Memory m = new Memory(IpTables.TABLE_OFFSET + (long) Math.max(1, count) * rowSize);
        m.clear();
        m.setInt(0, count);
        long address = Pointer.nativeValue(m);
        liveTables.add(address);
        tableMemory.put(address, m);
        return m;
    }

    @Override
    public synchronized int GetUnicastIpAddressTable(short family, PointerByReference table) {
        List<MibUnicastIpAddressRow> rows = new ArrayList<>();
        for (Interface i : interfaces.values()) {
            for (IpPrefix p : i.addresses) {
                if (family == SockaddrInet.AF_UNSPEC || (family == SockaddrInet.AF_INET) == p.isIpv4()) {
                    MibUnicastIpAddressRow row = new MibUnicastIpAddressRow();
                    row.Address.set(p.address());
                    row.OnLinkPrefixLength = (byte) p.prefixLength();
                    row.InterfaceLuid = i.luid;
                    row.InterfaceIndex = i.index;
                    row.DadState = dadState(i, p.address());
                    rows.add(row);
                }
            }
        }
        int size = new MibUnicastIpAddressRow().size();
        Pointer t = table(size, rows.size());
        for (int k = 0; k < rows.size(); k++) {
            rows.get(k).write();
            t.write(IpTables.TABLE_OFFSET + (long) k * size, rows.get(k).getPointer().getByteArray(0, size), 0, size);
        }
        table.setValue(t);
        return 0;
    }

    @Override
    public synchronized void FreeMibTable(Pointer table) {
        long address = Pointer.nativeValue(table);
        if (!liveTables.remove(address)) {
            throw new IllegalStateException("FreeMibTable of memory that is not a live table");
        }
        tableMemory.remove(address).close();
    }

    @Override
    public synchronized int GetIpInterfaceEntry(MibIpInterfaceRow row) {
        Interface i = byLuid(row.InterfaceLuid);
        if (i == null || (row.Family != SockaddrInet.AF_INET && row.Family != SockaddrInet.AF_INET6)) {
            return ERROR_NOT_FOUND;
        }
        row.InterfaceIndex = i.index;
        row.NlMtu = row.Family == SockaddrInet.AF_INET ? i.mtu4 : i.mtu6;
        row.Metric = i.metric;
        row.UseAutomaticMetric = (byte) (i.automaticMetric ? 1 : 0);
        row.SitePrefixLength = row.Family == SockaddrInet.AF_INET ? 0 : 64;
        row.Connected = (byte) (i.connected.getAsBoolean() ? 1 : 0);
        return 0;
    }

    @Override
    public synchronized int SetIpInterfaceEntry(MibIpInterfaceRow row) {
        Interface i = byLuid(row.InterfaceLuid);
        if (i == null) {
            return ERROR_NOT_FOUND;
        }
        if (denyChanges) {
            return ERROR_ACCESS_DENIED;
        }
        if (row.Family == SockaddrInet.AF_INET && row.SitePrefixLength != 0) {
            return ERROR_INVALID_PARAMETER;
        }
        if (row.NlMtu < 68 || (row.Family == SockaddrInet.AF_INET6 && row.NlMtu < 1280)) {
            return ERROR_INVALID_PARAMETER;
        }
        if (row.Family == SockaddrInet.AF_INET) {
            i.mtu4 = row.NlMtu;
        } else {
            i.mtu6 = row.NlMtu;
        }
        i.metric = row.Metric;
        i.automaticMetric = row.UseAutomaticMetric != 0;
        notifyChange(i.luid, false);
        return 0;
    }

    @Override
    public void InitializeIpForwardEntry(MibIpForwardRow2 row) {
        row.ValidLifetime = -1;
        row.PreferredLifetime = -1;
        row.Metric = 0;
        row.Protocol = MibIpForwardRow2.MIB_IPPROTO_NETMGMT;
    }

    private static Object[] route(MibIpForwardRow2 row) {
        InetAddress hop = row.NextHop.address();
        return new Object[] {new IpPrefix(row.DestinationPrefix.Prefix.address(), row.DestinationPrefix.PrefixLength & 0xff),
                hop == null || hop.isAnyLocalAddress() ? null : hop, row.Metric};
    }

    @Override
    public synchronized int CreateIpForwardEntry2(MibIpForwardRow2 row) {
        Interface i = byRow(row);
        if (i == null) {
            return ERROR_NOT_FOUND;
        }
        if (denyChanges) {
            return ERROR_ACCESS_DENIED;
        }
        Object[] r = route(row);
        for (Object[] e : i.routes) {
            if (e[0].equals(r[0]) && java.util.Objects.equals(e[1], r[1])) {
                return ERROR_OBJECT_ALREADY_EXISTS;
            }
        }
        i.routes.add(r);
        return 0;
    }

    @Override
    public synchronized int DeleteIpForwardEntry2(MibIpForwardRow2 row) {
        Interface i = byRow(row);
        if (i == null) {
            return ERROR_NOT_FOUND;
        }
        Object[] r = route(row);
        return i.routes.removeIf(e -> e[0].equals(r[0]) && java.util.Objects.equals(e[1], r[1])) ? 0 : ERROR_NOT_FOUND;
    }

    @Override
    public synchronized int GetIpForwardTable2(short family, PointerByReference table) {
        List<MibIpForwardRow2> rows = new ArrayList<>();
        for (Interface i : interfaces.values()) {
            for (Object[] r : i.routes) {
                // Family: AF_INET, AF_INET6, or AF_UNSPEC for both (nf-netioapi-getipforwardtable2).
                boolean v4 = ((IpPrefix) r[0]).isIpv4();
                if (family != SockaddrInet.AF_UNSPEC && (family == SockaddrInet.AF_INET) != v4) {
                    continue;
                }
                MibIpForwardRow2 row = new MibIpForwardRow2();
                row.InterfaceLuid = i.luid;
                row.InterfaceIndex = i.index;
                row.DestinationPrefix.Prefix.set(((IpPrefix) r[0]).address());
                row.DestinationPrefix.PrefixLength = (byte) ((IpPrefix) r[0]).prefixLength();
                if (r[1] != null) {
                    row.NextHop.set((InetAddress) r[1]);
                } else {
                    row.NextHop.si_family = row.DestinationPrefix.Prefix.si_family;
                }
                row.Metric = (Integer) r[2];
                rows.add(row);
            }
        }
        int size = new MibIpForwardRow2().size();
        Pointer t = table(size, rows.size());
        for (int k = 0; k < rows.size(); k++) {
            rows.get(k).write();
            t.write(IpTables.TABLE_OFFSET + (long) k * size, rows.get(k).getPointer().getByteArray(0, size), 0, size);
        }
        table.setValue(t);
        return 0;
    }

    @Override
    public synchronized int SetInterfaceDnsSettings(Guid.GUID.ByValue interfaceGuid, DnsInterfaceSettings settings) {
        UUID u = TapAdapter.parseGuid(interfaceGuid.toGuidString());
        for (Interface i : interfaces.values()) {
            if (i.guid.equals(u)) {
                if (denyChanges) {
                    return ERROR_ACCESS_DENIED;
                }
                String servers = IpInterface.utf16(settings.NameServer, 1024);
                if ((settings.Flags & DnsInterfaceSettings.DNS_SETTING_IPV6) != 0) {
                    i.dns6 = servers;
                } else {
                    i.dns4 = servers;
                }
                return 0;
            }
        }
        return ERROR_NOT_FOUND;
    }

    // ---- change notifications: delivered on one notifier thread, after the change, as Windows does ----

    private final Map<Long, Object> callbacks = new HashMap<>();
    private final Map<Long, Memory> callbackHandles = new HashMap<>();
    private final java.util.concurrent.ExecutorService notifier = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-iphlpapi-notify");
        t.setDaemon(true);
        return t;
    });
    /** Held while a callback runs, so that CancelMibChangeNotify2 can wait for it as the real one does. */
    private final Object inCallback = new Object();

    private long register(Object callback, PointerByReference handle) {
        Memory h = new Memory(1);
        long key = Pointer.nativeValue(h);
        callbacks.put(key, callback);
        callbackHandles.put(key, h);
        handle.setValue(h);
        return key;
    }

    @Override
    public synchronized int NotifyIpInterfaceChange(short family, InterfaceChangeCallback callback, Pointer context,
            byte initialNotification, PointerByReference handle) {
        register(callback, handle);
        return 0;
    }

    @Override
    public synchronized int NotifyUnicastIpAddressChange(short family, AddressChangeCallback callback, Pointer context,
            byte initialNotification, PointerByReference handle) {
        register(callback, handle);
        return 0;
    }

    @Override
    public int CancelMibChangeNotify2(Pointer handle) {
        synchronized (inCallback) {
            synchronized (this) {
                long key = Pointer.nativeValue(handle);
                if (callbacks.remove(key) == null) {
                    return ERROR_INVALID_PARAMETER;
                }
                callbackHandles.remove(key).close();
                return 0;
            }
        }
    }

    synchronized int liveNotifications() {
        return callbacks.size();
    }

    /** The adapter's media state changed (NDIS link state indication): notifies the interface callbacks. */
    void mediaChanged(long luid) {
        synchronized (this) {
            Interface i = byLuid(luid);
            if (i != null) {
                for (IpPrefix p : i.addresses) {
                    dadState(i, p.address()); // DAD starts when the media connects, and restarts after a drop
                }
            }
        }
        notifyChange(luid, false);
    }

    /** Notifies the interface callbacks of a change of {@code luid}'s interface row. */
    private void notifyChange(long luid, boolean address) {
        if (address) {
            throw new IllegalArgumentException("address changes carry their row");
        }
        notifyRow(luid, null, 0);
    }

    /**
     * Notifies callbacks, on the notifier thread: with {@code addressRow}, the address callbacks of that row
     * and {@code type} (1 added, 2 deleted); else the interface callbacks.
     */
    private void notifyRow(long luid, MibUnicastIpAddressRow addressRow, int type) {
        byte[] bytes;
        if (addressRow != null) {
            addressRow.write();
            bytes = addressRow.getPointer().getByteArray(0, addressRow.size());
        } else {
            bytes = new byte[168];
            java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(8, luid);
        }
        notifier.execute(() -> {
            synchronized (inCallback) {
                List<Object> targets;
                synchronized (this) {
                    targets = new ArrayList<>(callbacks.values());
                }
                try (Memory row = new Memory(bytes.length)) {
                    row.write(0, bytes, 0, bytes.length);
                    for (Object cb : targets) {
                        if (addressRow != null && cb instanceof AddressChangeCallback a) {
                            a.invoke(null, row, type);
                        } else if (addressRow == null && cb instanceof InterfaceChangeCallback i) {
                            i.invoke(null, row, type);
                        }
                    }
                }
            }
        });
    }
}
