// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.tuntap.DeviceConfig;
import io.tuntap.TunDevice;
import io.tuntap.testkit.Packets;
import io.tuntap.testkit.RealDevices;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The test kit's README example, run as written (the documentation check keeps the two the same). */
@Tag("privileged") // this project's tag for tests on real devices; not needed in yours
// example: begin
@RequiresRealDevice
class TestKitExampleIT {
    @Test
    void aDatagramToTheFarEndComesOutOfTheDevice(TestNetwork net) throws Exception {
        TunDevice tun = net.openTun(DeviceConfig.tun().address("10.123.0.1/24").build());
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        net.run(() -> { // a socket made here belongs to the test's own network
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("10.123.0.1", 0))) {
                socket.send(new DatagramPacket(hello, hello.length, new InetSocketAddress("10.123.0.2", 9)));
            }
            return null;
        });
        // The kernel may send packets of its own first (IPv6 router solicitations, say): skip them.
        ByteBuffer packet = RealDevices.readUntil(tun, p -> Packets.parseUdp(p)
                .filter(udp -> udp.destination().getPort() == 9).isPresent(), Duration.ofSeconds(5));
        assertArrayEquals(hello, Packets.parseUdp(packet).orElseThrow().payload());
    }
}
