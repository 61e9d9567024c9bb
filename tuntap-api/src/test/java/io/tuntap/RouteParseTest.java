// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Route.parse reads what Route.toString writes, as ip route shows routes, and refuses anything else. */
class RouteParseTest {
    @Test
    void readsEachForm() throws Exception {
        assertEquals(Route.onLink(IpPrefix.parse("10.8.0.0/16")), Route.parse("10.8.0.0/16"));
        assertEquals(Route.via(IpPrefix.parse("0.0.0.0/1"), InetAddress.getByAddress(new byte[] {10, 8, 0, 5})),
                Route.parse("0.0.0.0/1 via 10.8.0.5"));
        assertEquals(Route.via(IpPrefix.parse("fd00:8::/64"), IpPrefix.parse("fd00::1").address()).withMetric(50),
                Route.parse("  fd00:8::/64   via fd00::1 metric 50 "));
        assertEquals(Route.onLink(IpPrefix.parse("10.9.0.0/24")).withMetric(7), Route.parse("10.9.0.0/24 metric 7"));
    }

    @Test
    void readsWhatToStringWrites() {
        for (String text : new String[] {"0.0.0.0/1 via 10.8.0.5", "128.0.0.0/1 via 10.8.0.5 metric 50",
                "10.8.0.0/16", "fd00:8::/64 via fd00::1", "::/0 via fe80::1 metric 1024"}) {
            Route r = Route.parse(text);
            assertEquals(text, r.toString());
            assertEquals(r, Route.parse(r.toString()));
        }
    }

    @Test
    void refusesWhatIsNotARoute() {
        for (String bad : new String[] {"", "via 10.0.0.1", "10.8.0.1/16", "10.8.0.0/16 via", "10.8.0.0/16 via x",
                "10.8.0.0/16 via fd00::1", "10.8.0.0/16 metric -1", "10.8.0.0/16 metric x", "10.8.0.0/16 dev tun0",
                "10.8.0.0/16 metric 5 via 10.0.0.1", "example.org/8"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Route.parse(bad), bad);
            assertEquals(true, e.getMessage().contains("[via GATEWAY] [metric N]"), e.getMessage());
        }
    }
}
