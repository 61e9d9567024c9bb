// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.EchoResponder;
import io.tuntap.testkit.MemoryDevicePair;
import io.tuntap.testkit.MemoryDevices;
import io.tuntap.testkit.Packets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The echo loop on an in-memory device: answers, logs a line per answer, and returns when the device closes. */
class EchoCommandTest {

    @Test
    void answersPingsAndLogsEach() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tun().build())) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            EchoResponder responder = EchoResponder.forTun();
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread server = new Thread(() -> {
                try {
                    EchoCommand.serve((TunDevice) pair.second(), responder,
                            new PrintStream(log, true, StandardCharsets.UTF_8));
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            server.start();

            Inet4Address a4 = (Inet4Address) InetAddress.getByName("10.0.0.1");
            Inet4Address b4 = (Inet4Address) InetAddress.getByName("10.0.0.2");
            pair.first().write(Packets.icmpv4EchoRequest(a4, b4, 5, 1, new byte[] {9, 9}));
            assertArrayEquals(Packets.icmpv4EchoReply(b4, a4, 5, 1, new byte[] {9, 9}), read(pair));

            Inet6Address a6 = (Inet6Address) InetAddress.getByName("fd00::1");
            Inet6Address b6 = (Inet6Address) InetAddress.getByName("fd00::2");
            pair.first().write(Packets.icmpv6EchoRequest(a6, b6, 6, 2, new byte[] {7}));
            assertArrayEquals(Packets.icmpv6EchoReply(b6, a6, 6, 2, new byte[] {7}), read(pair));

            pair.second().close();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> server.join());
            assertEquals(null, failure.get());
            assertEquals(2, responder.echoRepliesSent());
            String text = log.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("ICMP echo 10.0.0.1 -> 10.0.0.2 id 5 seq 1"), text);
            assertTrue(text.contains("ICMPv6 echo fd00::1 -> fd00::2 id 6 seq 2"), text);
        }
    }

    private static byte[] read(MemoryDevicePair<TunTapDevice> pair) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        int n = pair.first().read(buffer, Duration.ofSeconds(5));
        assertTrue(n > 0, "no reply within 5 s");
        return Arrays.copyOf(buffer.array(), n);
    }
}
