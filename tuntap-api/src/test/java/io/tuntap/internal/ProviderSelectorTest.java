// SPDX-License-Identifier: Apache-2.0
package io.tuntap.internal;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.NoProviderException;
import io.tuntap.TunTapDevice;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.HostOs;
import io.tuntap.spi.TunTapProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderSelectorTest {
    private final Map<String, String> properties = new HashMap<>(Map.of("os.name", "Linux", "os.arch", "amd64"));

    private record Fake(String name, int priority, Availability availability) implements TunTapProvider {
        @Override
        public Set<Capability> capabilities() {
            return availability.isAvailable() ? Set.of(Capability.TUN) : Set.of();
        }

        @Override
        public TunTapDevice open(DeviceConfig config) {
            throw new UnsupportedOperationException();
        }
    }

    private ProviderSelector selector(TunTapProvider... providers) {
        return new ProviderSelector(List.of(providers), List.of("broken.Provider: NoClassDefFoundError"),
                properties::get, HostOs.LINUX);
    }

    @Test
    void theAvailableProviderOfHighestPriorityWins() throws Exception {
        Fake low = new Fake("low", 10, Availability.available("yes"));
        Fake high = new Fake("high", 100, Availability.available("yes"));
        Fake best = new Fake("best", 1000, Availability.unavailable("no device"));
        assertSame(high, selector(low, best, high).select());
    }

    @Test
    void aProviderCanBeForcedOrDisabledByName() throws Exception {
        Fake low = new Fake("low", 10, Availability.available("yes"));
        Fake high = new Fake("high", 100, Availability.available("yes"));
        properties.put("tuntap.disable.high", "true");
        assertSame(low, selector(low, high).select());
        properties.put("tuntap.provider", "high");
        assertSame(high, selector(low, high).select(), "forcing overrides disabling");
        properties.put("tuntap.provider", "missing");
        NoProviderException e = assertThrows(NoProviderException.class, () -> selector(low, high).select());
        assertTrue(e.getMessage().contains("'missing'") && e.getMessage().contains("not on the class path"), e.getMessage());
    }

    @Test
    void whenNoneCanServeTheErrorSaysWhyAndNamesTheArtifact() {
        Fake down = new Fake("linux", 100, Availability.unavailable("/dev/net/tun is missing: modprobe tun"));
        NoProviderException e = assertThrows(NoProviderException.class, () -> selector(down).select());
        assertTrue(e.getMessage().contains("io.tuntap:tuntap-linux"), e.getMessage());
        assertTrue(e.getMessage().contains("modprobe tun"), e.getMessage());
        assertTrue(e.getMessage().contains("failed to load: broken.Provider"), e.getMessage());
        NoProviderException none = assertThrows(NoProviderException.class,
                () -> new ProviderSelector(List.of(), List.of(), properties::get, HostOs.WINDOWS).select());
        assertTrue(none.getMessage().contains("io.tuntap:tuntap-windows"), none.getMessage());
    }

    @Test
    void theReportListsEveryProviderWithItsState() {
        String report = selector(new Fake("a", 1, Availability.available("ready")),
                new Fake("b", 2, Availability.unavailable("not here"))).report();
        assertTrue(report.contains("a (priority 1") && report.contains("available: ready"), report);
        assertTrue(report.contains("b (priority 2") && report.contains("unavailable: not here"), report);
        assertTrue(report.contains("capabilities: [TUN]"), report);
    }

    @Test
    void availabilityExplainsItselfWhenEnsured() {
        Availability no = Availability.unavailable("JNA failed", new UnsatisfiedLinkError("libjnidispatch"));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> no.ensureAvailable("linux"));
        assertTrue(e.getMessage().contains("'linux'") && e.getMessage().contains("JNA failed"), e.getMessage());
        assertTrue(e.getCause() instanceof UnsatisfiedLinkError);
    }

    @Test
    void osNamesAreClassified() {
        assertSame(HostOs.LINUX, HostOs.fromOsName("Linux"));
        assertSame(HostOs.MACOS, HostOs.fromOsName("Mac OS X"));
        assertSame(HostOs.FREEBSD, HostOs.fromOsName("FreeBSD"));
        assertSame(HostOs.OPENBSD, HostOs.fromOsName("OpenBSD"));
        assertSame(HostOs.NETBSD, HostOs.fromOsName("NetBSD"));
        assertSame(HostOs.WINDOWS, HostOs.fromOsName("Windows 11"));
        assertSame(HostOs.OTHER, HostOs.fromOsName("SunOS"));
    }
}
