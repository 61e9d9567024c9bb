// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.spi.Availability;
import io.tuntap.windows.win32.IpHelper;
import io.tuntap.windows.win32.IpTables;
import io.tuntap.windows.win32.MibIpForwardRow2;
import io.tuntap.windows.win32.MibUnicastIpAddressRow;
import io.tuntap.windows.win32.SetupApiNetAdapters;
import io.tuntap.windows.win32.SockaddrInet;
import io.tuntap.windows.win32.Wine;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-only calls into the real {@code iphlpapi.dll} and {@code setupapi.dll} of the system the JVM runs on,
 * through the backend's own bindings and classes: nothing is created or changed. They run only on a Windows
 * JVM; here that is a Windows JVM under wine (scripts/windows-jvm-test), so they check the JNA structures
 * and the backend's reading code against an implementation nobody in the project wrote: wine's, which
 * reports the Linux host's interfaces. Where wine answers differently from Windows, the test says so and
 * asserts wine's answer only under wine.
 *
 * <p>Microsoft's documentation cited: learn.microsoft.com, {@code windows/win32/api/netioapi/}
 * {@code nf-netioapi-convertinterfaceluidtoindex}, {@code ns-netioapi-mib_unicastipaddress_row},
 * {@code windows/win32/api/nldef/ne-nldef-nl_prefix_origin}, {@code windows/win32/api/ifdef/ns-ifdef-net_luid_lh}.
 * Wine's source cited: wine-mirror/wine, {@code dlls/iphlpapi/iphlpapi_main.c} ({@code unicast_row_fill},
 * {@code NotifyUnicastIpAddressChange}) and {@code dlls/nsiproxy.sys/ip.c} (the unicast rows).
 */
class RealWin32ReadOnlyTest {
    /** {@code IF_TYPE_SOFTWARE_LOOPBACK} (ipifcons.h), the {@code IfType} of the loopback interface. */
    static final int IF_TYPE_SOFTWARE_LOOPBACK = 24;
    /** {@code IpPrefixOriginManual} and {@code IpPrefixOriginWellKnown} (nldef.h, NL_PREFIX_ORIGIN). */
    static final int ORIGIN_MANUAL = 1;
    static final int ORIGIN_WELL_KNOWN = 2;
    static final int ERROR_FILE_NOT_FOUND = 2;
    static final int ERROR_INVALID_PARAMETER = 87;

    static IpHelper ip;

