// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.spi.Availability;
import io.tuntap.spi.HostOs;
import io.tuntap.spi.TunTapProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The providers: found by ServiceLoader, and on another system unavailable with the reason, loading nothing. */
class ProviderTest {

    private static List<AbstractBsdProvider> providers() {
        List<AbstractBsdProvider> out = new ArrayList<>();
        for (TunTapProvider p : ServiceLoader.load(TunTapProvider.class)) {
            if (p instanceof AbstractBsdProvider b) {
                out.add(b);
            }
        }
        return out;
    }

    @Test
    void fourProvidersAreRegistered() {
        List<String> names = new ArrayList<>();
        for (AbstractBsdProvider p : providers()) {
            names.add(p.name());
        }
        assertEquals(List.of("freebsd", "openbsd", "netbsd", "macos-utun"), names);
    }

    @Test
    void onAnotherSystemEachSaysWhyItCannotServe() throws Exception {
        for (AbstractBsdProvider p : providers()) {
            HostOs other = p.abi().os == BsdAbi.Os.FREEBSD ? HostOs.LINUX : HostOs.FREEBSD;
            Availability a = p.availability(other);
            assertFalse(a.isAvailable());
            assertTrue(a.detail().startsWith("not "), a.detail());
            assertTrue(a.detail().contains("serves"), a.detail());
            assertTrue(a.detail().contains(other.backendArtifact()), "names the artifact for this system: " + a.detail());
        }
    }

    @Test
    void onThisLinuxMachineNoneIsAvailableAndOpenSaysWhy() {
        if (HostOs.current() != HostOs.LINUX) {
            return; // the assertion is about a Linux host
        }
        for (AbstractBsdProvider p : providers()) {
            assertFalse(p.availability().isAvailable());
            assertTrue(p.capabilities().isEmpty(), "no capabilities while unavailable");
            UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                    () -> p.open(DeviceConfig.tun().build()));
            assertTrue(e.getMessage().contains("os.name=Linux"), e.getMessage());
        }
    }

    @Test
    void netbsdNativeLibraryFixIsSpelledOut() {
        String fix = BsdProbe.nativeFix(BsdAbi.Os.NETBSD, new UnsatisfiedLinkError("no jnidispatch"));
        assertTrue(fix.contains("no NetBSD build of libjnidispatch"), fix);
        assertTrue(fix.contains("-Djna.boot.library.path"), fix);
        assertTrue(BsdProbe.nativeFix(BsdAbi.Os.OPENBSD, new UnsatisfiedLinkError("x")).contains("x86-64 only"));
    }

    @Test
    void probesThroughTheFakes() throws Exception {
        FakeDarwin mac = new FakeDarwin();
        Availability a = BsdProbe.probe(new BsdContext(mac, mac, mac.abi));
        assertTrue(a.isAvailable(), a.toString());
        assertTrue(a.detail().contains("utun"), a.detail());
        assertEquals(0, mac.openFds(), "the probe closes its socket");
        assertTrue(mac.interfaces.isEmpty(), "and creates nothing");

        FakeFreeBsd fb = new FakeFreeBsd(15);
        fb.root = false;
        Availability f = BsdProbe.probe(new BsdContext(fb, fb, fb.abi));
        assertTrue(f.detail().contains("needs root"), f.detail());
        assertTrue(fb.interfaces.isEmpty(), "opening /dev/tun would clone an interface: the probe does not");
        java.util.Set<io.tuntap.Capability> tap = new DarwinSystem().capabilities(DeviceMode.TAP);
        assertTrue(tap.contains(io.tuntap.Capability.TAP) && tap.contains(io.tuntap.Capability.SET_MAC_ADDRESS), tap
                .toString());
        assertTrue(!tap.contains(io.tuntap.Capability.PERSISTENT) && !tap.contains(io.tuntap.Capability.ATTACH)
                && !tap.contains(io.tuntap.Capability.PEER_ADDRESSES), "a feth pair is made and destroyed by the "
                + "device, and is a broadcast interface: " + tap);
    }

    @Test
    void devicesListsTunTapAndUtunInterfaces() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        k.createInterface("em0", "tap"); // an Ethernet card: not listed
        try (BsdTunTapDevice tun = Fakes.open(k, DeviceConfig.tun().build());
                BsdTunTapDevice tap = Fakes.open(k, DeviceConfig.tap().build())) {
            List<io.tuntap.DeviceInfo> list = BsdTunTapDevice.list(Fakes.context(k), "freebsd");
            assertEquals(List.of(new io.tuntap.DeviceInfo("tun0", tun.index(), DeviceMode.TUN, "freebsd"),
                    new io.tuntap.DeviceInfo("tap0", tap.index(), DeviceMode.TAP, "freebsd")), list);
        }
        assertEquals(0, k.openIfaddrLists());
    }

    @Test
    void diagnosticsOnLinuxSayWhyEachBsdProviderCannotServe() {
        if (HostOs.current() != HostOs.LINUX) {
            return; // the assertion is about a Linux host
        }
        String report = io.tuntap.TunTap.diagnostics();
        for (String line : List.of("freebsd", "openbsd", "netbsd", "macos-utun")) {
            assertTrue(report.contains(line + " (priority 100"), report);
        }
        assertTrue(report.contains("not FreeBSD: os.name=Linux"), report);
        assertTrue(report.contains("not macOS: os.name=Linux"), report);
        assertTrue(report.contains("io.tuntap:tuntap-linux"), "names the artifact for Linux: " + report);
    }
}
