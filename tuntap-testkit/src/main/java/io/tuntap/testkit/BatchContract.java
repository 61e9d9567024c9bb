// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tuntap.DeviceMode;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The device contract's cases for batches: {@link TunTapDevice#readPackets} and {@link TunTapDevice#writePackets}. One
 * of the themed classes that {@link TunTapDeviceContract} is made of; a backend's test extends {@link
 * TunTapDeviceContract} and so runs these with all the others. The harness (opening the device, the peer, the
 * addresses) is {@link ContractHarness}.
 */
public abstract class BatchContract extends PacketContract {
    /** For the next class in the contract. */
    protected BatchContract() {
    }

    /** writePackets sends every buffer as one packet, in order. */
    @EachMode
    public void writePacketsSendsEveryBuffer(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            int count = 8;
            byte[][] payloads = new byte[count][];
            ByteBuffer[] srcs = new ByteBuffer[count + 1];
            for (int i = 0; i < count; i++) {
                payloads[i] = payload(20 + i, 20 + i);
                srcs[i] = ByteBuffer.wrap(packet(d, REMOTE_V4, host.getAddress(), payloads[i]));
            }
            srcs[count] = ByteBuffer.allocate(0); // beyond count: must not be sent
            assertEquals(count, d.writePackets(srcs, count));
            for (int i = 0; i < count; i++) {
                assertFalse(srcs[i].hasRemaining(), "buffer " + i + " consumed");
                assertArrayEquals(payloads[i], socket.receive(packetTimeout()), "datagram " + i);
            }
        }
    }

    /** readPackets fills buffers from their positions with waiting packets, in order. */
    @EachMode
    public void readPacketsReadsWaitingPackets(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        InetSocketAddress remote = new InetSocketAddress(REMOTE_V4, REMOTE_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            socket.send(remote, payload(10, 30));
            readUdp(d, REMOTE_PORT); // settles a TAP device's ARP first
            int count = 8;
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(payload(30 + i, 31 + i));
                socket.send(remote, sent.get(i));
            }
            List<byte[]> got = new ArrayList<>();
            ByteBuffer[] dsts = new ByteBuffer[count];
            EchoResponder responder = ContractTraffic.remoteResponder(mode);
            ByteBuffer reply = ByteBuffer.allocate(MAX_PACKET + 64);
            assertTimeoutPreemptively(packetTimeout(), () -> {
                while (got.size() < count) {
                    for (int i = 0; i < count; i++) {
                        dsts[i] = ByteBuffer.allocate(MAX_PACKET + 3).position(3); // 3 bytes of headroom
                    }
                    int n = d.readPackets(dsts, count);
                    assertTrue(n >= 1 && n <= count, "readPackets returned " + n);
                    for (int i = 0; i < count; i++) {
                        if (i >= n) {
                            assertEquals(3, dsts[i].position(), "buffer " + i + " past the count is untouched");
                            continue;
                        }
                        ByteBuffer packet = dsts[i].flip().position(3);
                        if (ContractTraffic.answered(d, responder, packet, reply)) {
                            continue;
                        }
                        Packets.Udp udp = ContractTraffic.udpOrNull(d, packet);
                        if (udp != null && udp.destination().getPort() == REMOTE_PORT) {
                            got.add(udp.payload());
                        }
                    }
                }
            });
            for (int i = 0; i < count; i++) {
                assertArrayEquals(sent.get(i), got.get(i), "datagram " + i);
            }
        }
    }

    /**
     * A packet after the first that does not fit its buffer ends the batch: readPackets returns the packets read
     * before it, and the next call throws PacketTooLargeException for it (the packet is dropped); reads go on.
     */
    @EachMode
    public void readPacketsReportsAMidBatchPacketTooLargeOnTheNextCall(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        InetSocketAddress remote = new InetSocketAddress(REMOTE_V4, REMOTE_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            socket.send(remote, payload(10, 40));
            readUdp(d, REMOTE_PORT); // settles a TAP device's ARP first
            byte[] small = payload(8, 41);
            byte[] large = payload(1000, 42);
            int largeLength = 20 + 8 + large.length + (mode == DeviceMode.TAP ? Frames.ETHERNET_HEADER_LENGTH : 0);
            // Room for any small packet (the test's, a kernel's router solicitation or MLD report), not the large.
            int smallRoom = 300;
            int count = 8;
            ByteBuffer[] dsts = new ByteBuffer[count];
            dsts[0] = ByteBuffer.allocateDirect(MAX_PACKET);
            for (int i = 1; i < count; i++) {
                dsts[i] = ByteBuffer.allocateDirect(smallRoom);
            }
            EchoResponder responder = ContractTraffic.remoteResponder(mode);
            ByteBuffer reply = ByteBuffer.allocate(MAX_PACKET + 64);
            for (int attempt = 0; attempt < 3; attempt++) {
                socket.send(remote, small);
                socket.send(remote, large);
                boolean smallRead = false;
                boolean largeReadWhole = false;
                PacketTooLargeException thrown = null;
                long deadline = System.nanoTime() + packetTimeout().toNanos();
                while (thrown == null && !largeReadWhole) {
                    assertTrue(System.nanoTime() < deadline, "neither the small nor the large datagram came within "
                            + packetTimeout());
                    for (ByteBuffer dst : dsts) {
                        dst.clear();
                    }
                    int n;
                    try {
                        n = assertTimeoutPreemptively(packetTimeout(), () -> d.readPackets(dsts, count));
                    } catch (Exception e) { // rethrown as it came from the call, under the timeout
                        thrown = assertInstanceOf(PacketTooLargeException.class, e);
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        ByteBuffer packet = dsts[i].flip();
                        if (ContractTraffic.answered(d, responder, packet, reply)) {
                            continue;
                        }
                        Packets.Udp udp = ContractTraffic.udpOrNull(d, packet);
                        if (udp != null && udp.destination().getPort() == REMOTE_PORT) {
                            smallRead |= Arrays.equals(small, udp.payload());
                            largeReadWhole |= Arrays.equals(large, udp.payload());
                        }
                    }
                }
                if (largeReadWhole) {
                    continue; // the large datagram came first in a call, into the large buffer: try again
                }
                assertTrue(smallRead, "the small datagram, read in the same call just before the large one, was "
                        + "returned before the large one's exception (not lost with it)");
                assertEquals(largeLength, thrown.packetLength(), "the exception is the large datagram's");
                assertEquals(smallRoom, thrown.bufferCapacity());
                byte[] next = payload(30, 43);
                socket.send(remote, next);
                assertArrayEquals(next, readUdp(d, REMOTE_PORT).payload(), "reads go on after the exception");
                return;
            }
            fail("three times the large datagram came first in a call, never after the small one in the same call");
        }
    }
}