    @BeforeAll
    static void onWindowsOnly() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Windows"),
                "calls the real iphlpapi.dll and setupapi.dll: only on a Windows JVM (scripts/windows-jvm-test "
                        + "runs one under wine)");
        ip = IpHelper.load();
    }

    /** {@code NET_LUID_LH.Info.IfType}: the top 16 bits (Reserved:24, NetLuidIndex:24, IfType:16). */
    static int ifType(long luid) {
        return (int) (luid >>> 48);
    }

    static List<MibUnicastIpAddressRow> unicastTable() {
        PointerByReference table = new PointerByReference();
        assertEquals(0, ip.GetUnicastIpAddressTable(SockaddrInet.AF_UNSPEC, table), "GetUnicastIpAddressTable");
        try {
            return IpTables.rows(table.getValue(), new MibUnicastIpAddressRow().size(), MibUnicastIpAddressRow::new);
        } finally {
            ip.FreeMibTable(table.getValue());
        }
    }

    @Test
    void everyAddressRowNamesAnInterfaceThatConvertsBothWays() {
        List<MibUnicastIpAddressRow> rows = unicastTable();
        assertFalse(rows.isEmpty(), "at least the loopback addresses");
        for (MibUnicastIpAddressRow row : rows) {
            InetAddress a = row.Address.address();
            String what = a.getHostAddress() + " on LUID " + Long.toHexString(row.InterfaceLuid);
            assertEquals(a instanceof Inet4Address ? SockaddrInet.AF_INET : SockaddrInet.AF_INET6,
                    row.Address.si_family, what);
            int bits = a instanceof Inet4Address ? 32 : 128;
            assertTrue((row.OnLinkPrefixLength & 0xff) <= bits, what + ": prefix length " + (row.OnLinkPrefixLength & 0xff));
            LongByReference luid = new LongByReference(row.InterfaceLuid);
            IntByReference index = new IntByReference();
            assertEquals(0, ip.ConvertInterfaceLuidToIndex(luid, index), what);
            assertEquals(row.InterfaceIndex, index.getValue(), what + ": the row's index is its LUID's");
            Guid.GUID guid = new Guid.GUID();
            assertEquals(0, ip.ConvertInterfaceLuidToGuid(luid, guid), what);
            LongByReference back = new LongByReference();
            assertEquals(0, ip.ConvertInterfaceGuidToLuid(guid, back), what);
            assertEquals(row.InterfaceLuid, back.getValue(), what + ": GUID " + guid.toGuidString() + " maps back");
            try (Memory alias = new Memory(257 * 2)) {
                alias.clear();
                assertEquals(0, ip.ConvertInterfaceLuidToAlias(luid, alias, 257), what);
                LongByReference fromAlias = new LongByReference();
                assertEquals(0, ip.ConvertInterfaceAliasToLuid(alias, fromAlias), what);
                assertEquals(row.InterfaceLuid, fromAlias.getValue(), what + ": alias " + alias.getWideString(0));
            }
        }
    }

    @Test
    void eachInterfaceRowAgreesWithTheConversions() {
        // GetIfEntry2 (jna-platform's binding) is the interface table's view of each interface the address
        // table names; the backend derives index, GUID and alias through the Convert* calls instead, so the
        // two must agree. NET_LUID_LH documents IfType as the interface's IANA type, which MIB_IF_ROW2.Type
        // also is.
        com.sun.jna.platform.win32.IPHlpAPI iphlpapi = com.sun.jna.platform.win32.IPHlpAPI.INSTANCE;
        for (long luid : unicastTable().stream().mapToLong(r -> r.InterfaceLuid).distinct().toArray()) {
            com.sun.jna.platform.win32.IPHlpAPI.MIB_IF_ROW2 row = new com.sun.jna.platform.win32.IPHlpAPI.MIB_IF_ROW2();
            row.InterfaceLuid = luid;
            assertEquals(0, iphlpapi.GetIfEntry2(row), "GetIfEntry2 of LUID " + Long.toHexString(luid));
            IntByReference index = new IntByReference();
            assertEquals(0, ip.ConvertInterfaceLuidToIndex(new LongByReference(luid), index));
            assertEquals(index.getValue(), row.InterfaceIndex);
            Guid.GUID guid = new Guid.GUID();
            assertEquals(0, ip.ConvertInterfaceLuidToGuid(new LongByReference(luid), guid));
            assertEquals(guid.toGuidString(), row.InterfaceGuid.toGuidString());
            try (Memory alias = new Memory(257 * 2)) {
                alias.clear();
                assertEquals(0, ip.ConvertInterfaceLuidToAlias(new LongByReference(luid), alias, 257));
                assertEquals(alias.getWideString(0), com.sun.jna.Native.toString(row.Alias));
            }
            assertEquals(ifType(luid), row.Type, "IfType of the LUID and the row's Type");
            assertTrue(row.Mtu > 0, "MTU " + row.Mtu);
        }
    }

    @Test
    void theLoopbackAddressesAreOnTheLoopbackInterface() {
        List<MibUnicastIpAddressRow> loopback = new ArrayList<>();
        for (MibUnicastIpAddressRow row : unicastTable()) {
            if (row.Address.address().isLoopbackAddress()) {
                loopback.add(row);
            }
        }
        assertTrue(loopback.stream().anyMatch(r -> r.Address.address().getHostAddress().equals("127.0.0.1")
                && r.OnLinkPrefixLength == 8), "127.0.0.1/8");
        for (MibUnicastIpAddressRow row : loopback) {
            String what = row.Address.address().getHostAddress();
            assertEquals(IF_TYPE_SOFTWARE_LOOPBACK, ifType(row.InterfaceLuid), what + ": IfType of its LUID");
            assertEquals(MibUnicastIpAddressRow.IP_DAD_STATE_PREFERRED, row.DadState, what);
            // NL_PREFIX_ORIGIN's documentation names the loopback address as the example of
            // IpPrefixOriginWellKnown. Wine's nsiproxy sets IpPrefixOriginManual and IpSuffixOriginManual for
            // every address of the loopback interface (and Dhcp for every other interface's), and 60000 s
            // for both lifetimes, where MIB_UNICASTIPADDRESS_ROW documents 0xffffffff as infinite.
            if (Wine.running()) {
                assertEquals(ORIGIN_MANUAL, row.PrefixOrigin, what + ": wine's prefix origin");
                assertEquals(ORIGIN_MANUAL, row.SuffixOrigin, what + ": wine's suffix origin");
                assertEquals(60000, row.ValidLifetime, what + ": wine's valid lifetime");
            } else {
                assertEquals(ORIGIN_WELL_KNOWN, row.PrefixOrigin, what);
            }
        }
    }

    @Test
    void unknownInterfacesAreRefused() {
        LongByReference luid = new LongByReference(-1);
        Guid.GUID unknown = Guid.GUID.fromString("{" + UUID.randomUUID().toString().toUpperCase(Locale.ROOT) + "}");
        int guidError = ip.ConvertInterfaceGuidToLuid(unknown, luid);
        assertEquals(ERROR_INVALID_PARAMETER, guidError, "ConvertInterfaceGuidToLuid of an unknown GUID");
        // An ethernet LUID (IfType 6) with an index no interface has.
        IntByReference index = new IntByReference(-1);
        int luidError = ip.ConvertInterfaceLuidToIndex(new LongByReference(0x0006_0000_7fff_0000L), index);
        assertEquals(0, index.getValue(), "NET_IFINDEX_UNSPECIFIED on failure");
        if (Wine.running()) {
            // ConvertInterfaceLuidToIndex documents one error, ERROR_INVALID_PARAMETER ("if the
            // InterfaceLuid parameter was invalid"); wine answers ERROR_FILE_NOT_FOUND for a LUID it does not
            // know (the error ConvertInterfaceIndexToLuid documents for an unknown index).
            assertEquals(ERROR_FILE_NOT_FOUND, luidError, "wine's ConvertInterfaceLuidToIndex");
        } else {
            assertEquals(ERROR_INVALID_PARAMETER, luidError, "ConvertInterfaceLuidToIndex of an unknown LUID");
        }
        // The backend names the call and the cause either way.
        TunTapException e = org.junit.jupiter.api.Assertions.assertThrows(TunTapException.class,
                () -> IpInterface.ofLuid(ip, 0x0006_0000_7fff_0000L));
        assertTrue(e.getMessage().contains("ConvertInterfaceLuidToIndex"), e.getMessage());
    }

    @Test
    void theBackendReadsEachInterfaceAddressesAndRoutes() throws Exception {
        List<MibUnicastIpAddressRow> rows = unicastTable();
        PointerByReference table = new PointerByReference();
        assertEquals(0, ip.GetIpForwardTable2(SockaddrInet.AF_UNSPEC, table), "GetIpForwardTable2");
        List<MibIpForwardRow2> routes;
        try {
            routes = IpTables.rows(table.getValue(), new MibIpForwardRow2().size(), MibIpForwardRow2::new);
        } finally {
            ip.FreeMibTable(table.getValue());
        }
        for (MibIpForwardRow2 r : routes) {
            IntByReference index = new IntByReference();
            assertEquals(0, ip.ConvertInterfaceLuidToIndex(new LongByReference(r.InterfaceLuid), index));
            assertEquals(r.InterfaceIndex, index.getValue(), "a route's index is its LUID's");
            int bits = r.DestinationPrefix.Prefix.si_family == SockaddrInet.AF_INET ? 32 : 128;
            assertTrue((r.DestinationPrefix.PrefixLength & 0xff) <= bits);
        }
        for (long luid : rows.stream().mapToLong(r -> r.InterfaceLuid).distinct().toArray()) {
            Guid.GUID guid = new Guid.GUID();
            assertEquals(0, ip.ConvertInterfaceLuidToGuid(new LongByReference(luid), guid));
            IpInterface i = IpInterface.ofGuid(ip, UUID.fromString(guid.toGuidString().replaceAll("[{}]", "")));
            assertEquals(luid, i.luid());
            assertFalse(i.alias().isEmpty());
            List<String> expected = new ArrayList<>();
            for (MibUnicastIpAddressRow r : rows) {
                if (r.InterfaceLuid == luid && !r.Address.address().isLinkLocalAddress()) {
                    expected.add(r.Address.address().getHostAddress() + "/" + (r.OnLinkPrefixLength & 0xff));
                }
            }
            List<String> read = new ArrayList<>();
            for (IpPrefix p : i.addresses()) {
                read.add(p.address().getHostAddress() + "/" + p.prefixLength());
            }
            assertEquals(expected, read, "addresses of " + i.alias());
            long mine = routes.stream().filter(r -> r.InterfaceLuid == luid).count();
            assertEquals(mine, i.routes().size(), "routes of " + i.alias());
        }
    }

    @Test
    void setupApiListsNoTapAdapterAndTheProviderSaysHowToGetOne() throws Exception {
        // Wine's SetupAPI knows no device of the network class (no PnP network adapters), so the list is
        // empty there; on Windows it has the physical adapters. Either way no tap0901 or tuntap6 adapter
        // exists on a test machine, and the provider says what to install.
        List<io.tuntap.windows.win32.NetAdapterRegistry.Entry> adapters = new SetupApiNetAdapters().adapters();
        assertTrue(adapters.stream().noneMatch(a -> a.componentId().toLowerCase(Locale.ROOT).endsWith("tap0901")
                || a.componentId().toLowerCase(Locale.ROOT).endsWith("tuntap6")), adapters.toString());
        Availability a = new TapWindowsProvider().availability();
        assertFalse(a.isAvailable());
        assertTrue(a.detail().contains("tap0901") && a.detail().contains("tuntap6"), a.detail());
    }
}
