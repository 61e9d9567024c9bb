// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceMode;
import io.tuntap.TunTapDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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
}
