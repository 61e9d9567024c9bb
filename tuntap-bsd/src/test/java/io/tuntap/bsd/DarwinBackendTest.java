// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.UnsupportedFeatureException;
import org.junit.jupiter.api.Test;

/** The macOS utun rules, through the backend against the macOS fake kernel. */
class DarwinBackendTest {

    @Test
    void unitZeroPicksTheNextFreeAndNPlusOneMakesUtunN() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice a = Fakes.open(k, DeviceConfig.tun().build());
                BsdTunTapDevice b = Fakes.open(k, DeviceConfig.tun().name("utun3").build());
                BsdTunTapDevice c = Fakes.open(k, DeviceConfig.tun().build())) {
            assertEquals("utun0", a.name());
            assertEquals("utun3", b.name(), "sc_unit 4 makes utun3");
            assertEquals("utun1", c.name());
            assertEquals("utun", b.driver());
            DeviceBusyException e = assertThrows(DeviceBusyException.class,
                    () -> Fakes.open(k, DeviceConfig.tun().name("utun3").build()));
            assertTrue(e.getMessage().contains("utun3"), e.getMessage());
        }
        assertNull(k.get("utun3"), "closing the socket destroys the interface");
        assertEquals(0, k.openFds());
    }

    @Test
    void rootIsNeeded() {
        FakeDarwin k = new FakeDarwin();
        k.root = false;
        DevicePermissionException e = assertThrows(DevicePermissionException.class,
                () -> Fakes.open(k, DeviceConfig.tun().build()));
        assertTrue(e.getMessage().contains("root"), e.getMessage());
        assertEquals(0, k.openFds(), "the control socket is closed again");
    }

    @Test
    void persistenceAndOtherNamesAreRefusedWithTheReason() throws Exception {
        FakeDarwin k = new FakeDarwin();
        UnsupportedFeatureException tap = assertThrows(UnsupportedFeatureException.class,
                () -> Fakes.open(k, DeviceConfig.tap().persistent(true).build()));
        assertTrue(tap.getMessage().contains("PERSISTENT"), tap.getMessage());
        assertTrue(new DarwinSystem().capabilities(DeviceMode.TAP).contains(Capability.TAP));
        assertTrue(new DarwinSystem().capabilities(DeviceMode.TUN).contains(Capability.TUN));
        assertThrows(UnsupportedFeatureException.class, () -> Fakes.open(k, DeviceConfig.tun().persistent(true).build()));
        assertThrows(InvalidConfigurationException.class, () -> Fakes.open(k, DeviceConfig.tun().name("tun0").build()));
        assertEquals(0, k.openFds());
    }

    @Test
    void ipv4AddressesUseTheLocalAddressAsDestination() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.8.0.1/24").address("fd08::1/64").build())) {
            FakeKernel.Addr v4 = k.get(d.name()).addresses.get(0);
            assertEquals(v4.local(), v4.destination());
            assertEquals(2, d.addresses().size());
        }
    }

    @Test
    void anAddressWithoutPeerGetsItsPrefixRouteAndLosesItOnRemoval() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.8.0.1/24").address("fd08::1/64")
                .address(io.tuntap.DeviceAddress.parse("10.9.0.1/32 peer 10.9.0.2")).build())) {
            assertEquals(2, k.routes.size(), "a prefix route per address without peer: " + k.routes);
            FakeKernel.RouteEntry r = k.routes.get(0);
            assertEquals(java.net.InetAddress.getByName("10.8.0.0"), r.destination());
            assertEquals(24, r.prefix());
            assertEquals(java.net.InetAddress.getByName("10.8.0.1"), r.gateway(), "-interface: the own address");
            assertEquals(0, r.flags() & io.tuntap.bsd.jna.RtMsghdr.RTF_GATEWAY);
            d.removeAddress(io.tuntap.IpPrefix.parse("10.8.0.1/24"));
            assertEquals(1, k.routes.size(), k.routes.toString());
            assertTrue(d.addresses().contains(io.tuntap.DeviceAddress.parse("10.9.0.1/32 peer 10.9.0.2")),
                    d.addresses().toString());
        }
    }

    @Test
    void anMtuBelowIfMinmtuIsRefusedBeforeAnyCall() throws Exception {
        // apple-oss-distributions/xnu (xnu-11417.101.15) bsd/net/if_var.h: IF_MINMTU 72; bsd/net/if.c ifioctl,
        // case SIOCSIFMTU: EINVAL if ifr_mtu < IF_MINMTU.
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build())) {
            int ioctls = k.calls.getOrDefault("ioctl", 0);
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> d.setMtu(68));
            assertTrue(e.getMessage().contains("72 to 65535"), e.getMessage());
            assertEquals(ioctls, k.calls.getOrDefault("ioctl", 0), "no SIOCSIFMTU sent");
            d.setMtu(72);
            assertEquals(72, d.mtu());
        }
    }
}
