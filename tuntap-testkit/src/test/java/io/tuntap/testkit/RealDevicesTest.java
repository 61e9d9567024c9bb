// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceEvent;
import io.tuntap.TunDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The test kit's helpers on the memory pair: unique names, reading until a packet, and the event queue. */
class RealDevicesTest {
    @Test
    void uniqueNamesFitLinuxAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String name = RealDevices.uniqueName("tt");
            assertTrue(name.startsWith("tt") && name.length() == 8 && name.chars().allMatch(Character::isLetterOrDigit),
                    name);
            assertTrue(seen.add(name), "repeated: " + name);
        }
        assertEquals(15, RealDevices.uniqueName("abcdefghi").length(), "the longest prefix still fits 15");
        assertThrows(IllegalArgumentException.class, () -> RealDevices.uniqueName("abcdefghij"));
        assertThrows(IllegalArgumentException.class, () -> RealDevices.uniqueName("t-t"));
    }

    @Test
    void readUntilSkipsOtherPacketsAndReturnsTheWantedOne() throws Exception {
        try (MemoryDevicePair<TunDevice> pair = MemoryDevices.tunPair()) {
            InetSocketAddress a = new InetSocketAddress(address("10.5.0.1"), 1000);
            InetSocketAddress b = new InetSocketAddress(address("10.5.0.2"), 2000);
            pair.second().write(Packets.udp(a, b, new byte[] {1}));
            pair.second().write(Packets.udp(a, new InetSocketAddress(b.getAddress(), 9), new byte[] {2, 3}));
            ByteBuffer got = RealDevices.readUntil(pair.first(), p -> Packets.parseUdp(p)
                    .filter(u -> u.destination().getPort() == 9).isPresent(), Duration.ofSeconds(2));
            assertArrayEquals(new byte[] {2, 3}, Packets.parseUdp(got).orElseThrow().payload());
            assertEquals(0, got.position());
        }
    }

    @Test
    void readUntilFailsWithWhatItSkipped() throws Exception {
        try (MemoryDevicePair<TunDevice> pair = MemoryDevices.tunPair()) {
            InetSocketAddress a = new InetSocketAddress(address("10.5.0.1"), 1000);
            InetSocketAddress b = new InetSocketAddress(address("10.5.0.2"), 2000);
            pair.second().write(Packets.udp(a, b, new byte[] {1}));
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> RealDevices.readUntil(pair.first(), p -> false, Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("skipped 1 packets: 29 bytes [45"), e.getMessage());
        }
    }

    @Test
    void eventQueueWaitsForTheEventPastOthers() throws Exception {
        try (MemoryDevicePair<TunDevice> pair = MemoryDevices.tunPair();
                EventQueue events = EventQueue.subscribe(pair.first())) {
            pair.first().setUp(false);
            pair.first().setMtu(1400);
            DeviceEvent.MtuChanged m = events.await(DeviceEvent.MtuChanged.class, e -> e.mtu() == 1400,
                    Duration.ofSeconds(2));
            assertEquals(1400, m.mtu());
            assertThrows(AssertionFailedError.class, () -> events.await(DeviceEvent.MtuChanged.class, e -> true,
                    Duration.ofMillis(100)), "no second MTU change came");
        }
    }

    private static java.net.InetAddress address(String literal) {
        return io.tuntap.IpPrefix.parse(literal).address();
    }
}
