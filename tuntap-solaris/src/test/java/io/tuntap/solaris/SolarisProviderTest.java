// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.TunTap;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.HostOs;
import io.tuntap.spi.TunTapProvider;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Availability, diagnostics and capabilities, without a Solaris kernel. */
class SolarisProviderTest {

    @Test
    void sunOsIsRecognised() {
        assertTrue(SolarisProbe.isSunOs("SunOS"));
        assertTrue(SolarisProbe.isSunOs("Solaris"));
        assertFalse(SolarisProbe.isSunOs("Linux"));
        assertFalse(SolarisProbe.isSunOs("FreeBSD"));
        assertEquals(HostOs.SOLARIS, HostOs.fromOsName("SunOS"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxTheDiagnosticsSayWhyThisProviderCannotServe() {
        SolarisTunTapProvider provider = new SolarisTunTapProvider();
        Availability a = provider.availability();
        assertFalse(a.isAvailable());
        assertTrue(a.detail().contains("not Solaris or illumos: os.name=Linux"), a.detail());
        assertTrue(a.detail().contains("tuntap-linux"), a.detail());
        assertEquals(Set.of(), provider.capabilities(DeviceMode.TUN));
        assertEquals(Set.of(), provider.capabilities(DeviceMode.TAP));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> provider.open(DeviceConfig.tun().build()));
        assertTrue(e.getMessage().contains("'solaris'"), e.getMessage());
        assertTrue(e.getMessage().contains("os.name=Linux"), e.getMessage());
        String diagnostics = TunTap.diagnostics();
        assertTrue(diagnostics.contains("solaris"), diagnostics);
        assertTrue(diagnostics.contains("not Solaris or illumos"), diagnostics);
    }

    @Test
    void theProviderIsFoundByServiceLoader() {
        boolean found = false;
        for (TunTapProvider p : ServiceLoader.load(TunTapProvider.class)) {
            found |= p instanceof SolarisTunTapProvider;
        }
        assertTrue(found, "META-INF/services registers the provider");
    }

    @Test
    void missingDeviceNodesNameThePackages() {
        SolarisProbe none = SolarisProbe.nodes(path -> false);
        assertFalse(none.availability.isAvailable());
        String detail = none.availability.detail();
        assertTrue(detail.contains("neither /dev/tun nor /dev/tap exists"), detail);
        assertTrue(detail.contains("pkg install driver/network/tun driver/network/tap"), detail);
        assertTrue(detail.contains("driver/tuntap"), detail);
        assertEquals(Set.of(), none.capabilities(DeviceMode.TUN));
    }

    @Test
    void onlyTheModesWhoseNodeExistsAreServed() {
        SolarisProbe tunOnly = SolarisProbe.nodes(path -> path.equals("/dev/tun"));
        assertTrue(tunOnly.availability.isAvailable());
        assertTrue(tunOnly.availability.detail().contains("/dev/tap is missing"), tunOnly.availability.detail());
        assertTrue(tunOnly.capabilities(DeviceMode.TUN).contains(Capability.TUN));
        assertEquals(Set.of(), tunOnly.capabilities(DeviceMode.TAP));
    }

    @Test
    void capabilitiesAreHonest() {
        Set<Capability> tun = SolarisDeviceOpener.capabilities(DeviceMode.TUN);
        Set<Capability> tap = SolarisDeviceOpener.capabilities(DeviceMode.TAP);
        for (Capability absent : new Capability[] {Capability.CHOOSE_NAME, Capability.MULTI_QUEUE,
                Capability.PERSISTENT, Capability.OWNER_AND_GROUP, Capability.ATTACH, Capability.ROUTES,
                Capability.OFFLOAD, Capability.SET_MAC_ADDRESS}) {
            assertFalse(tun.contains(absent), absent + " is not implemented for tun");
            assertFalse(tap.contains(absent), absent + " is not implemented for tap");
        }
        assertTrue(tun.contains(Capability.PEER_ADDRESSES));
        assertTrue(tun.contains(Capability.EVENTS) && tap.contains(Capability.EVENTS), "from the routing socket");
        assertFalse(tap.contains(Capability.PEER_ADDRESSES), "a tap interface is a broadcast link");
    }
}
