// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.Sys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Opening and closing against the fake kernel: the order of the STREAMS calls, unit allocation, and that a
 * failure at any step, or a close, leaves nothing behind.
 */
class SolarisPlumbingTest {

    private static TunTapDevice open(FakeSunOsKernel kernel, DeviceConfig config) throws TunTapException {
        return new SolarisDeviceOpener(new SunOs(kernel, kernel)).open(config);
    }

    private static DeviceConfig config(DeviceMode mode) throws TunTapException {
        return DeviceConfig.builder(mode).address("10.7.0.1/24").address("fd07::1/64").mtu(1400).up(true).build();
    }

    /** The calls that matter for the plumbing, without closes and reads of state. */
    private static List<String> steps(List<String> calls) {
        List<String> steps = new ArrayList<>();
        for (String c : calls) {
            if (c.startsWith("open") || c.contains("I_") || c.contains("IF_UNITSEL") || c.contains("SIOCSLIFNAME")
                    || c.contains("LIFMUXID")) {
                steps.add(c);
            }
        }
        return steps;
    }

    @Test
    void tunIsPlumbedInTheDriversOrder() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, config(DeviceMode.TUN))) {
            assertEquals("tun0", d.name());
            assertEquals(List.of(), kernel.inheritable(), "every descriptor is close-on-exec");
            assertEquals(List.of(
                    "open /dev/udp", "open /dev/udp6", "open /dev/tun",
                    "ioctl I_STR TUNNEWPPA",
                    "open /dev/tun", "ioctl I_PUSH ip", "ioctl IF_UNITSEL", "ioctl I_PLINK", "ioctl SIOCSLIFMUXID",
                    "open /dev/tun", "ioctl I_PUSH ip", "ioctl SIOCSLIFNAME", "ioctl I_PLINK", "ioctl SIOCSLIFMUXID"),
                    steps(kernel.calls()));
        }
        assertEquals(List.of(), kernel.leftovers());
    }

    @Test
    void tapGetsTheArpStreamAsOpenVpnAndIfconfigDo() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, config(DeviceMode.TAP))) {
            assertEquals("tap0", d.name());
            assertEquals(List.of(
                    "open /dev/udp", "open /dev/udp6", "open /dev/tap",
                    "ioctl I_STR TUNNEWPPA",
                    "open /dev/tap", "ioctl I_PUSH ip", "ioctl SIOCSLIFNAME", "ioctl I_PUSH arp",
                    "ioctl I_POP", "ioctl I_PUSH arp",
                    "open /dev/tap", "ioctl I_PUSH arp", "ioctl I_STR SIOCSLIFNAME",
                    "ioctl I_PLINK", "ioctl I_PLINK", "ioctl SIOCSLIFMUXID",
                    "open /dev/tap", "ioctl I_PUSH ip", "ioctl SIOCSLIFNAME", "ioctl I_PLINK", "ioctl SIOCSLIFMUXID"),
                    steps(kernel.calls()));
            assertEquals(FakeSunOsKernel.TAP_MAC, ((io.tuntap.TapDevice) d).macAddress(), "read with DL_PHYS_ADDR_REQ");
        }
        assertEquals(List.of(), kernel.leftovers());
    }

    @ParameterizedTest
    @EnumSource(DeviceMode.class)
    void closeUnplumbsInReverseOrderAndLeavesNothing(DeviceMode mode) throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        TunTapDevice d = open(kernel, config(mode));
        int before = kernel.calls().size();
        d.close();
        List<String> closing = kernel.calls().subList(before, kernel.calls().size());
        List<String> unlinks = new ArrayList<>();
        for (String c : closing) {
            if (c.contains("LIFMUXID") || c.contains("I_PUNLINK")) {
                unlinks.add(c);
            }
        }
        List<String> expected = mode == DeviceMode.TUN
                ? List.of("ioctl SIOCGLIFMUXID", "ioctl I_PUNLINK", "ioctl SIOCGLIFMUXID", "ioctl I_PUNLINK")
                : List.of("ioctl SIOCGLIFMUXID", "ioctl I_PUNLINK", "ioctl SIOCGLIFMUXID", "ioctl I_PUNLINK",
                        "ioctl I_PUNLINK");
        assertEquals(expected, unlinks, "IPv6 first, then (TAP) arp, then ip");
        assertEquals(List.of(), kernel.leftovers());
        assertFalse(d.isOpen());
        d.close(); // idempotent
        assertEquals(List.of(), kernel.leftovers());
    }

    /**
     * Every call of a successful open, made to fail in turn: the open throws (or, for a call whose failure is
     * expected, such as the I_POP that ends the module loop, succeeds), and in every case the kernel holds
     * nothing afterwards.
     */
    @ParameterizedTest
    @EnumSource(DeviceMode.class)
    void aFailureAtAnyStepLeavesNothingBehind(DeviceMode mode) throws Exception {
        FakeSunOsKernel probe = new FakeSunOsKernel();
        TunTapDevice opened = open(probe, config(mode));
        int calls = probe.calls().size();
        opened.close();
        assertTrue(calls > 20, "a real open makes many calls: " + probe.calls());
        // Calls whose failure an open survives: closes (the descriptor is released anyway), the I_POP that ends
        // the loop emptying the multiplexor, and setting close-on-exec on the pipe (F_SETFD, best effort).
        long survivable = probe.calls().subList(0, calls).stream()
                .filter(c -> c.startsWith("close") || c.equals("ioctl I_POP") || c.equals("fcntl " + Sys.F_SETFD))
                .count();
        int failedOpens = 0;
        for (int k = 0; k < calls; k++) {
            FakeSunOsKernel kernel = new FakeSunOsKernel();
            kernel.failCall(k, Errno.EIO);
            String step = probe.calls().get(k);
            try {
                TunTapDevice d = open(kernel, config(mode));
                d.close();
            } catch (TunTapException e) {
                failedOpens++;
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), step);
            }
            assertEquals(List.of(), kernel.leftovers(), "after a failure of call " + k + " (" + step + ")");
        }
        assertEquals(calls - survivable, failedOpens, "every other injected failure failed the open");
    }

    @Test
    void withoutANameTheFirstFreeUnitIsTakenPastEexist() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        kernel.takeUnit(DeviceMode.TUN, 0);
        kernel.takeUnit(DeviceMode.TUN, 1);
        try (TunTapDevice d = open(kernel, config(DeviceMode.TUN))) {
            assertEquals("tun2", d.name());
            SolarisDevice extension = d.extension(SolarisDevice.class).orElseThrow();
            assertEquals(2, extension.unit());
            assertTrue(extension.fileDescriptor() >= 3);
        }
        long tries = kernel.calls().stream().filter(c -> c.equals("ioctl I_STR TUNNEWPPA")).count();
        assertEquals(3, tries, "units 0 and 1 answered EEXIST");
    }

    @Test
    void aChosenUnitThatExistsIsBusy() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        kernel.takeUnit(DeviceMode.TAP, 3);
        DeviceConfig config = DeviceConfig.builder(DeviceMode.TAP).name("tap3").build();
        DeviceBusyException e = assertThrows(DeviceBusyException.class, () -> open(kernel, config));
        assertTrue(e.getMessage().contains("tap3 exists"), e.getMessage());
        assertTrue(e.getMessage().contains("EEXIST"), e.getMessage());
        kernel.calls();
        assertEquals(List.of("unit tap3"), kernel.leftovers(), "only the other program's unit");
        try (TunTapDevice d = open(kernel, DeviceConfig.builder(DeviceMode.TAP).name("tap4").build())) {
            assertEquals("tap4", d.name());
        }
    }

    @Test
    void allUnitsTaken() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        for (int i = 0; i < 20; i++) {
            kernel.takeUnit(DeviceMode.TUN, i);
        }
        DeviceBusyException e = assertThrows(DeviceBusyException.class, () -> open(kernel, config(DeviceMode.TUN)));
        assertTrue(e.getMessage().contains("all 20 units"), e.getMessage());
    }

    @Test
    void namesOtherThanTheDriversAreRefusedBeforeAnyCall() {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        for (String name : List.of("vpn0", "tap0", "tun20", "tun")) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> open(kernel, DeviceConfig.builder(DeviceMode.TUN).name(name).build()));
            assertTrue(e.getMessage().contains("tun0 to tun19"), e.getMessage());
        }
        assertEquals(List.of(), kernel.calls());
    }

    @Test
    void aMissingDriverIsNamedWithThePackageToInstall() {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        kernel.uninstallDriver();
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                () -> open(kernel, config(DeviceMode.TUN)));
        assertTrue(e.getMessage().contains("open(/dev/tun) failed with ENOENT"), e.getMessage());
        assertTrue(e.getMessage().contains("driver/network/tun"), e.getMessage());
        assertTrue(e.getMessage().contains("driver/tuntap"), e.getMessage());
        assertEquals(List.of(), kernel.leftovers());
    }

    @Test
    void aFailedStepNamesTheCallAndTheErrno() throws Exception {
        FakeSunOsKernel probe = new FakeSunOsKernel();
        open(probe, config(DeviceMode.TUN)).close();
        int plink = probe.calls().indexOf("ioctl I_PLINK");
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        kernel.failCall(plink, Errno.EINVAL);
        TunTapException e = assertThrows(TunTapException.class, () -> open(kernel, config(DeviceMode.TUN)));
        assertTrue(e.getMessage().startsWith("ioctl(I_PLINK ip) failed with EINVAL (errno 22)"), e.getMessage());
        assertTrue(e.getMessage().contains("undone"), e.getMessage());
        assertEquals(Errno.EINVAL, e.errorCode());
        assertEquals(List.of(), kernel.leftovers());
    }

    @Test
    void devicesListsThePlumbedUnitsOfBothModes() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        SunOs os = new SunOs(kernel, kernel);
        try (TunTapDevice tun = open(kernel, config(DeviceMode.TUN)); TunTapDevice tap = open(kernel, config(DeviceMode.TAP))) {
            List<io.tuntap.DeviceInfo> devices = SolarisDevices.list(os, "solaris");
            assertEquals(List.of(new io.tuntap.DeviceInfo("tun0", tun.index(), DeviceMode.TUN, "solaris"),
                    new io.tuntap.DeviceInfo("tap0", tap.index(), DeviceMode.TAP, "solaris")), devices);
        }
        assertEquals(List.of(), SolarisDevices.list(os, "solaris"));
        assertEquals(List.of(), kernel.leftovers());
    }

    @Test
    void configurationReachesTheInterfaces() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, DeviceConfig.builder(DeviceMode.TUN)
                .address("10.8.0.1/32 peer 10.8.0.2").address("10.9.0.1/24").mtu(1300).up(true).build())) {
            assertEquals(1300, d.mtu());
            assertEquals(List.of(io.tuntap.DeviceAddress.parse("10.8.0.1/32 peer 10.8.0.2"),
                    io.tuntap.DeviceAddress.parse("10.9.0.1/24")), d.addresses());
            assertTrue((kernel.flags("tun0", false) & Sys.IFF_UP) != 0);
            assertTrue((kernel.flags("tun0:1", false) & Sys.IFF_UP) != 0, "the second address is on a logical interface");
            d.setUp(false);
            assertFalse(d.isUp());
            assertEquals(0, kernel.flags("tun0:1", false) & Sys.IFF_UP);
            d.removeAddress(io.tuntap.IpPrefix.parse("10.9.0.1/24"));
            assertEquals(List.of(io.tuntap.DeviceAddress.parse("10.8.0.1/32 peer 10.8.0.2")), d.addresses());
            assertInstanceOf(DeviceNotFoundException.class, assertThrows(TunTapException.class,
                    () -> d.removeAddress(io.tuntap.IpPrefix.parse("10.9.0.1/24"))));
        }
        assertEquals(List.of(), kernel.leftovers());
    }
}
