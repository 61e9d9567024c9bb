// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.OpenPolicy;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapDevice;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.testkit.Packets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Wintun backend's sessions, rings and error paths, against the fake with real rings. */
class WintunDeviceTest {
    FakeTapDriver k32;
    FakeIpHelper ip;
    FakeWintun wintun;
    WintunProvider provider;
    long memory;

    @BeforeEach
    void setUp() {
        k32 = new FakeTapDriver("{00000000-0000-0000-0000-000000000000}", MacAddress.parse("02:00:00:00:00:01"));
        ip = new FakeIpHelper();
        wintun = new FakeWintun(k32, ip);
        provider = new WintunProvider(new WindowsPlatform(k32, ip, new FakeNetAdapterRegistry(), null), wintun);
        memory = NativeMemory.live();
    }

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, wintun.openHandles(), "every adapter handle closed");
        assertEquals(0, wintun.openSessions(), "every session ended");
        assertEquals(List.of(), wintun.violations, "Wintun saw no misuse");
        assertEquals(0, k32.openHandles(), "every event closed");
        assertEquals(memory, NativeMemory.live(), "every native block freed");
        assertEquals(0, ip.liveNotifications());
    }

    static byte[] udp(int payload) {
        return Packets.udp(new InetSocketAddress("10.5.0.2", 1000), new InetSocketAddress("10.5.0.1", 2000),
                new byte[payload]);
    }

    @Test
    void ringCapacityIsValidatedBeforeAnythingIsCreated() throws Exception {
        for (int bad : new int[] {0x10000, 0x30000, 0x8000000, -1}) {
            DeviceConfig c = DeviceConfig.tun().option(WintunOptions.RING_CAPACITY, bad).build();
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> provider.open(c));
            assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        }
        assertFalse(wintun.exists("tuntap"), "no adapter was created for a refused configuration");
        try (TunTapDevice d = provider.open(DeviceConfig.tun().option(WintunOptions.RING_CAPACITY, 0x20000).build())) {
            assertTrue(d.isOpen());
        }
    }

    @Test
    void createsAndRemovesItsAdapterButKeepsOneItOpened() throws Exception {
        UUID guid = UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
        try (TunTapDevice d = provider.open(DeviceConfig.tun().name("vpn7").address("10.5.0.1/24")
                .option(WintunOptions.ADAPTER_GUID, guid).build())) {
            WindowsAdapter w = d.extension(WindowsAdapter.class).orElseThrow();
            assertEquals(guid, w.guid());
            assertEquals("wintun", w.driver());
            assertEquals("14.0", w.driverVersion());
            assertFalse(d.isPersistent(), "a created adapter goes away with the device");
            assertTrue(wintun.exists("vpn7"));
        }
        assertFalse(wintun.exists("vpn7"), "the created adapter was removed");
        wintun.existing("kept");
        try (TunTapDevice d = provider.open(DeviceConfig.tun().name("kept").openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
            assertTrue(d.isPersistent());
        }
        assertTrue(wintun.exists("kept"), "an opened adapter stays");
    }

    @Test
    void openPoliciesAndPermissions() throws Exception {
        assertThrows(DeviceNotFoundException.class,
                () -> provider.open(DeviceConfig.tun().name("none").openPolicy(OpenPolicy.ATTACH_EXISTING).build()));
        wintun.existing("taken");
        assertThrows(DeviceBusyException.class,
                () -> provider.open(DeviceConfig.tun().name("taken").openPolicy(OpenPolicy.CREATE_NEW).build()));
        wintun.admin = false;
        DevicePermissionException e = assertThrows(DevicePermissionException.class,
                () -> provider.open(DeviceConfig.tun().name("new").build()));
        assertTrue(e.getMessage().contains("Administrator"), e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> provider.open(DeviceConfig.tun().name("x".repeat(128)).build()));
        assertThrows(io.tuntap.UnsupportedFeatureException.class, () -> provider.open(DeviceConfig.tap().build()));
    }

    @Test
    void secondSessionOnAnAdapterIsBusyAndReleasesItsHandle() throws Exception {
        wintun.existing("shared");
        try (TunTapDevice d = provider.open(DeviceConfig.tun().name("shared").build())) {
            DeviceBusyException e = assertThrows(DeviceBusyException.class,
                    () -> provider.open(DeviceConfig.tun().name("shared").build()));
            assertTrue(e.getMessage().contains("one"), e.getMessage());
            assertTrue(d.isOpen());
        }
    }

    @Test
    void fullSendRingDropsAndCountsWritesAndRecovers() throws Exception {
        try (TunTapDevice d = provider.open(DeviceConfig.tun().option(WintunOptions.RING_CAPACITY, 0x20000).build())) {
            WindowsAdapter w = (WindowsAdapter) d;
            wintun.hostStalled = true;
            byte[] p = udp(1400);
            int sent = 0;
            while (w.droppedWrites() == 0) {
                assertEquals(p.length, d.write(p), "a full ring is not an error");
                sent++;
                assertTrue(sent < 1000, "the 128 KiB ring never filled");
            }
            assertEquals(1, w.droppedWrites());
            assertTrue(sent > 80, "about 128 KiB / 1.4 KiB packets fit first: " + sent);
            wintun.hostStalled = false;
            while (wintun.hostReceive(0) != null) {
                // drain
            }
            d.write(p);
            assertEquals(1, w.droppedWrites(), "writes go through again once the host drains the ring");
        }
    }

    @Test
    void emptyRingWaitsForTheReadEventAndTimesOut() throws Exception {
        try (TunTapDevice d = provider.open(DeviceConfig.tun().build())) {
            ByteBuffer dst = ByteBuffer.allocateDirect(70000);
            long start = System.nanoTime();
            assertEquals(0, d.read(dst, Duration.ofMillis(60)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
            new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                wintun.hostSend(udp(10));
            }).start();
            assertEquals(udp(10).length, d.read(dst, Duration.ofSeconds(5)), "woken by the read event");
            wintun.hostSend(udp(3000));
            assertThrows(PacketTooLargeException.class, () -> d.read(ByteBuffer.allocate(100)));
            wintun.hostSend(udp(5));
            assertEquals(udp(5).length, d.read(ByteBuffer.allocate(100), Duration.ofSeconds(1)),
                    "the too-large packet was released from the ring");
        }
    }

    @Test
    void closeWakesAReaderBeforeTheSessionEnds() throws Exception {
        TunTapDevice d = provider.open(DeviceConfig.tun().build());
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
        // nothingLeaks(): the fake records a session ended under a running call.
    }

    @Test
    void removedAdapterFailsCallsAndIsAnEvent() throws Exception {
        try (TunTapDevice d = provider.open(DeviceConfig.tun().build())) {
            LinkedBlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
            var executor = java.util.concurrent.Executors.newSingleThreadExecutor();
            try (var sub = d.subscribe(executor, events::add)) {
                assertTrue(sub.isOpen());
                wintun.removeAdapter();
                DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                        () -> d.read(ByteBuffer.allocate(2000), Duration.ofSeconds(1)));
                assertTrue(e.getMessage().contains("ERROR_HANDLE_EOF"), e.getMessage());
                assertThrows(DeviceNotFoundException.class, () -> d.write(udp(10)));
                assertEquals(new DeviceEvent.Removed(), events.poll(2, TimeUnit.SECONDS));
            } finally {
                executor.shutdownNow();
            }
        }
    }

    @Test
    void linkIsTheSessionAndWritesCheckTheIpVersion() throws Exception {
        try (TunTapDevice d = provider.open(DeviceConfig.tun().build())) {
            assertTrue(d.isUp());
            d.setUp(true);
            assertThrows(UnsupportedFeatureException.class, () -> d.setUp(false));
            assertThrows(InvalidConfigurationException.class, () -> d.write(new byte[] {0x55, 0, 0}));
            assertThrows(PacketTooLargeException.class, () -> d.write(new byte[70000]));
            assertEquals(DeviceMode.TUN, d.mode());
        }
    }
}
