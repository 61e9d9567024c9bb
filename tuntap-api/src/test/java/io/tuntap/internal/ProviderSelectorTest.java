// SPDX-License-Identifier: Apache-2.0
package io.tuntap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
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

    /** A provider that serves the given modes (TUN only unless told). */
    private record Fake(String name, int priority, Availability availability, Set<DeviceMode> modes)
            implements TunTapProvider {
        Fake(String name, int priority, Availability availability) {
            this(name, priority, availability, Set.of(DeviceMode.TUN));
        }

        @Override
        public Set<Capability> capabilities(DeviceMode mode) {
            if (!availability.isAvailable() || !modes.contains(mode)) {
                return Set.of();
            }
            return Set.of(mode == DeviceMode.TUN ? Capability.TUN : Capability.TAP);
        }

        @Override
        public List<DeviceInfo> devices() {
            return List.of(new DeviceInfo(name + "0", priority, modes.iterator().next(), name));
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
        assertSame(high, selector(low, best, high).select(DeviceMode.TUN));
    }

    @Test
    void aProviderCanBeForcedOrDisabledByName() throws Exception {
        Fake low = new Fake("low", 10, Availability.available("yes"));
        Fake high = new Fake("high", 100, Availability.available("yes"));
        properties.put("tuntap.disable.high", "true");
        assertSame(low, selector(low, high).select(DeviceMode.TUN));
        properties.put("tuntap.provider", "high");
        assertSame(high, selector(low, high).select(DeviceMode.TUN), "forcing overrides disabling");
        properties.put("tuntap.provider", "missing");
        NoProviderException e = assertThrows(NoProviderException.class, () -> selector(low, high).select(DeviceMode.TUN));
        assertTrue(e.getMessage().contains("'missing'") && e.getMessage().contains("not on the class path"), e.getMessage());
    }

    @Test
    void whenNoneCanServeTheErrorSaysWhyAndNamesTheArtifact() {
        Fake down = new Fake("linux", 100, Availability.unavailable("/dev/net/tun is missing: modprobe tun"));
        NoProviderException e = assertThrows(NoProviderException.class, () -> selector(down).select(DeviceMode.TUN));
        assertTrue(e.getMessage().contains("io.tuntap:tuntap-linux"), e.getMessage());
        assertTrue(e.getMessage().contains("modprobe tun"), e.getMessage());
        assertTrue(e.getMessage().contains("failed to load: broken.Provider"), e.getMessage());
        NoProviderException none = assertThrows(NoProviderException.class,
                () -> new ProviderSelector(List.of(), List.of(), properties::get, HostOs.WINDOWS).select(DeviceMode.TUN));
        assertTrue(none.getMessage().contains("io.tuntap:tuntap-windows"), none.getMessage());
    }

    @Test
    void theReportListsEveryProviderWithItsState() {
        String report = selector(new Fake("a", 1, Availability.available("ready")),
                new Fake("b", 2, Availability.unavailable("not here"))).report();
        assertTrue(report.contains("a (priority 1") && report.contains("available: ready"), report);
        assertTrue(report.contains("b (priority 2") && report.contains("unavailable: not here"), report);
        assertTrue(report.contains("TUN: [TUN]") && report.contains("TAP: not served"), report);
        assertTrue(report.contains("tun devices: provider 'a'") && report.contains("tap devices: no provider"), report);
    }

    @Test
    void eachModeGetsTheBestProviderThatServesIt() throws Exception {
        // As on macOS: utun serves TUN only, feth TAP only; or Windows: wintun TUN (110), tap-windows6 both (100).
        Fake wintun = new Fake("wintun", 110, Availability.available("wintun.dll"), Set.of(DeviceMode.TUN));
        Fake tapWindows = new Fake("tap-windows6", 100, Availability.available("tap0901"),
                Set.of(DeviceMode.TUN, DeviceMode.TAP));
        ProviderSelector s = selector(tapWindows, wintun);
        assertSame(wintun, s.select(DeviceMode.TUN));
        assertSame(tapWindows, s.select(DeviceMode.TAP));
        properties.put("tuntap.disable.wintun", "true");
        assertSame(tapWindows, s.select(DeviceMode.TUN), "a disabled provider leaves the mode to the next");
        properties.remove("tuntap.disable.wintun");
        properties.put("tuntap.provider", "wintun");
        NoProviderException e = assertThrows(NoProviderException.class, () -> s.select(DeviceMode.TAP));
        assertTrue(e.getMessage().contains("does not serve TAP"), e.getMessage());
        Fake utun = new Fake("utun", 100, Availability.available("utun"), Set.of(DeviceMode.TUN));
        properties.remove("tuntap.provider");
        NoProviderException noTap = assertThrows(NoProviderException.class, () -> selector(utun).select(DeviceMode.TAP));
        assertTrue(noTap.getMessage().contains("open TAP devices"), noTap.getMessage());
    }

    @Test
    void devicesComeFromEveryAvailableEnabledProvider() throws Exception {
        Fake a = new Fake("a", 1, Availability.available("ready"));
        Fake b = new Fake("b", 2, Availability.available("ready"), Set.of(DeviceMode.TAP));
        Fake down = new Fake("down", 3, Availability.unavailable("no"));
        properties.put("tuntap.disable.b", "true");
        assertEquals(List.of(new DeviceInfo("a0", 1, DeviceMode.TUN, "a")), selector(a, b, down).devices());
        properties.remove("tuntap.disable.b");
        assertEquals(2, selector(a, b, down).devices().size());
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
        assertSame(HostOs.DRAGONFLY, HostOs.fromOsName("DragonFly"));
        assertSame(HostOs.SOLARIS, HostOs.fromOsName("SunOS"));
        assertEquals("io.tuntap:tuntap-solaris", HostOs.SOLARIS.backendArtifact());
        assertEquals("io.tuntap:tuntap-bsd", HostOs.DRAGONFLY.backendArtifact());
        assertTrue(HostOs.SOLARIS.isUnix() && !HostOs.WINDOWS.isUnix());
        assertSame(HostOs.OTHER, HostOs.fromOsName("Plan 9"));
    }
}
