// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tuntap.DeviceMode;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapDevice;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The device contract's cases for single packets both ways: addresses, buffers, positions, timeouts and buffers too
 * small. One of the themed classes that {@link TunTapDeviceContract} is made of; a backend's test extends {@link
 * TunTapDeviceContract} and so runs these with all the others. The harness (opening the device, the peer, the
 * addresses) is {@link ContractHarness}.
 */
public abstract class PacketContract extends LifecycleContract {
    /** For the next class in the contract. */
    protected PacketContract() {
    }

    /** An IPv4 UDP datagram written to the device reaches the peer with the exact payload. */
    @EachMode
    public void writtenIpv4DatagramReachesPeer(DeviceMode mode) throws Exception {
        writtenDatagramReachesPeer(mode, HOST_V4.address(), REMOTE_V4);
    }

    /** An IPv6 UDP datagram written to the device reaches the peer with the exact payload. */
    @EachMode
    public void writtenIpv6DatagramReachesPeer(DeviceMode mode) throws Exception {
        writtenDatagramReachesPeer(mode, HOST_V6.address(), REMOTE_V6);
    }

    private void writtenDatagramReachesPeer(DeviceMode mode, InetAddress host, InetAddress remote) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode);
                PeerSocket socket = dut.peer().bindUdp(new InetSocketAddress(host, HOST_PORT))) {
            byte[] payload = payload(300, 1);
            dut.device().write(packet(dut.device(), remote, host, payload));
            assertArrayEquals(payload, socket.receive(packetTimeout()), "the peer receives exactly the payload");
        }
    }

    /** A datagram the peer sends over IPv4 is read from the device with its payload and valid checksums. */
    @EachMode
    public void peerIpv4DatagramIsReadWithValidChecksums(DeviceMode mode) throws Exception {
        peerDatagramIsRead(mode, HOST_V4.address(), REMOTE_V4);
    }

    /** A datagram the peer sends over IPv6 is read from the device with its payload and a valid checksum. */
    @EachMode
    public void peerIpv6DatagramIsReadWithValidChecksums(DeviceMode mode) throws Exception {
        peerDatagramIsRead(mode, HOST_V6.address(), REMOTE_V6);
    }

    private void peerDatagramIsRead(DeviceMode mode, InetAddress host, InetAddress remote) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode);
                PeerSocket socket = dut.peer().bindUdp(new InetSocketAddress(host, HOST_PORT))) {
            byte[] payload = payload(500, 2);
            socket.send(new InetSocketAddress(remote, REMOTE_PORT), payload);
            Packets.Udp udp = readUdp(dut.device(), REMOTE_PORT);
            assertArrayEquals(payload, udp.payload());
            assertEquals(new InetSocketAddress(host, HOST_PORT), udp.source());
            assertEquals(new InetSocketAddress(remote, REMOTE_PORT), udp.destination());
        }
    }

    /** Direct buffers, heap buffers and arrays carry packets in both directions. */
    @EachMode
    public void directHeapAndArrayBuffersAllWork(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        InetSocketAddress remote = new InetSocketAddress(REMOTE_V4, REMOTE_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            byte[][] payloads = {payload(64, 3), payload(65, 4), payload(66, 5)};
            byte[] p0 = packet(d, REMOTE_V4, host.getAddress(), payloads[0]);
            ByteBuffer direct = ByteBuffer.allocateDirect(p0.length).put(p0).flip();
            assertEquals(p0.length, d.write(direct));
            byte[] p1 = packet(d, REMOTE_V4, host.getAddress(), payloads[1]);
            assertEquals(p1.length, d.write(ByteBuffer.wrap(p1)));
            byte[] p2 = packet(d, REMOTE_V4, host.getAddress(), payloads[2]);
            byte[] padded = new byte[p2.length + 10];
            System.arraycopy(p2, 0, padded, 4, p2.length);
            assertEquals(p2.length, d.write(padded, 4, p2.length));
            for (byte[] p : payloads) {
                assertArrayEquals(p, socket.receive(packetTimeout()));
            }

            socket.send(remote, payloads[0]);
            ByteBuffer directIn = ByteBuffer.allocateDirect(MAX_PACKET);
            readMatching(d, directIn, REMOTE_PORT, d::read);
            assertArrayEquals(payloads[0], ContractTraffic.udpOf(d, directIn.flip()).payload());
            socket.send(remote, payloads[1]);
            ByteBuffer heapIn = ByteBuffer.allocate(MAX_PACKET);
            readMatching(d, heapIn, REMOTE_PORT, d::read);
            assertArrayEquals(payloads[1], ContractTraffic.udpOf(d, heapIn.flip()).payload());
            socket.send(remote, payloads[2]);
            byte[] array = new byte[MAX_PACKET];
            ByteBuffer arrayIn = ByteBuffer.allocate(MAX_PACKET);
            readMatching(d, arrayIn, REMOTE_PORT, (dst, timeout) -> {
                int n = d.read(array); // blocks: the whole test runs under a timeout
                dst.put(array, 0, n);
                return n;
            });
            assertArrayEquals(payloads[2], ContractTraffic.udpOf(d, arrayIn.flip()).payload());
        }
    }

    /** A write sends position to limit and moves the position to the limit; a read fills from the position. */
    @EachMode
    public void readAndWriteRespectPositionAndLimit(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            byte[] payload = payload(100, 6);
            byte[] p = packet(d, REMOTE_V4, host.getAddress(), payload);
            ByteBuffer out = ByteBuffer.allocate(p.length + 8);
            out.position(5);
            out.put(p).put((byte) 1).put((byte) 2).put((byte) 3);
            out.position(5).limit(5 + p.length);
            assertEquals(p.length, d.write(out));
            assertEquals(5 + p.length, out.position(), "the position moved to the limit");
            assertEquals(5 + p.length, out.limit(), "the limit is unchanged");
            assertArrayEquals(payload, socket.receive(packetTimeout()), "bytes past the limit were not sent");

            socket.send(new InetSocketAddress(REMOTE_V4, REMOTE_PORT), payload);
            ByteBuffer in = ByteBuffer.allocate(MAX_PACKET + 7);
            for (int i = 0; i < 7; i++) {
                in.put((byte) 0x55);
            }
            int n = readMatching(d, in, REMOTE_PORT, d::read);
            assertEquals(7 + n, in.position(), "the position advanced by the packet's length");
            assertEquals(in.capacity(), in.limit(), "the limit is unchanged");
            for (int i = 0; i < 7; i++) {
                assertEquals((byte) 0x55, in.get(i), "bytes before the position are untouched");
            }
            assertArrayEquals(payload, ContractTraffic.udpOf(d, in.flip().position(7)).payload());
        }
    }

    /** A timed read returns 0, leaving the buffer alone, when no packet comes. */
    @EachMode
    public void timedReadReturnsZeroWhenIdle(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
            // A real kernel may send unrelated packets early on (router solicitations, MLD): tolerate a few.
            for (int attempt = 0; attempt < MAX_UNRELATED_PACKETS; attempt++) {
                dst.clear();
                long start = System.nanoTime();
                int n = dut.device().read(dst, Duration.ofMillis(50));
                if (n == 0) {
                    assertEquals(0, dst.position(), "a timed-out read leaves the position alone");
                    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40),
                            "the read waited about the timeout");
                    assertEquals(0, dut.device().read(dst, Duration.ZERO), "a zero timeout polls");
                    return;
                }
            }
            fail("read(dst, 50 ms) never returned 0: the device kept delivering packets");
        }
    }

    /** A buffer too small for the packet gives PacketTooLargeException with the sizes; the next read works. */
    @EachMode
    public void tooSmallBufferThrowsAndNextReadWorks(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        InetSocketAddress remote = new InetSocketAddress(REMOTE_V4, REMOTE_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            // First a whole exchange, so that a TAP device's ARP is settled before the small read.
            socket.send(remote, payload(10, 8));
            readUdp(d, REMOTE_PORT);

            socket.send(remote, payload(200, 9));
            ByteBuffer small = ByteBuffer.allocate(20);
            // IPv4 + UDP headers around the payload, plus Ethernet on TAP. A real kernel may slip its own
            // packets (IPv6 router solicitations, MLD reports) in first; they are too large as well.
            int expected = 20 + 8 + 200 + (mode == DeviceMode.TAP ? 14 : 0);
            PacketTooLargeException e = null;
            for (int i = 0; i < MAX_UNRELATED_PACKETS && (e == null || e.packetLength() != expected); i++) {
                e = assertTimeoutPreemptively(packetTimeout(),
                        () -> assertThrows(PacketTooLargeException.class, () -> d.read(small)));
                assertEquals(20, e.bufferCapacity());
                assertEquals(0, small.position(), "nothing is copied into a buffer that is too small");
            }
            assertEquals(expected, e.packetLength(), "the packet length is reported");

            byte[] next = payload(30, 10);
            socket.send(remote, next);
            assertArrayEquals(next, readUdp(d, REMOTE_PORT).payload(), "the next packet is read whole");
        }
    }
}
