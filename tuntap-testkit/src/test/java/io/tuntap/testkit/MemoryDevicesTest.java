// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static io.tuntap.testkit.PacketsTest.A4;
import static io.tuntap.testkit.PacketsTest.B4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TapDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryDevicesTest {

    private static byte[] udp(int size) {
        return Packets.udp(new InetSocketAddress(A4, 1), new InetSocketAddress(B4, 2), new byte[size]);
    }

    @Test
    void fullQueueDropsAndCounts() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tun().build())) {
            for (int i = 0; i < MemoryDevices.QUEUE_CAPACITY + 10; i++) {
                pair.first().write(udp(1));
            }
            assertEquals(MemoryDevices.QUEUE_CAPACITY + 10, pair.firstCounters().txPackets());
            assertEquals(10, pair.secondCounters().rxDroppedQueueFull());
            ByteBuffer dst = ByteBuffer.allocate(100);
            int read = 0;
            while (pair.second().read(dst.clear(), Duration.ZERO) > 0) {
                read++;
            }
            assertEquals(MemoryDevices.QUEUE_CAPACITY, read);
            assertEquals(read, pair.secondCounters().rxPackets());
        }
    }

    @Test
    void packetsForAPeerWhoseLinkIsDownAreDropped() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tun().up(false).build())) {
            pair.first().write(udp(1));
            assertEquals(1, pair.secondCounters().rxDroppedLinkDown());
            assertEquals(0, pair.second().read(ByteBuffer.allocate(100), Duration.ZERO));
        }
    }

    @Test
    void writeOnADownLinkFails() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().up(false).build(), DeviceConfig.tun().build())) {
            TunTapException e = assertThrows(TunTapException.class, () -> pair.first().write(udp(1)));
            assertEquals(0, e.errorCode(), "no operating system is involved, so no error code is invented");
            assertTrue(e.getMessage().contains("setUp(true)"), e.getMessage());
        }
    }

    @Test
    void writeLargerThanMtuIsRefusedWithSizes() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().mtu(576).build(), DeviceConfig.tun().build())) {
            pair.first().write(udp(576 - 28));
            PacketTooLargeException e = assertThrows(PacketTooLargeException.class,
                    () -> pair.first().write(udp(576 - 27)));
            assertEquals(577, e.packetLength());
            assertEquals(576, e.bufferCapacity());
        }
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tap().mtu(576).build(), DeviceConfig.tap().build())) {
            byte[] frame = Frames.ethernet(PacketsTest.MAC_A, PacketsTest.MAC_B, udp(576 - 28));
            assertEquals(590, pair.first().write(frame), "MTU plus the Ethernet header fits");
        }
    }

    @Test
    void tooSmallReadBufferDropsAndCounts() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tun().build())) {
            pair.first().write(udp(100));
            PacketTooLargeException e = assertThrows(PacketTooLargeException.class,
                    () -> pair.second().read(ByteBuffer.allocate(50)));
            assertTrue(e.getMessage().contains("128 bytes") && e.getMessage().contains("50"), e.getMessage());
            assertEquals(1, pair.secondCounters().rxDroppedTooLarge());
            assertEquals(0, pair.second().read(ByteBuffer.allocate(200), Duration.ZERO), "the packet was dropped");
        }
    }

    @Test
    void queuesAreConnectedIndexToIndex() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().queues(3).build(),
                DeviceConfig.tun().queues(3).build())) {
            byte[] p = udp(7);
            pair.first().queues().get(2).write(p);
            ByteBuffer dst = ByteBuffer.allocate(100);
            assertEquals(0, pair.second().queues().get(0).read(dst, Duration.ZERO));
            assertEquals(0, pair.second().queues().get(1).read(dst, Duration.ZERO));
            assertEquals(p.length, pair.second().queues().get(2).read(dst, Duration.ZERO));
            assertArrayEquals(p, java.util.Arrays.copyOf(dst.array(), p.length));
            pair.first().close();
            assertTrue(!pair.first().queues().get(2).isOpen(), "closing the device closes every queue");
        }
    }

    @Test
    void tunRefusesWhatIsNotIp() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tun().build())) {
            TunTapException e = assertThrows(TunTapException.class, () -> pair.first().write(new byte[] {0x10, 0}));
            assertEquals(0, e.errorCode(), "no operating system is involved, so no error code is invented");
            assertTrue(e.getMessage().contains("IP version 1"), e.getMessage());
            assertThrows(TunTapException.class, () -> pair.first().write(new byte[0]));
        }
    }

    @Test
    void configurationsMustMatchAndBeSupported() throws Exception {
        assertThrows(InvalidConfigurationException.class,
                () -> MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tap().build()));
        assertThrows(InvalidConfigurationException.class,
                () -> MemoryDevices.pair(DeviceConfig.tun().queues(2).build(), DeviceConfig.tun().build()));
        assertThrows(UnsupportedFeatureException.class,
                () -> MemoryDevices.pair(DeviceConfig.tun().persistent(true).build(), DeviceConfig.tun().build()));
    }

    @Test
    void namesAreGeneratedOrGivenAndUnique() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tap().build(), DeviceConfig.tap().name("peer9").build())) {
            assertTrue(pair.first().name().matches("memtap\\d+"), pair.first().name());
            assertEquals("peer9", pair.second().name());
            assertNotEquals(pair.first().index(), pair.second().index());
            DeviceBusyException e = assertThrows(DeviceBusyException.class, () -> MemoryDevices.pair(
                    DeviceConfig.tap().name("peer9").build(), DeviceConfig.tap().build()));
            assertTrue(e.getMessage().contains("peer9"), e.getMessage());
        }
        // Closed: the name is free again.
        MemoryDevices.pair(DeviceConfig.tap().name("peer9").build(), DeviceConfig.tap().build()).close();
    }

    @Test
    void tapMacComesFromConfigOrIsRandomLocal() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tap().macAddress(PacketsTest.MAC_A).build(),
                DeviceConfig.tap().build())) {
            assertEquals(PacketsTest.MAC_A, ((TapDevice) pair.first()).macAddress());
            assertTrue(((TapDevice) pair.second()).macAddress().isLocallyAdministered());
        }
    }
}
