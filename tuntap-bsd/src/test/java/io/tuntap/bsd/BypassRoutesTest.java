// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.IpPrefix;
import io.tuntap.SystemRoute;
import io.tuntap.bsd.jna.BsdAbi;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Routes around the tunnel on each fake kernel: the default route read from the route dump, with the name of
 * its interface; a host route through another interface's gateway added by a device with RTA_IFP and taken
 * away when it closes; a route that was there before refused and left.
 */
class BypassRoutesTest {
    /** RTF_UP | RTF_GATEWAY | RTF_STATIC, as route(8) adds a default route (net/route.h). */
    private static final int STATIC_GATEWAY = 0x1 | 0x2 | 0x800;

    private static FakeKernel.Iface uplink(FakeKernel k, String name, String address) throws Exception {
        FakeKernel.Iface i = k.createInterface(name, name.replaceAll("[0-9]", ""));
        i.flags |= BsdAbi.IFF_UP;
        i.addresses.add(new FakeKernel.Addr(InetAddress.getByName(address), 24, null));
        return i;
    }

    @Test
    void theDefaultRouteIsReadWithItsInterface() throws Exception {
        for (FakeKernel k : Fakes.all()) {
            FakeKernel.Iface em0 = uplink(k, "em0", "192.168.1.2");
            FakeKernel.Iface em1 = uplink(k, "em1", "192.168.7.2");
            boolean openBsd = k.abi.os == BsdAbi.Os.OPENBSD;
            if (openBsd) {
                // OpenBSD keeps several default routes; the lowest priority is used (RTP_STATIC is 8).
                k.routes.add(new FakeKernel.RouteEntry(InetAddress.getByName("0.0.0.0"), 0,
                        InetAddress.getByName("192.168.7.1"), STATIC_GATEWAY, em1.index, 20));
            }
            k.routes.add(new FakeKernel.RouteEntry(InetAddress.getByName("0.0.0.0"), 0,
                    InetAddress.getByName("192.168.1.1"), STATIC_GATEWAY, em0.index, 8));
            k.routes.add(new FakeKernel.RouteEntry(InetAddress.getByName("192.168.7.0"), 24,
                    InetAddress.getByName("192.168.7.1"), STATIC_GATEWAY, em1.index, 8));
            BsdRouteTable table = new BsdRouteTable(Fakes.context(k));
            SystemRoute route = table.defaultRoute(StandardProtocolFamily.INET).orElseThrow();
            assertEquals(IpPrefix.parse("0.0.0.0/0"), route.destination(), k.abi.toString());
            assertEquals(InetAddress.getByName("192.168.1.1"), route.gateway().orElseThrow(), k.abi.toString());
            assertEquals("em0", route.interfaceName(), k.abi.toString());
            assertEquals(em0.index, route.interfaceIndex(), k.abi.toString());
            assertTrue(route.metric().isEmpty(), k.abi + ": RTP_STATIC, or no metrics at all: " + route);
            assertEquals(Optional.empty(), table.defaultRoute(StandardProtocolFamily.INET6), k.abi.toString());
        }
    }

    @Test
    void aDeviceAddsHostRoutesThroughTheGatewayAndTakesThemAwayOnClose() throws Exception {
        for (FakeKernel k : Fakes.all()) {
            FakeKernel.Iface em0 = uplink(k, "em0", "192.168.1.2");
            k.routes.add(new FakeKernel.RouteEntry(InetAddress.getByName("0.0.0.0"), 0,
                    InetAddress.getByName("192.168.1.1"), STATIC_GATEWAY, em0.index, 8));
            k.routes.add(new FakeKernel.RouteEntry(InetAddress.getByName("203.0.113.9"), 32,
                    InetAddress.getByName("192.168.1.1"), STATIC_GATEWAY | 0x4, em0.index, 8));
            SystemRoute original = new BsdRouteTable(Fakes.context(k)).defaultRoute(StandardProtocolFamily.INET)
                    .orElseThrow();
            SystemRoute server = original.to(InetAddress.getByName("203.0.113.7"));
            try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build())) {
                assertTrue(d.capabilities().contains(Capability.BYPASS_ROUTES), k.abi.toString());
                d.addBypassRoute(server);
                assertThrows(DeviceBusyException.class,
                        () -> d.addBypassRoute(original.to(InetAddress.getByName("203.0.113.9"))), k.abi.toString());
                assertEquals(List.of(server), d.bypassRoutes());
                FakeKernel.RouteEntry added = k.routes.stream()
                        .filter(r -> r.destination().getHostAddress().equals("203.0.113.7")).findFirst().orElseThrow();
                assertEquals(32, added.prefix(), k.abi.toString());
                assertEquals(InetAddress.getByName("192.168.1.1"), added.gateway(), k.abi.toString());
                assertEquals(em0.index, added.index(), k.abi + ": on the gateway's interface, named by RTA_IFP");
            }
            assertTrue(k.routes.stream().noneMatch(r -> r.destination().getHostAddress().equals("203.0.113.7")),
                    k.abi + ": the route it added is gone: " + k.routes);
            assertTrue(k.routes.stream().anyMatch(r -> r.destination().getHostAddress().equals("203.0.113.9")),
                    k.abi + ": the route that was there before stays");
            assertTrue(k.routes.stream().anyMatch(r -> r.prefix() == 0), k.abi + ": the default route stays");
        }
    }
}
