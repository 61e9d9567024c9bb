// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.IpPrefix;
import io.tuntap.SystemRoute;
import io.tuntap.TunDevice;
import io.tuntap.TunTap;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Routes around the tunnel on real interfaces, with {@code ip route} as the witness: the default route read
 * from the main table while other tables and rules have default routes of their own, and host routes through
 * another interface's gateway added with a device and gone after it closes.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class BypassRouteIT {
    private TestNetwork ns;

    @BeforeEach
    void createNamespace() throws Exception {
        ns = TestNetwork.create();
        // Two uplinks (veth pairs, both ends here and up) with default routes of metric 100 and 200 in the main table; a policy
        // table 100 whose default route has the lowest metric of all, and a rule that sends some traffic there.
        for (String[] c : List.of(
                new String[] {"ip", "link", "add", "up0", "type", "veth", "peer", "name", "gw0"},
                new String[] {"ip", "link", "add", "up1", "type", "veth", "peer", "name", "gw1"},
                new String[] {"ip", "link", "set", "gw0", "up"},
                new String[] {"ip", "link", "set", "gw1", "up"},
                new String[] {"ip", "link", "set", "up0", "up"},
                new String[] {"ip", "link", "set", "up1", "up"},
                new String[] {"ip", "addr", "add", "192.0.2.2/24", "dev", "up0"},
                new String[] {"ip", "addr", "add", "198.51.100.2/24", "dev", "up1"},
                new String[] {"ip", "addr", "add", "fd10::2/64", "dev", "up0"},
                new String[] {"ip", "route", "add", "default", "via", "198.51.100.1", "dev", "up1", "metric", "200"},
                new String[] {"ip", "route", "add", "default", "via", "192.0.2.1", "dev", "up0", "metric", "100"},
                new String[] {"ip", "route", "add", "default", "via", "198.51.100.1", "dev", "up1", "metric", "5",
                        "table", "100"},
                new String[] {"ip", "route", "add", "default", "via", "192.0.2.1", "dev", "up0", "table", "1000"},
                new String[] {"ip", "rule", "add", "from", "10.99.0.0/16", "lookup", "100"},
                new String[] {"ip", "-6", "route", "add", "default", "via", "fd10::1", "dev", "up0", "metric", "300"})) {
            ns.execOrFail(c);
        }
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        ns.close();
    }

    @Test
    void theDefaultRouteIsTheMainTablesOfLowestMetric() throws Exception {
        Optional<SystemRoute> v4 = ns.run(() -> TunTap.defaultRoute(StandardProtocolFamily.INET));
        Optional<SystemRoute> v6 = ns.run(() -> TunTap.defaultRoute(StandardProtocolFamily.INET6));
        String witness = ns.exec("ip", "route", "show", "default").output();
        assertTrue(witness.contains("default via 192.0.2.1 dev up0 metric 100"), witness);
        SystemRoute route = v4.orElseThrow();
        assertEquals(IpPrefix.parse("0.0.0.0/0"), route.destination());
        assertEquals(InetAddress.getByName("192.0.2.1"), route.gateway().orElseThrow());
        assertEquals("up0", route.interfaceName());
        // ip's own view inside the namespace ("7: up0: <...>"); /sys there would show the host's.
        String shown = ns.exec("ip", "-o", "link", "show", "dev", "up0").output().strip();
        assertEquals(shown.substring(0, shown.indexOf(':')), String.valueOf(route.interfaceIndex()), shown);
        assertEquals(100, route.metric().getAsInt());
        SystemRoute route6 = v6.orElseThrow();
        assertEquals(InetAddress.getByName("fd10::1"), route6.gateway().orElseThrow());
        assertEquals("up0", route6.interfaceName());
        assertEquals(300, route6.metric().getAsInt());
    }

    @Test
    void aNamespaceWithoutDefaultRouteHasNone() throws Exception {
        try (TestNetwork bare = TestNetwork.create()) {
            assertEquals(Optional.empty(), bare.run(() -> TunTap.defaultRoute(StandardProtocolFamily.INET)));
            assertEquals(Optional.empty(), bare.run(() -> TunTap.defaultRoute(StandardProtocolFamily.INET6)));
        }
    }

    @Test
    void hostRoutesAddedAroundTheTunnelAreListedByIpAndGoneAfterClose() throws Exception {
        SystemRoute original = ns.run(() -> TunTap.defaultRoute(StandardProtocolFamily.INET)).orElseThrow();
        SystemRoute original6 = ns.run(() -> TunTap.defaultRoute(StandardProtocolFamily.INET6)).orElseThrow();
        SystemRoute server = original.to(InetAddress.getByName("203.0.113.7"));
        SystemRoute server6 = original6.to(InetAddress.getByName("2001:db8::7"));
        // A host route that was there before the device: refused, and left in place on close.
        ns.execOrFail("ip", "route", "add", "203.0.113.9/32", "via", "192.0.2.1", "dev", "up0");
        try (TunDevice tun = ns.run(() -> TunTap.openTun(DeviceConfig.tun().name("byp0").address("10.8.0.2/24")
                .build()))) {
            tun.addBypassRoute(server);
            tun.addBypassRoute(server6);
            assertThrows(DeviceBusyException.class,
                    () -> tun.addBypassRoute(original.to(InetAddress.getByName("203.0.113.9"))));
            assertEquals(List.of(server, server6), tun.bypassRoutes());
            String v4 = ns.exec("ip", "route", "show", "203.0.113.7").output();
            assertTrue(v4.contains("203.0.113.7 via 192.0.2.1 dev up0"), v4);
            String v6 = ns.exec("ip", "-6", "route", "show", "2001:db8::7").output();
            assertTrue(v6.contains("2001:db8::7 via fd10::1 dev up0"), v6);
            String get = ns.exec("ip", "route", "get", "203.0.113.7").output();
            assertTrue(get.contains("via 192.0.2.1 dev up0"), get);
            tun.removeBypassRoute(server6);
            assertTrue(ns.exec("ip", "-6", "route", "show", "2001:db8::7").output().isBlank());
            assertEquals(List.of(server), tun.bypassRoutes());
        }
        assertTrue(ns.exec("ip", "route", "show", "203.0.113.7").output().isBlank(), "gone after close");
        assertTrue(ns.exec("ip", "route", "show", "203.0.113.9").output().contains("via 192.0.2.1 dev up0"),
                "the route that was there before stays");
        String main = ns.exec("ip", "route", "show", "default").output();
        assertTrue(main.contains("default via 192.0.2.1 dev up0 metric 100"), main);
    }
}
