// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.SystemRoute;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes around the tunnel through IP Helper, against the IP Helper fake: the default route chosen by effective
 * metric (the route's metric plus its interface's: MIB_IPFORWARD_ROW2's Metric member, learn.microsoft.com
 * ns-netioapi-mib_ipforward_row2), host routes added by interface index (nf-netioapi-createipforwardentry2),
 * and a device that removes the routes it added when it closes.
 */
class WindowsRouteTableTest {
    private static final long ETHERNET = 0x0006_0000_0000_0010L;
    private static final long WIFI = 0x0047_0000_0000_0020L;

    FakeIpHelper ip;
    FakeIpHelper.Interface ethernet;
    FakeIpHelper.Interface wifi;

    @BeforeEach
    void setUp() throws Exception {
        ip = new FakeIpHelper();
        ethernet = ip.add(UUID.randomUUID(), ETHERNET, 7, "Ethernet");
        ethernet.metric = 25;
        wifi = ip.add(UUID.randomUUID(), WIFI, 9, "Wi-Fi");
        wifi.metric = 50;
        // Ethernet: route metric 10 + interface 25 = 35; Wi-Fi: route metric 0 + interface 50 = 50.
        ethernet.routes.add(new Object[] {IpPrefix.parse("0.0.0.0/0"), InetAddress.getByName("192.168.1.1"), 10});
        wifi.routes.add(new Object[] {IpPrefix.parse("0.0.0.0/0"), InetAddress.getByName("10.0.0.1"), 0});
        ethernet.routes.add(new Object[] {IpPrefix.parse("192.168.1.0/24"), null, 256});
        wifi.routes.add(new Object[] {IpPrefix.parse("::/0"), InetAddress.getByName("fe80::1"), 5});
    }

    @Test
    void theDefaultRouteIsTheOneOfLowestRoutePlusInterfaceMetric() throws Exception {
        WindowsRouteTable table = new WindowsRouteTable(ip);
        SystemRoute v4 = table.defaultRoute(StandardProtocolFamily.INET).orElseThrow();
        assertEquals(InetAddress.getByName("192.168.1.1"), v4.gateway().orElseThrow(),
                "35 beats 50, though Wi-Fi's own route metric is lower");
        assertEquals("Ethernet", v4.interfaceName());
        assertEquals(7, v4.interfaceIndex());
        assertEquals(10, v4.metric().getAsInt());
        SystemRoute v6 = table.defaultRoute(StandardProtocolFamily.INET6).orElseThrow();
        assertEquals(InetAddress.getByName("fe80::1"), v6.gateway().orElseThrow());
        assertEquals("Wi-Fi", v6.interfaceName());
        ethernet.metric = 60; // 70 now: Wi-Fi's 50 wins
        assertEquals("Wi-Fi", table.defaultRoute(StandardProtocolFamily.INET).orElseThrow().interfaceName());
        assertEquals(0, ip.liveTables(), "every table freed");
    }

    @Test
    void withoutDefaultRouteThereIsNone() throws Exception {
        ethernet.routes.clear();
        wifi.routes.clear();
        assertEquals(Optional.empty(), new WindowsRouteTable(ip).defaultRoute(StandardProtocolFamily.INET));
    }

    @Test
    void hostRoutesGoOnTheGatewaysInterfaceByIndexAndComeOffAgain() throws Exception {
        WindowsRouteTable table = new WindowsRouteTable(ip);
        SystemRoute server = table.defaultRoute(StandardProtocolFamily.INET).orElseThrow()
                .to(InetAddress.getByName("203.0.113.7"));
        table.add(server);
        assertTrue(ethernet.routes.stream().anyMatch(r -> r[0].equals(IpPrefix.parse("203.0.113.7/32"))
                && "192.168.1.1".equals(((InetAddress) r[1]).getHostAddress())));
        assertThrows(DeviceBusyException.class, () -> table.add(server));
        table.remove(server);
        assertTrue(ethernet.routes.stream().noneMatch(r -> r[0].equals(IpPrefix.parse("203.0.113.7/32"))));
        assertThrows(DeviceNotFoundException.class, () -> table.remove(server));
        ip.denyChanges = true;
        io.tuntap.TunTapException denied = assertThrows(io.tuntap.TunTapException.class, () -> table.add(server));
        assertTrue(denied.getMessage().startsWith("CreateIpForwardEntry2(203.0.113.7/32 via 192.168.1.1 dev Ethernet)"),
                denied.getMessage());
    }

    @Test
    void aDeviceRemovesTheBypassRoutesItAddedWhenItCloses() throws Exception {
        UUID guid = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        TapAdapter adapter = new TapAdapter(guid, "root\\tap0901", "OpenVPN TAP");
        FakeTapDriver driver = new FakeTapDriver(adapter.guidText(), MacAddress.parse("00:ff:0a:1b:2c:3d"));
        FakeIpHelper.Interface tap = ip.add(guid, 0x0006_0000_0000_0002L, 21, "OpenVPN TAP");
        tap.connected = driver::mediaConnected;
        driver.mediaListener = () -> ip.mediaChanged(tap.luid);
        SystemRoute server = new WindowsRouteTable(ip).defaultRoute(StandardProtocolFamily.INET).orElseThrow()
                .to(InetAddress.getByName("203.0.113.7"));
        ethernet.routes.add(new Object[] {IpPrefix.parse("203.0.113.9/32"), InetAddress.getByName("192.168.1.1"), 0});
        SystemRoute existing = server.toNetwork(IpPrefix.parse("203.0.113.9/32"));
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, adapter,
                DeviceConfig.tun().address("10.8.0.2/32 peer 10.8.0.1").build())) {
            assertTrue(d.capabilities().contains(io.tuntap.Capability.BYPASS_ROUTES));
            d.addBypassRoute(server);
            assertThrows(DeviceBusyException.class, () -> d.addBypassRoute(existing));
            assertEquals(List.of(server), d.bypassRoutes());
            assertTrue(ethernet.routes.stream().anyMatch(r -> r[0].equals(IpPrefix.parse("203.0.113.7/32"))));
        }
        assertTrue(ethernet.routes.stream().noneMatch(r -> r[0].equals(IpPrefix.parse("203.0.113.7/32"))),
                "the route it added is gone");
        assertTrue(ethernet.routes.stream().anyMatch(r -> r[0].equals(IpPrefix.parse("203.0.113.9/32"))),
                "the route that was there before stays");
    }
}
