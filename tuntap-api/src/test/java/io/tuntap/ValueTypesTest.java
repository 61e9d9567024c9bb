// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValueTypesTest {
    @Test
    void ipPrefixParsesBothFamiliesAndDefaultsToAHostPrefix() {
        IpPrefix v4 = IpPrefix.parse("10.1.2.3/16");
        assertTrue(v4.isIpv4());
        assertEquals(16, v4.prefixLength());
        assertEquals("10.1.2.3/16", v4.toString());
        IpPrefix v6 = IpPrefix.parse("FD00:0::1/64");
        assertFalse(v6.isIpv4());
        assertEquals("fd00::1/64", v6.toString());
        assertEquals(32, IpPrefix.parse("192.0.2.1").prefixLength());
        assertEquals(128, IpPrefix.parse("::1").prefixLength());
    }

    @Test
    void ipPrefixRejectsNamesAndBadLengths() {
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.1/-1"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("fd00::1/129"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.1/x"));
    }

    @Test
    void anIpv4MappedLiteralStaysAnIpv6Prefix() {
        IpPrefix mapped = IpPrefix.parse("::ffff:10.0.0.1/120");
        assertFalse(mapped.isIpv4());
        assertEquals(120, mapped.prefixLength());
        assertEquals(128, IpPrefix.parse("::ffff:10.0.0.1").prefixLength());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 1}, mapped.address().getAddress());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IpPrefix.parse("::ffff:10.0.0.1/129"));
        assertTrue(e.getMessage().contains("0 to 128"), e.getMessage());
        // Written as IPv4, it stays IPv4.
        assertTrue(IpPrefix.parse("10.0.0.1/24").isIpv4());
    }

    @Test
    void aScopeIdIsRejectedWithItsReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("fe80::1%eth0/64"));
        assertTrue(e.getMessage().contains("scope id") && e.getMessage().contains("'fe80::1/64'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("fe80::1%2"));
        assertTrue(e.getMessage().contains("scope id") && e.getMessage().contains("'fe80::1'"), e.getMessage());
    }

    @Test
    void macAddressParsesFormatsAndClassifies() {
        MacAddress mac = MacAddress.parse("02-00-5E-10-00-0a");
        assertEquals("02:00:5e:10:00:0a", mac.toString());
        assertArrayEquals(new byte[] {2, 0, 0x5e, 0x10, 0, 0x0a}, mac.toByteArray());
        assertTrue(mac.isLocallyAdministered());
        assertFalse(mac.isMulticast());
        assertTrue(MacAddress.parse("ff:ff:ff:ff:ff:ff").isMulticast());
        assertEquals(mac, MacAddress.of(mac.toByteArray()));
        for (int i = 0; i < 100; i++) {
            MacAddress random = MacAddress.randomLocal();
            assertTrue(random.isLocallyAdministered() && !random.isMulticast(), random.toString());
        }
    }

    @Test
    void macAddressRejectsMalformedText() {
        for (String bad : new String[] {"", "02:00:00:00:00", "02:00:00:00:00:00:00", "02:00:00:00:00:zz", "020:0:0:0:0:0"}) {
            assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[5]));
    }

    @Test
    void networkClearsHostBits() {
        assertEquals(IpPrefix.parse("10.1.0.0/16"), IpPrefix.parse("10.1.2.3/16").network());
        assertEquals(IpPrefix.parse("10.1.2.0/23"), IpPrefix.parse("10.1.3.255/23").network());
        assertEquals(IpPrefix.parse("fd00:1::/33"), IpPrefix.parse("fd00:1:7fff::1/33").network());
        assertEquals(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("192.0.2.1/0").network());
        assertEquals(IpPrefix.parse("192.0.2.1/32"), IpPrefix.parse("192.0.2.1/32").network());
    }

    @Test
    void deviceAddressesWithAndWithoutPeer() {
        DeviceAddress plain = DeviceAddress.parse("10.0.0.1/24");
        assertFalse(plain.isPointToPoint());
        assertTrue(plain.peer().isEmpty());
        assertEquals("10.0.0.1/24", plain.toString());
        DeviceAddress p2p = DeviceAddress.parse("10.0.0.1/32 peer 10.0.0.2");
        assertTrue(p2p.isPointToPoint() && p2p.isIpv4());
        assertEquals(IpPrefix.parse("10.0.0.2").address(), p2p.peer().orElseThrow());
        assertEquals("10.0.0.1/32 peer 10.0.0.2", p2p.toString());
        assertEquals(p2p, DeviceAddress.parse(p2p.toString()));
        assertEquals("fd00::1/128 peer fd00::2", DeviceAddress.parse("fd00::1/128  peer  fd00::2").toString());
        assertThrows(IllegalArgumentException.class, () -> DeviceAddress.parse("10.0.0.1/32 peer fd00::2"));
        assertThrows(IllegalArgumentException.class, () -> DeviceAddress.parse("10.0.0.1/32 peer 10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> DeviceAddress.parse("10.0.0.1/32 via 10.0.0.2"));
    }

    @Test
    void routesCheckTheirPartsAndPrintLikeIpRoute() {
        Route onLink = Route.onLink(IpPrefix.parse("10.8.0.0/16"));
        assertTrue(onLink.gateway().isEmpty() && onLink.metric().isEmpty() && onLink.isIpv4());
        assertEquals("10.8.0.0/16", onLink.toString());
        Route via = Route.via(IpPrefix.parse("fd08::/32"), IpPrefix.parse("fd07::2").address()).withMetric(50);
        assertEquals("fd08::/32 via fd07::2 metric 50", via.toString());
        assertEquals(50, via.metric().getAsInt());
        assertEquals(via, Route.via(IpPrefix.parse("fd08::/32"), IpPrefix.parse("fd07::2").address()).withMetric(50));
        IllegalArgumentException hostBits = assertThrows(IllegalArgumentException.class,
                () -> Route.onLink(IpPrefix.parse("10.8.0.1/16")));
        assertTrue(hostBits.getMessage().contains("10.8.0.0/16"), hostBits.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Route.via(IpPrefix.parse("10.8.0.0/16"), IpPrefix.parse("fd07::2").address()));
        assertThrows(IllegalArgumentException.class, () -> onLink.withMetric(-1));
    }

    @Test
    void optionsAreEqualByProviderNameAndType() {
        assertEquals(DeviceOption.of("wintun", "ring", Integer.class), DeviceOption.of("wintun", "ring", Integer.class));
        assertFalse(DeviceOption.of("wintun", "ring", Integer.class).equals(DeviceOption.of("wintun", "ring", Long.class)));
        assertEquals("wintun/ring", DeviceOption.of("wintun", "ring", Integer.class).toString());
        assertThrows(IllegalArgumentException.class, () -> DeviceOption.of("wintun", "ring", int.class));
        assertThrows(IllegalArgumentException.class, () -> DeviceOption.of(" ", "ring", Integer.class));
    }
}
