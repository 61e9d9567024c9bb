// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Routes per interface through each fake kernel's routing socket and route dump. */
class RoutesTest {

    @Test
    void routesAreListedOnlyOnTheirInterfaceAndGoWithIt() throws Exception {
        for (FakeKernel k : Fakes.all()) {
            Route r = Route.via(IpPrefix.parse("10.50.0.0/16"), InetAddress.getByName("10.0.0.2"));
            try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build())) {
                try (BsdTunTapDevice other = Fakes.open(k, DeviceConfig.tun().build())) {
                    other.addRoute(r);
                    assertTrue(other.routes().contains(r), k.abi + ": " + other.routes());
                    assertFalse(d.routes().contains(r), k.abi + ": another interface's route is not listed");
                    FakeKernel.RouteEntry e = k.routes.get(k.routes.size() - 1);
                    assertEquals(other.index(), e.index(), "the kernel put it on the interface named by RTA_IFP");
                }
                assertTrue(k.routes.isEmpty(), k.abi + ": the route went with its interface: " + k.routes);
            }
        }
    }

    @Test
    void onlyOpenBsdTakesAMetric() throws Exception {
        for (FakeKernel k : Fakes.all()) {
            try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build())) {
                Route r = Route.onLink(IpPrefix.parse("10.51.0.0/24")).withMetric(20);
                if (k.abi.os == BsdAbi.Os.OPENBSD) {
                    d.addRoute(r);
                    assertEquals(20, k.routes.get(0).priority(), "rtm_priority carries the metric");
                    assertTrue(d.routes().contains(r), d.routes().toString());
                    assertThrows(InvalidConfigurationException.class,
                            () -> d.addRoute(Route.onLink(IpPrefix.parse("10.52.0.0/24")).withMetric(63)));
                } else {
                    UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                            () -> d.addRoute(r));
                    assertTrue(e.getMessage().contains("no route metrics"), e.getMessage());
                    assertTrue(k.routes.isEmpty());
                }
            }
        }
    }
}
