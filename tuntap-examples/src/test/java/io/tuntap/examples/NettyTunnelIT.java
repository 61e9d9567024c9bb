// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tuntap.DeviceConfig;
import io.tuntap.TunDevice;
import io.tuntap.testkit.RealDevices;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Netty tunnel between two network namespaces: each end's device in a namespace of its own, both tunnel
 * sockets on the loopback of the first. A ping and a UDP datagram from the first namespace reach the second's
 * address through the two TunTapChannels and the UDP pipeline between them, and the answers come back.
 */
@Tag("privileged")
@RequiresRealDevice(programs = "ping")
class NettyTunnelIT {
    private static final InetSocketAddress END_A = new InetSocketAddress("127.0.0.1", 47001);
    private static final InetSocketAddress END_B = new InetSocketAddress("127.0.0.1", 47002);

    @Test
    void pingAndUdpCrossTheTunnel(TestNetwork a) throws Exception {
        try (TestNetwork b = TestNetwork.create()) {
            TunDevice tunA = a.openTun(DeviceConfig.tun().name(RealDevices.uniqueName("na"))
                    .address("10.79.0.1/24").build());
            TunDevice tunB = b.openTun(DeviceConfig.tun().name(RealDevices.uniqueName("nb"))
                    .address("10.79.0.2/24").build());
            NettyTunnel one = a.run(() -> NettyTunnel.start(tunA, END_A, END_B));
            try {
                NettyTunnel two = a.run(() -> NettyTunnel.start(tunB, END_B, END_A));
                try {
                    TestNetwork.Result ping = a.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", "10.79.0.2");
                    assertEquals(0, ping.exitCode(), ping.output());

                    byte[] hello = "through netty".getBytes(StandardCharsets.US_ASCII);
                    try (DatagramSocket receiver = b.run(() -> new DatagramSocket(new InetSocketAddress("10.79.0.2",
                            47010)))) {
                        receiver.setSoTimeout(20_000);
                        a.run(() -> {
                            try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress("10.79.0.1", 0))) {
                                sender.send(new DatagramPacket(hello, hello.length, receiver.getLocalSocketAddress()));
                            }
                            return null;
                        });
                        DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
                        receiver.receive(got);
                        assertArrayEquals(hello, Arrays.copyOf(got.getData(), got.getLength()));
                        assertEquals(new InetSocketAddress("10.79.0.1", 0).getAddress(), got.getAddress());
                    }
                    assertNull(one.failure());
                    assertNull(two.failure());
                } finally {
                    two.close();
                }
            } finally {
                one.close();
            }
        }
    }
}
