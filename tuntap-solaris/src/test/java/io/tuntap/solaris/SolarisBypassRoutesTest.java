// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.IpPrefix;
import io.tuntap.SystemRoute;
import io.tuntap.TunTapDevice;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Routes around the tunnel on the fake illumos kernel: the default route read from IP's MIB tables with the name
 * and index of its interface; a host route through another interface's gateway added by a device with RTA_IFP,
 * listed, and taken away when it closes; a route that was there before refused and left.
 */
class SolarisBypassRoutesTest {

    private static SolarisSystemRouteTable table(FakeSunOsKernel kernel) {
        return new SolarisSystemRouteTable(new SunOs(kernel, kernel));
    }

    @Test
    void theDefaultRouteIsReadFromTheMibWithItsInterface() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        int net0 = kernel.plumbUplink("net0", "192.168.1.2", "255.255.255.0");
        kernel.plumbUplink("net1", "192.168.7.2", "255.255.255.0");
        kernel.addRouteBehindTheBack("192.168.9.0", "255.255.255.0", "192.168.7.1", true, "net1");
        kernel.addRouteBehindTheBack("0.0.0.0", "0.0.0.0", "192.168.1.1", true, "net0");
        kernel.addRouteBehindTheBack("0.0.0.0", "0.0.0.0", "192.168.7.1", true, "net1");
        SystemRoute route = table(kernel).defaultRoute(StandardProtocolFamily.INET).orElseThrow();
        // No metrics on illumos: IP takes turns among default routes; the first in the table is reported.
        assertEquals(IpPrefix.parse("0.0.0.0/0"), route.destination());
        assertEquals(InetAddress.getByName("192.168.1.1"), route.gateway().orElseThrow());
        assertEquals("net0", route.interfaceName());
        assertEquals(net0, route.interfaceIndex());
        assertTrue(route.metric().isEmpty(), route.toString());
        assertEquals(Optional.empty(), table(kernel).defaultRoute(StandardProtocolFamily.INET6));
    }

    @Test
    void aDefaultRouteTiedToNoInterfaceLeavesThroughTheInterfaceOfItsGateway() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        kernel.plumbUplink("net0", "192.168.1.2", "255.255.255.0");
        int net1 = kernel.plumbUplink("net1", "2001:db8:7::2", "ffff:ffff:ffff:ffff::");
        kernel.addRouteBehindTheBack("::", "::", "2001:db8:7::1", true, "");
        SystemRoute route = table(kernel).defaultRoute(StandardProtocolFamily.INET6).orElseThrow();
        assertEquals(IpPrefix.parse("::/0"), route.destination());
        assertEquals(InetAddress.getByName("2001:db8:7::1"), route.gateway().orElseThrow());
        assertEquals("net1", route.interfaceName(), "the interface route 2001:db8:7::/64 holds the gateway");
        assertEquals(net1, route.interfaceIndex());
        assertEquals(Optional.empty(), table(kernel).defaultRoute(StandardProtocolFamily.INET));
    }

    @Test
    void aDeviceAddsHostRoutesThroughTheGatewayAndTakesThemAwayOnClose() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        int net0 = kernel.plumbUplink("net0", "192.168.1.2", "255.255.255.0");
        kernel.addRouteBehindTheBack("0.0.0.0", "0.0.0.0", "192.168.1.1", true, "net0");
        kernel.addRouteBehindTheBack("203.0.113.9", "255.255.255.255", "192.168.1.1", true, "net0");
        SystemRoute original = table(kernel).defaultRoute(StandardProtocolFamily.INET).orElseThrow();
        SystemRoute server = original.to(InetAddress.getByName("203.0.113.7"));
        SystemRoute existing = original.to(InetAddress.getByName("203.0.113.9"));
        try (TunTapDevice d = new SolarisDeviceOpener(new SunOs(kernel, kernel)).open(DeviceConfig.tun().build())) {
            assertTrue(d.capabilities().contains(Capability.BYPASS_ROUTES));
            d.addBypassRoute(server);
            DeviceBusyException busy = assertThrows(DeviceBusyException.class, () -> d.addBypassRoute(existing));
            assertTrue(busy.getMessage().contains("EEXIST"), busy.getMessage());
            assertEquals(List.of(server), d.bypassRoutes());
            assertTrue(kernel.routeTable().contains("203.0.113.7/255.255.255.255 gw 192.168.1.1 flags 0x803 net0"),
                    kernel.routeTable().toString());
            assertThrows(DeviceNotFoundException.class, () -> d.removeBypassRoute(existing),
                    "a route the device did not add is not its to remove");
        }
        assertEquals(List.of("0.0.0.0/0.0.0.0 gw 192.168.1.1 flags 0x803 net0",
                "203.0.113.9/255.255.255.255 gw 192.168.1.1 flags 0x803 net0"), kernel.routeTable(),
                "the route it added is gone; the default route and the route that was there before stay");
        assertEquals(net0, original.interfaceIndex());
    }

    @Test
    void aRouteRemovedBeforeCloseIsNotRemovedTwice() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        kernel.plumbUplink("net0", "192.168.1.2", "255.255.255.0");
        kernel.addRouteBehindTheBack("0.0.0.0", "0.0.0.0", "192.168.1.1", true, "net0");
        SystemRoute server = table(kernel).defaultRoute(StandardProtocolFamily.INET).orElseThrow()
                .to(InetAddress.getByName("203.0.113.7"));
        try (TunTapDevice d = new SolarisDeviceOpener(new SunOs(kernel, kernel)).open(DeviceConfig.tun().build())) {
            d.addBypassRoute(server);
            d.removeBypassRoute(server);
            assertEquals(List.of(), d.bypassRoutes());
            assertEquals(List.of("0.0.0.0/0.0.0.0 gw 192.168.1.1 flags 0x803 net0"), kernel.routeTable());
        }
        assertEquals(2, kernel.routeRequests().size(), "one RTM_ADD and one RTM_DELETE, none on close");
    }

    @Test
    void theKernelRefusesAGatewayOffTheInterfaceAndAnUnknownInterface() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        int net0 = kernel.plumbUplink("net0", "192.168.1.2", "255.255.255.0");
        SolarisSystemRouteTable t = table(kernel);
        SystemRoute offLink = new SystemRoute(io.tuntap.Route.via(IpPrefix.parse("203.0.113.7/32"),
                InetAddress.getByName("10.9.9.9")), "net0", net0);
        io.tuntap.TunTapException e = assertThrows(io.tuntap.TunTapException.class, () -> t.add(offLink));
        assertTrue(e.getMessage().contains("ENETUNREACH"), e.getMessage());
        SystemRoute gone = new SystemRoute(io.tuntap.Route.via(IpPrefix.parse("203.0.113.7/32"),
                InetAddress.getByName("192.168.1.1")), "net7", 77);
        assertThrows(DeviceNotFoundException.class, () -> t.add(gone), "ENXIO: no such interface");
        assertThrows(DeviceNotFoundException.class, () -> t.remove(offLink), "ESRCH: no such route");
        assertEquals(List.of(), kernel.routeTable());
    }

    @Test
    void theProviderOffersBypassRoutesForBothModes() {
        assertTrue(SolarisDeviceOpener.capabilities(DeviceMode.TUN).contains(Capability.BYPASS_ROUTES));
        assertTrue(SolarisDeviceOpener.capabilities(DeviceMode.TAP).contains(Capability.BYPASS_ROUTES));
    }
}
