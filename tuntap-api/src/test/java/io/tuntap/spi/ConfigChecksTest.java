// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceOption;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.Offload;
import io.tuntap.OpenPolicy;
import io.tuntap.Route;
import io.tuntap.UnsupportedFeatureException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigChecksTest {
    private static final DeviceOption<Integer> RING = DeviceOption.of("wintun", "ring-capacity", Integer.class);
    private static final DeviceOption<String> GUID = DeviceOption.of("wintun", "guid", String.class);
    private static final DeviceOption<Boolean> P2P = DeviceOption.of("bsd", "point-to-point", Boolean.class);

    @Test
    void requiredListsEverySettingThatNeedsACapability() throws Exception {
        DeviceConfig c = DeviceConfig.tap().name("tap1").queues(2).persistent(true).owner(1000)
                .openPolicy(OpenPolicy.ATTACH_EXISTING).mtu(1400).address("10.0.0.1/32 peer 10.0.0.2")
                .address("fd00::1/64").route(Route.onLink(IpPrefix.parse("10.8.0.0/16")))
                .macAddress(io.tuntap.MacAddress.parse("02:00:00:00:00:01")).offload(Offload.VIRTIO_NET_HDR).build();
        assertEquals(List.of(Capability.TAP, Capability.MULTI_QUEUE, Capability.PERSISTENT, Capability.OWNER_AND_GROUP,
                Capability.ATTACH, Capability.MTU, Capability.IPV4_ADDRESSES, Capability.PEER_ADDRESSES,
                Capability.IPV6_ADDRESSES, Capability.ROUTES, Capability.SET_MAC_ADDRESS, Capability.OFFLOAD),
                List.copyOf(ConfigChecks.required(c).keySet()));
        assertEquals(List.of(Capability.TUN, Capability.LINK_STATE),
                List.copyOf(ConfigChecks.required(DeviceConfig.tun().up(false).build()).keySet()));
    }

    @Test
    void aMissingCapabilityNamesTheSettingAndTheProvider() throws Exception {
        Set<Capability> utun = EnumSet.of(Capability.TUN, Capability.MTU, Capability.IPV4_ADDRESSES);
        assertDoesNotThrow(() -> ConfigChecks.checkCapabilities(DeviceConfig.tun().mtu(1400).address("10.0.0.1/24")
                .build(), "utun", utun));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> ConfigChecks
                .checkCapabilities(DeviceConfig.tun().persistent(true).build(), "utun", utun));
        assertTrue(e.getMessage().startsWith("open failed: the configuration asks for persistent(true), which needs "
                + "Capability.PERSISTENT, and provider 'utun' lacks it here"), e.getMessage());
        assertEquals(0, e.errorCode());
        assertThrows(UnsupportedFeatureException.class, () -> ConfigChecks.checkCapabilities(DeviceConfig.tap().build(),
                "utun", utun));
        assertThrows(UnsupportedFeatureException.class, () -> ConfigChecks.checkCapabilities(DeviceConfig.tun()
                .address("10.0.0.1/32 peer 10.0.0.2").build(), "utun", utun));
        assertThrows(UnsupportedFeatureException.class, () -> ConfigChecks.checkCapabilities(DeviceConfig.tun()
                .build(), "none", Set.of()));
    }

    @Test
    void optionsOfOtherProvidersAreIgnoredAndUnknownOwnOnesFail() throws Exception {
        DeviceConfig c = DeviceConfig.tun().option(RING, 1 << 20).option(P2P, true).build();
        assertDoesNotThrow(() -> ConfigChecks.checkOptions(c, "wintun", Set.of(RING)));
        assertDoesNotThrow(() -> ConfigChecks.checkOptions(c, "linux", Set.of()), "Linux ignores wintun and bsd options");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ConfigChecks.checkOptions(c, "wintun", Set.of(GUID)));
        assertTrue(e.getMessage().contains("option wintun/ring-capacity (Integer) is not one provider 'wintun' knows; "
                + "it knows [wintun/guid]"), e.getMessage());
        InvalidConfigurationException none = assertThrows(InvalidConfigurationException.class,
                () -> ConfigChecks.checkOptions(c, "bsd", Set.of()));
        assertTrue(none.getMessage().contains("it takes no options"), none.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> ConfigChecks.check(c, "bsd",
                EnumSet.of(Capability.TUN), Set.of()));
    }

    @Test
    void runTimeMethodsCheckOneCapability() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> ConfigChecks.require(
                Set.of(Capability.TUN), Capability.ROUTES, "addRoute", "utun3", "not yet on macOS"));
        assertEquals("addRoute on utun3 failed: this device lacks Capability.ROUTES: not yet on macOS; check "
                + "capabilities() before calling", e.getMessage());
        assertDoesNotThrow(() -> ConfigChecks.require(Set.of(Capability.ROUTES), Capability.ROUTES, "addRoute", "x", ""));
    }

    @Test
    void errorMessagesHaveOneFormat() {
        assertEquals("ioctl(TUNSETIFF) on tun0 failed with EBUSY (errno 16): tun0 is in use",
                ErrorMessages.osError("ioctl(TUNSETIFF) on tun0", "EBUSY", "errno", 16, "tun0 is in use"));
        assertEquals("DeviceIoControl failed with error 1167: the adapter is gone",
                ErrorMessages.osError("DeviceIoControl", null, "error", 1167, "the adapter is gone"));
        assertEquals("setMtu(70000) on tun0 failed: too large",
                ErrorMessages.failed("setMtu(70000) on tun0", "too large"));
    }
}
