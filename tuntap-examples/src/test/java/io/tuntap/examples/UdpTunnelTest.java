// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.MemoryDevicePair;
import io.tuntap.testkit.MemoryDevices;
import io.tuntap.testkit.Packets;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tunnels back to back over loopback UDP, each on an in-memory device: what one side's "kernel" writes comes
 * out of the other side's, unchanged, and the wire format is one bare packet per datagram. Needs no privileges.
 */
class UdpTunnelTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private MemoryDevicePair<TunTapDevice> pairA;
    private MemoryDevicePair<TunTapDevice> pairB;
    private UdpTunnel tunnelA;
    private UdpTunnel tunnelB;

    @BeforeEach
    void setUp() throws Exception {
        pairA = MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tun().build());
        pairB = MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tun().build());
        DatagramChannel socketA = loopbackSocket();
        DatagramChannel socketB = loopbackSocket();
        socketA.connect(socketB.getLocalAddress());
        socketB.connect(socketA.getLocalAddress());
        tunnelA = UdpTunnel.start("a", pairA.second(), socketA);
        tunnelB = UdpTunnel.start("b", pairB.second(), socketB);
    }

    @AfterEach
    void tearDown() {
        if (tunnelA != null) {
            tunnelA.close();
        }
        if (tunnelB != null) {
            tunnelB.close();
        }
        pairA.close();
        pairB.close();
    }

    private static DatagramChannel loopbackSocket() throws Exception {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return ch;
    }

    private static byte[] ping(int seq) throws Exception {
        return Packets.icmpv4EchoRequest((Inet4Address) InetAddress.getByName("10.0.0.1"),
                (Inet4Address) InetAddress.getByName("10.0.0.2"), 7, seq, new byte[] {1, 2, 3, (byte) seq});
    }

    private static byte[] readFrom(TunTapDevice device) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        int n = device.read(buffer, WAIT);
        assertTrue(n > 0, "no packet arrived within " + WAIT);
        return Arrays.copyOf(buffer.array(), n);
    }

    private static void awaitCount(long expected, java.util.function.LongSupplier counter) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (counter.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(expected, counter.getAsLong());
    }

    @Test
    void packetsCrossInBothDirectionsUnchanged() throws Exception {
        TunTapDevice kernelA = pairA.first();
        TunTapDevice kernelB = pairB.first();
        for (int seq = 1; seq <= 3; seq++) {
            byte[] request = ping(seq);
            kernelA.write(request);
            assertArrayEquals(request, readFrom(kernelB));
            byte[] reply = ping(100 + seq);
            kernelB.write(reply);
            assertArrayEquals(reply, readFrom(kernelA));
        }
        // A tunnel thread counts a packet after handing it on, so the count may trail the packet a little.
        awaitCount(3, tunnelA::packetsSent);
        awaitCount(3, tunnelA::packetsReceived);
        awaitCount(3, tunnelB::packetsSent);
        awaitCount(3, tunnelB::packetsReceived);
        assertEquals(3L * ping(1).length, tunnelA.bytesSent());
        assertEquals(0, tunnelA.dropped());
    }

    @Test
    void closeStopsBothThreadsPromptlyAndIsIdempotent() {
        assertTrue(tunnelA.isRunning());
        assertTimeoutPreemptively(WAIT, () -> {
            tunnelA.close();
            tunnelA.close();
        });
        assertFalse(tunnelA.isRunning());
        assertFalse(pairA.second().isOpen(), "the tunnel owns and closes its device");
        assertNull(tunnelA.failure(), "a close is not a failure");
    }

    @Test
    void closingTheDeviceStopsTheTunnel() throws Exception {
        pairB.second().close();
        assertTimeoutPreemptively(WAIT, tunnelB::await);
        assertFalse(tunnelB.isRunning());
    }

    @Test
    void theWireFormatIsOneBarePacketPerDatagram() throws Exception {
        // Replace side B by a plain socket, as socat would be: it must see the packet bytes and nothing else.
        tunnelB.close();
        tunnelB = null;
        try (DatagramChannel peer = loopbackSocket()) {
            DatagramChannel socket = DatagramChannel.open(StandardProtocolFamily.INET);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.connect(peer.getLocalAddress());
            peer.connect(socket.getLocalAddress());
            MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tun().build());
            try (UdpTunnel tunnel = UdpTunnel.start("c", pair.second(), socket)) {
                byte[] request = ping(9);
                pair.first().write(request);
                ByteBuffer datagram = ByteBuffer.allocate(2048);
                assertTimeoutPreemptively(WAIT, () -> peer.read(datagram));
                assertArrayEquals(request, Arrays.copyOf(datagram.array(), datagram.position()));

                byte[] reply = ping(10);
                peer.write(ByteBuffer.wrap(reply));
                assertArrayEquals(reply, readFrom(pair.first()));
                // The tunnel counts a datagram after send returns, which may be after the peer has read it.
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (tunnel.bytesSent() < request.length && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertEquals(request.length, tunnel.bytesSent(), "the datagram is the packet, with no header");
            } finally {
                pair.close();
            }
        }
    }
}
