// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DeviceOption;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.OpenPolicy;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.spi.Availability;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Provider availability, diagnostics, adapter choice and creation, over fakes; and its report off Windows. */
class TapWindowsProviderTest {
    static final UUID GUID = UUID.fromString("11111111-2222-4333-8444-555555555555");

    FakeTapDriver driver;
    FakeIpHelper ip;
    FakeNetAdapterRegistry registry;

    @BeforeEach
    void setUp() {
        driver = new FakeTapDriver(new TapAdapter(GUID, "tap0901", null).guidText(), MacAddress.parse("00:ff:11:11:11:11"));
        ip = new FakeIpHelper();
        ip.add(GUID, 77, 12, "OpenVPN TAP-Windows6");
        registry = new FakeNetAdapterRegistry();
    }

    TapWindowsProvider provider() {
        return new TapWindowsProvider(new WindowsPlatform(driver, ip, registry, null));
    }

    @Test
    void offWindowsItSaysWhyItCannotServeAndWhatToUse() {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "this checks the report off Windows");
        TapWindowsProvider p = new TapWindowsProvider();
        Availability a = p.availability();
        assertFalse(a.isAvailable());
        assertTrue(a.detail().contains("not Windows") && a.detail().contains("os.name=" + System.getProperty("os.name")),
                a.detail());
        assertTrue(a.detail().contains("kernel32, SetupAPI and IP Helper"), a.detail());
        assertEquals(java.util.Set.of(), p.capabilities(DeviceMode.TAP));
        String report = TunTap.diagnostics();
        assertTrue(report.contains("tap-windows6") && report.contains("not Windows"), report);
    }

    @Test
    void anUnelevatedProcessIsAttachOnlyAndSaysHowToElevate() {
        registry.add("root\\tap0901", GUID, "OpenVPN TAP-Windows6");
        Availability a = new TapWindowsProvider(new WindowsPlatform(driver, ip, registry, () -> false, null))
                .availability();
        assertTrue(a.isAvailable(), "still the backend for its modes, so that a create reports the privilege");
        assertFalse(a.canCreateDevices(), a.toString());
        assertTrue(a.detail().contains("not elevated") && a.detail().contains("Run as administrator")
                && a.detail().contains("OpenVPN TAP-Windows6"), a.detail());
        Availability elevated = new TapWindowsProvider(new WindowsPlatform(driver, ip, registry, () -> true, null))
                .availability();
        assertTrue(elevated.canCreateDevices(), elevated.toString());
        assertFalse(elevated.detail().contains("elevated"), elevated.detail());
    }

    @Test
    void aTokenThatCannotBeAskedIsReportedAsSuchNotAsElevated() {
        registry.add("root\\tap0901", GUID, "OpenVPN TAP-Windows6");
        Availability a = new TapWindowsProvider(new WindowsPlatform(driver, ip, registry, () -> {
            throw new IllegalStateException("access denied");
        }, null)).availability();
        assertFalse(a.canCreateDevices(), a.toString());
        assertTrue(a.detail().contains("cannot tell whether it is elevated") && a.detail().contains("access denied"),
                a.detail());
    }

    @Test
    void wintunOnAnUnelevatedProcessIsAttachOnlyToo() {
        FakeWintun wintun = new FakeWintun(driver, ip);
        Availability a = new WintunProvider(new WindowsPlatform(driver, ip, registry, () -> false, null), wintun)
                .availability();
        assertTrue(a.isAvailable(), a.toString());
        assertFalse(a.canCreateDevices(), a.toString());
        assertTrue(a.detail().contains("not elevated") && a.detail().contains("TUN through a test binding"),
                a.detail());
        assertTrue(new WintunProvider(new WindowsPlatform(driver, ip, registry, () -> true, null), wintun)
                .availability().canCreateDevices());
    }

    @Test
    void noAdapterIsUnavailableWithTheWayToGetOne() {
        registry.add("{4D36E972-other}", UUID.randomUUID(), "Ethernet"); // some other driver
        Availability a = provider().availability();
        assertFalse(a.isAvailable());
        assertTrue(a.detail().contains("TAP-Windows6") && a.detail().contains("tapctl"), a.detail());
        assertTrue(a.detail().contains("test mode"), "says what the project's own driver needs: " + a.detail());
    }

    @Test
    void availableWithTheAdaptersFoundAndBothModes() throws Exception {
        registry.add("root\\tap0901", GUID, "OpenVPN TAP-Windows6");
        TapWindowsProvider p = provider();
        assertTrue(p.availability().isAvailable(), p.availability().detail());
        assertTrue(p.availability().detail().contains("OpenVPN TAP-Windows6"), p.availability().detail());
        assertTrue(p.capabilities(DeviceMode.TUN).contains(Capability.TUN));
        assertTrue(p.capabilities(DeviceMode.TAP).contains(Capability.TAP));
        assertEquals(List.of(new io.tuntap.DeviceInfo("OpenVPN TAP-Windows6", 12, DeviceMode.TAP, "tap-windows6")),
                p.devices());
    }

    @Test
    void opensTheNamedAdapterOrTheFirstFreeOne() throws Exception {
        registry.add("tap0901", GUID, "OpenVPN TAP-Windows6");
        TapWindowsProvider p = provider();
        try (TunTapDevice d = p.open(DeviceConfig.tap().name("openvpn tap-windows6").build())) {
            assertEquals("OpenVPN TAP-Windows6", d.name());
            assertEquals(GUID, d.extension(WindowsAdapter.class).orElseThrow().guid());
        }
        try (TunTapDevice d = p.open(DeviceConfig.tap().build())) {
            assertEquals(GUID, ((WindowsAdapter) d).guid());
            DeviceBusyException e = assertThrows(DeviceBusyException.class, () -> p.open(DeviceConfig.tap().build()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                () -> p.open(DeviceConfig.tap().name("vpn0").build()));
        assertTrue(e.getMessage().contains("OpenVPN TAP-Windows6"), "lists what there is: " + e.getMessage());
        assertThrows(DeviceBusyException.class, () -> p.open(DeviceConfig.tap().name("OpenVPN TAP-Windows6")
                .openPolicy(OpenPolicy.CREATE_NEW).build()));
    }

    @Test
    void componentIdsOptionSelectsTheDriver() throws Exception {
        registry.add("tap0901", GUID, "OpenVPN TAP-Windows6");
        DeviceConfig onlyOwn = DeviceConfig.tap().option(TapWindowsOptions.COMPONENT_IDS, "tuntap6").build();
        assertThrows(DeviceNotFoundException.class, () -> provider().open(onlyOwn));
        DeviceConfig unknown = DeviceConfig.tap()
                .option(DeviceOption.of("tap-windows6", "no-such-option", String.class), "x").build();
        assertThrows(InvalidConfigurationException.class, () -> provider().open(unknown));
        DeviceConfig foreign = DeviceConfig.tap()
                .option(DeviceOption.of("linux", "whatever", String.class), "x").build();
        registry.add("tap0901", GUID, "OpenVPN TAP-Windows6");
        provider().open(foreign).close(); // options of other providers are ignored
    }

    @Test
    void creatingAnAdapterNeedsAdministrator() throws Exception {
        registry.add("tap0901", UUID.randomUUID(), "elsewhere"); // there is one, but the fake driver does not serve it
        DeviceConfig create = DeviceConfig.tap().option(TapWindowsOptions.CREATE_ADAPTER, true).build();
        DevicePermissionException e = assertThrows(DevicePermissionException.class, () -> provider().open(create));
        assertTrue(e.getMessage().contains("Administrator"), e.getMessage());
        registry.admin = true;
        assertThrows(DeviceNotFoundException.class, () -> provider().open(create), "the fake kernel has no such device");
        assertEquals(List.of("root\\tap0901"), registry.created);
    }

    @Test
    void adaptersAreCreatedAndRemovedAsAdministratorOnly() throws Exception {
        TapWindowsProvider p = provider();
        assertThrows(DevicePermissionException.class, () -> p.createAdapter("tap0901"));
        registry.admin = true;
        UUID created = p.createAdapter("root\\tuntap6");
        assertEquals(List.of("root\\tuntap6"), registry.created);
        assertTrue(TapAdapters.find(registry, List.of("tuntap6")).stream().anyMatch(a -> a.guid().equals(created)));
        p.removeAdapter(created);
        assertTrue(TapAdapters.find(registry, List.of("tuntap6")).isEmpty());
        assertThrows(DeviceNotFoundException.class, () -> p.removeAdapter(created));
    }

    @Test
    void offWindowsAdapterCreationIsUnsupported() {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"),
                "this checks the refusal off Windows; on Windows the call would install an adapter");
        assertThrows(io.tuntap.UnsupportedFeatureException.class, () -> new TapWindowsProvider().createAdapter("tap0901"));
    }
}
