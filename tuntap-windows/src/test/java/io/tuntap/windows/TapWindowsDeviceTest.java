// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.testkit.Packets;
import io.tuntap.windows.win32.TapIoctl;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tap-windows6 backend's open sequence, packet path and error paths, against the fake tap0901. */
class TapWindowsDeviceTest {
    static final UUID GUID = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    static final TapAdapter ADAPTER = new TapAdapter(GUID, "root\\tap0901", "OpenVPN TAP");

    FakeTapDriver driver;
    FakeIpHelper ip;
    long memory;

    @BeforeEach
    void setUp() {
        driver = new FakeTapDriver(ADAPTER.guidText(), MacAddress.parse("00:ff:0a:1b:2c:3d"));
        ip = new FakeIpHelper();
        FakeIpHelper.Interface ipi = ip.add(GUID, 0x0006_0000_0000_0002L, 21, "OpenVPN TAP");
        ipi.connected = driver::mediaConnected;
        driver.mediaListener = () -> ip.mediaChanged(ipi.luid);
        memory = NativeMemory.live();
    }

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, driver.openHandles(), "every handle closed, on success and failure alike");
        assertEquals(List.of(), driver.violations(), "the driver saw no misuse");
        assertEquals(memory, NativeMemory.live(), "every native block freed");
        assertEquals(0, ip.liveTables(), "every IP Helper table freed");
        assertEquals(0, ip.liveNotifications(), "every change notification cancelled");
    }

    static DeviceConfig tun() throws InvalidConfigurationException {
        return DeviceConfig.tun().address("10.8.0.2/24").address("fd08::2/64").build();
    }

    static DeviceConfig tap() throws InvalidConfigurationException {
        return DeviceConfig.tap().address("10.9.0.2/24").build();
    }

    @Test
    void opensInTheDocumentedOrderAndConfiguresTun() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tun())) {
            assertEquals(List.of(TapIoctl.GET_VERSION, TapIoctl.GET_MTU, TapIoctl.GET_MAC, TapIoctl.CONFIG_TUN,
                    TapIoctl.SET_MEDIA_STATUS), driver.ioctls);
            assertEquals(io.tuntap.DeviceMode.TUN, driver.driverMode(), "CONFIG_TUN was sent");
            assertTrue(driver.mediaConnected(), "SET_MEDIA_STATUS(1) after configuring");
            assertEquals("OpenVPN TAP", d.name());
            assertEquals(21, d.index());
            assertEquals(GUID, d.guid());
            assertEquals(0x0006_0000_0000_0002L, d.luid());
            assertEquals("tap0901", d.driver());
            assertEquals("9.27", d.driverVersion());
            assertEquals(List.of(DeviceAddress.parse("10.8.0.2/24"), DeviceAddress.parse("fd08::2/64")), d.addresses());
        }
        assertFalse(driver.mediaConnected(), "the driver disconnects the media when the handle closes");
        assertEquals(List.of(), ip.interfaces.get(0x0006_0000_0000_0002L).addresses, "the addresses it added are gone");
    }

    @Test
    void configTunCarriesTheFirstIpv4AddressAndItsNetwork() throws Exception {
        var c = TapWindowsDevice.tunConfiguration(List.of(DeviceAddress.parse("fd00::1/64"),
                DeviceAddress.parse("10.1.2.3/20")));
        assertEquals("10.1.2.3", c[0].getHostAddress());
        assertEquals("10.1.0.0", c[1].getHostAddress());
        assertEquals("255.255.240.0", c[2].getHostAddress());
        var p = TapWindowsDevice.tunConfiguration(List.of(DeviceAddress.parse("10.1.2.3/32 peer 10.1.2.4")));
        assertEquals("10.1.2.4", p[1].getHostAddress(), "with a peer: {local, peer, /32}");
        assertEquals("255.255.255.255", p[2].getHostAddress());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> TapWindowsDevice.open(driver, ip, ADAPTER, DeviceConfig.tun().address("fd00::1/64").build()));
        assertTrue(e.getMessage().contains("IPv4"), e.getMessage());
        assertEquals(List.of(), driver.ioctls, "refused before any native call");
    }

    @Test
    void secondOpenOfTheAdapterIsBusy() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tap())) {
            DeviceBusyException e = assertThrows(DeviceBusyException.class,
                    () -> TapWindowsDevice.open(driver, ip, ADAPTER, DeviceConfig.tap().build()));
            assertEquals(31, e.errorCode());
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            assertTrue(d.isOpen());
        }
    }

    @Test
    void openErrorsAreTyped() {
        driver.failOpenWith = WinErrors.ERROR_FILE_NOT_FOUND;
        assertThrows(DeviceNotFoundException.class, () -> TapWindowsDevice.open(driver, ip, ADAPTER, tap()));
        driver.failOpenWith = WinErrors.ERROR_ACCESS_DENIED;
        DevicePermissionException e = assertThrows(DevicePermissionException.class,
                () -> TapWindowsDevice.open(driver, ip, ADAPTER, tap()));
        assertTrue(e.getMessage().contains("AllowNonAdmin"), e.getMessage());
    }

    /**
     * The project's tuntap6 has no AllowNonAdmin: its control device's SDDL admits only the accounts it names.
     * The SDDL is read from the driver's source, so the message follows the driver.
     */
    @Test
    void accessDeniedOnTuntap6NamesTheAccountsItsSddlAdmits() throws Exception {
        java.nio.file.Path source = java.nio.file.Path.of(System.getProperty("tuntap.repoRoot", ".."))
                .resolve("native-driver/glue/tt_control_device.c");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("TtControlDeviceSddl, L\"([^\"]+)\"")
                .matcher(java.nio.file.Files.readString(source));
        assertTrue(m.find(), "the SDDL string in " + source);
        String sddl = m.group(1);
        // Trustee aliases of the SDDL ACE strings (learn.microsoft.com, "SID Strings"): SY = Local System,
        // BA = built-in Administrators, BU = built-in Users, WD = Everyone, AU = Authenticated Users.
        List<String> trustees = new java.util.ArrayList<>();
        java.util.regex.Matcher ace = java.util.regex.Pattern.compile("\\(A;[^;]*;[^;]*;[^;]*;[^;]*;([A-Z]{2})\\)")
                .matcher(sddl);
        while (ace.find()) {
            trustees.add(ace.group(1));
        }
        assertEquals(List.of("SY", "BA"), trustees, "the accounts the message names; update it when the SDDL changes");

        TapAdapter ours = new TapAdapter(GUID, "root\\tuntap6", "tuntap6");
        driver.failOpenWith = WinErrors.ERROR_ACCESS_DENIED;
        DevicePermissionException e = assertThrows(DevicePermissionException.class,
                () -> TapWindowsDevice.open(driver, ip, ours, tap()));
        String message = e.getMessage();
        assertFalse(message.contains("AllowNonAdmin"), "tuntap6 has no such property: " + message);
        assertTrue(message.contains("SYSTEM") && message.contains("Administrators"), message);
        assertTrue(message.contains(sddl), "quotes the driver's SDDL: " + message);
        assertTrue(message.contains("Administrator"), "says how to get access: " + message);
    }

    /**
     * Duplicate address detection cannot finish on a disconnected adapter, so open connects the media before
     * it adds addresses, and waits for DAD only on a connected link.
     */
    @Test
    void openConnectsBeforeAddingAddressesAndNeverPollsDadOnADisconnectedLink() throws Exception {
        DeviceConfig both = DeviceConfig.tap().address("10.9.0.2/24").address("fd09::2/64").build();
        long start = System.nanoTime();
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, both)) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(0, ip.tentativePollsWhileDisconnected, "DAD polled while the media was disconnected");
            assertTrue(millis < 4000, "open took " + millis + " ms (a DAD wait would be 5 s per address)");
            assertTrue(d.isUp());
        }
    }

    @Test
    void addressesAreUsableWhenOpenReturnsWithTheLinkUp() throws Exception {
        ip.dadNanos = 200_000_000L;
        DeviceConfig both = DeviceConfig.tap().address("10.9.0.2/24").address("fd09::2/64").build();
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, both)) {
            for (String a : List.of("10.9.0.2", "fd09::2")) {
                io.tuntap.windows.win32.MibUnicastIpAddressRow row = new io.tuntap.windows.win32.MibUnicastIpAddressRow();
                row.Address.set(java.net.InetAddress.getByName(a));
                row.InterfaceLuid = d.luid();
                assertEquals(0, ip.GetUnicastIpAddressEntry(row));
                assertEquals(io.tuntap.windows.win32.MibUnicastIpAddressRow.IP_DAD_STATE_PREFERRED, row.DadState,
                        a + " is still tentative: open returned before DAD finished");
            }
        }
    }

    @Test
    void openWithTheLinkDownDoesNotWaitForDad() throws Exception {
        ip.dadNanos = 200_000_000L;
        DeviceConfig down = DeviceConfig.tap().address("10.9.0.2/24").address("fd09::2/64").up(false).build();
        long start = System.nanoTime();
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, down)) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(0, ip.tentativePollsWhileDisconnected, "DAD polled while the media was disconnected");
            assertTrue(millis < 4000, "open took " + millis + " ms (a DAD wait would be 5 s per address)");
            assertFalse(d.isUp());
            d.addAddress(DeviceAddress.parse("10.9.1.2/24"));
            assertEquals(0, ip.tentativePollsWhileDisconnected, "addAddress while down does not wait either");
        }
    }

    /** A reply shorter than its structure is refused, not read past: the rest of the buffer was never written. */
    @Test
    void controlCodeReplyShorterThanItsStructureIsATypedError() {
        for (int code : new int[] {TapIoctl.GET_VERSION, TapIoctl.GET_MTU, TapIoctl.GET_MAC}) {
            driver.shortIoctl.clear();
            driver.shortIoctl.put(code, 2);
            TunTapException e = assertThrows(TunTapException.class, () -> TapWindowsDevice.open(driver, ip, ADAPTER,
                    tap()));
            assertTrue(e.getMessage().contains("2 bytes") && e.getMessage().contains("DeviceIoControl"), e.getMessage());
        }
    }

    @Test
    void driverOlderThan99IsRefusedAndReleased() {
        driver.versionMajor = 9;
        driver.versionMinor = 8;
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> TapWindowsDevice.open(driver, ip, ADAPTER, tap()));
        assertTrue(e.getMessage().contains("9.8") && e.getMessage().contains("9.9"), e.getMessage());
    }

    @Test
    void failedControlCodeReleasesEverything() {
        driver.failIoctl.put(TapIoctl.GET_MAC, WinErrors.ERROR_GEN_FAILURE);
        TunTapException e = assertThrows(TunTapException.class, () -> TapWindowsDevice.open(driver, ip, ADAPTER, tap()));
        assertTrue(e.getMessage().contains("TAP_WIN_IOCTL_GET_MAC"), e.getMessage());
    }

    @Test
    void refusedConfigTunReleasesEverything() {
        driver.failIoctl.put(TapIoctl.CONFIG_TUN, WinErrors.ERROR_INVALID_PARAMETER);
        assertThrows(InvalidConfigurationException.class, () -> TapWindowsDevice.open(driver, ip, ADAPTER, tun()));
    }

    @Test
    void eventCreationFailureClosesTheHandle() {
        driver.createEventsLeft = 2;
        assertThrows(TunTapException.class, () -> TapWindowsDevice.open(driver, ip, ADAPTER, tap()));
    }

    @Test
    void addressFailureWithoutAdminIsAPermissionErrorAndRemovesWhatWasAdded() {
        ip.denyChanges = true;
        DevicePermissionException e = assertThrows(DevicePermissionException.class,
                () -> TapWindowsDevice.open(driver, ip, ADAPTER, tap()));
        assertTrue(e.getMessage().contains("Administrator"), e.getMessage());
    }

    @Test
    void secondAddressFailingRemovesTheFirst() throws Exception {
        ip.add(UUID.randomUUID(), 99, 99, "other").addresses.add(IpPrefix.parse("10.9.1.1/24"));
        DeviceConfig c = DeviceConfig.tap().address("10.9.0.2/24").address("10.9.1.1/24").build();
        assertThrows(DeviceBusyException.class, () -> TapWindowsDevice.open(driver, ip, ADAPTER, c));
        assertEquals(List.of(), ip.interfaces.get(0x0006_0000_0000_0002L).addresses, "the first address was removed");
    }

    @Test
    void tooLongFrameFromTheDriverIsReportedAndTheNextReadWorks() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tap())) {
            driver.hostSend(new byte[TapChannel.BUFFER_SIZE + 100]);
            driver.hostSend(new byte[60]);
            ByteBuffer dst = ByteBuffer.allocateDirect(TapChannel.BUFFER_SIZE);
            assertThrows(PacketTooLargeException.class, () -> d.read(dst, Duration.ofSeconds(5)));
            assertEquals(60, d.read(dst, Duration.ofSeconds(5)));
            assertEquals(1, driver.droppedToReader());
        }
    }

    @Test
    void shortAndLongPacketsBothWays() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tap())) {
            for (int length : new int[] {1, 14, 60, 1514, 9000, 65535}) {
                byte[] frame = new byte[length];
                for (int i = 0; i < length; i++) {
                    frame[i] = (byte) (i * 7 + length);
                }
                driver.hostSend(frame);
                ByteBuffer dst = ByteBuffer.allocate(70000);
                assertEquals(length, d.read(dst, Duration.ofSeconds(5)));
                assertEquals(ByteBuffer.wrap(frame), dst.flip());
                assertEquals(length, d.write(ByteBuffer.wrap(frame)));
                assertEquals(ByteBuffer.wrap(frame), ByteBuffer.wrap(driver.hostReceive(1000)));
            }
            assertThrows(PacketTooLargeException.class, () -> d.write(ByteBuffer.allocate(TapChannel.BUFFER_SIZE + 1)));
            assertThrows(InvalidConfigurationException.class, () -> d.write(ByteBuffer.allocate(0)));
        }
    }

    @Test
    void tunWritesNeedAnIpVersionAndReachTheHostWithAnEthernetHeader() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tun())) {
            assertThrows(InvalidConfigurationException.class, () -> d.write(new byte[] {0x10, 0, 0, 0}));
            byte[] udp = Packets.udp(new InetSocketAddress("10.8.0.1", 5), new InetSocketAddress("10.8.0.2", 6),
                    new byte[] {1, 2, 3});
            d.write(udp);
            byte[] frame = driver.hostReceive(1000);
            assertEquals(14 + udp.length, frame.length);
            assertEquals(driver.mac, MacAddress.of(java.util.Arrays.copyOf(frame, 6)), "to the adapter's MAC");
        }
    }

    @Test
    void closeCancelsThePostedReadAndWaitsForItBeforeFreeing() throws Exception {
        driver.asyncCancelMillis = 50; // the cancelled read completes later, on another thread
        TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tap());
        assertEquals(0, d.read(ByteBuffer.allocate(100), Duration.ofMillis(10)), "posts a read, none completes");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                d.read(ByteBuffer.allocate(70000));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        reader.start();
        Thread.sleep(50);
        d.close();
        reader.join(2000);
        assertInstanceOf(DeviceClosedException.class, thrown.get());
        assertEquals(0, driver.openHandles(), "close returned only after the cancelled read completed");
        d.close(); // idempotent
        assertThrows(DeviceClosedException.class, () -> d.write(new byte[20]));
        assertThrows(DeviceClosedException.class, d::mtu);
        // nothingLeaks(): the fake records a handle closed with a read pending as a violation.
    }

    @Test
    void timeoutAndInterruptKeepThePostedReadAndItsPacket() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tap())) {
            ByteBuffer dst = ByteBuffer.allocate(2000);
            assertEquals(0, d.read(dst, Duration.ZERO));
            Thread.currentThread().interrupt();
            assertThrows(io.tuntap.DeviceInterruptedException.class, () -> d.read(dst));
            assertTrue(Thread.interrupted(), "the interrupt status stays set");
            driver.hostSend(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
            assertEquals(15, d.read(dst, Duration.ofSeconds(5)), "the packet completed into the kept read");
        }
    }

    @Test
    void writesFailWhileTheMediaIsDisconnected() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tap())) {
            d.setUp(false);
            assertFalse(driver.mediaConnected());
            TunTapException e = assertThrows(TunTapException.class, () -> d.write(new byte[60]));
            assertTrue(e.getMessage().contains("setUp(true)"), e.getMessage());
            d.setUp(true);
            d.write(new byte[60]);
            assertEquals(60, driver.hostReceive(1000).length);
        }
    }

    @Test
    void mtuAboveTheDriversIsRefusedWithTheFix() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tap())) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> d.setMtu(9000));
            assertTrue(e.getMessage().contains("1500"), e.getMessage());
            d.setMtu(1280);
            assertEquals(1280, d.mtu());
            assertEquals(1280, d.ipv6Mtu());
            d.setMtu(576);
            assertEquals(576, d.mtu());
            assertEquals(1280, d.ipv6Mtu(), "IPv6 keeps at least 1280");
        }
    }

    @Test
    void routesMetricAndDnsGoThroughIpHelper() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tap())) {
            IpInterface ipi = d.ipInterface();
            ipi.addRoute(IpPrefix.parse("10.50.0.0/16"), IpPrefix.parse("10.9.0.1").address(), 5);
            ipi.addRoute(IpPrefix.parse("fd50::/48"), null, 0);
            assertThrows(DeviceBusyException.class,
                    () -> ipi.addRoute(IpPrefix.parse("fd50::/48"), null, 0));
            assertEquals(2, ipi.routes().size());
            ipi.removeRoute(IpPrefix.parse("fd50::/48"), null);
            assertThrows(DeviceNotFoundException.class, () -> ipi.removeRoute(IpPrefix.parse("fd50::/48"), null));
            assertEquals(1, ipi.routes().size());
            d.setInterfaceMetric(7);
            assertEquals(7, d.interfaceMetric());
            d.setDnsServers(List.of(IpPrefix.parse("10.9.0.53").address(), IpPrefix.parse("fd09::53").address(),
                    IpPrefix.parse("10.9.0.54").address()), List.of("example.test"));
            assertEquals("10.9.0.53,10.9.0.54", ip.interfaces.get(d.luid()).dns4);
            assertEquals("fd09::53", ip.interfaces.get(d.luid()).dns6);
        }
    }

    @Test
    void tapMacIsTheAdaptersAndCannotChangeWhileOpen() throws Exception {
        try (TapWindowsDevice d = TapWindowsDevice.open(driver, ip, ADAPTER, tap())) {
            assertEquals(driver.mac, d.macAddress());
            assertThrows(UnsupportedFeatureException.class,
                    () -> ((io.tuntap.TapDevice) d).setMacAddress(MacAddress.parse("02:00:00:00:00:01")));
            assertTrue(d.isPersistent());
            assertThrows(UnsupportedFeatureException.class, () -> d.setPersistent(false));
        }
    }
}
