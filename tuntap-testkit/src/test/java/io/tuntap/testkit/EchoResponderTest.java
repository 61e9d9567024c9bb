// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static io.tuntap.testkit.PacketsTest.A4;
import static io.tuntap.testkit.PacketsTest.A6;
import static io.tuntap.testkit.PacketsTest.B4;
import static io.tuntap.testkit.PacketsTest.B6;
import static io.tuntap.testkit.PacketsTest.MAC_A;
import static io.tuntap.testkit.PacketsTest.MAC_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.TunTapDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EchoResponderTest {
    private final EchoResponder tun = EchoResponder.forTun();
    private final EchoResponder tap = EchoResponder.forTap(MAC_B, List.of(B4, B6));

    private static ByteBuffer answer(EchoResponder r, byte[] request) {
        ByteBuffer in = ByteBuffer.wrap(request);
        ByteBuffer out = ByteBuffer.allocate(request.length + 64);
        int n = r.respond(in, out);
        assertEquals(0, in.position(), "the request's position is unchanged");
        assertEquals(n, out.position(), "the reply's position advanced by its length");
        return out.flip();
    }

    @Test
    void answersIpv4EchoKeepingIdSequenceAndData() {
        byte[] data = {1, 2, 3, 4, 5};
        ByteBuffer reply = answer(tun, Packets.icmpv4EchoRequest(A4, B4, 0x1234, 7, data));
        assertArrayEquals(Packets.icmpv4EchoReply(B4, A4, 0x1234, 7, data), toArray(reply),
                "exactly the reply a host sends: swapped addresses, type 0, fresh checksums");
        assertEquals(1, tun.echoRepliesSent());
        assertEquals(1, tun.requestsAnswered());
    }

    @Test
    void answersIpv6EchoWithPseudoHeaderChecksum() {
        byte[] data = new byte[56];
        ByteBuffer reply = answer(tun, Packets.icmpv6EchoRequest(A6, B6, 9, 65535, data));
        assertTrue(Packets.isTransportChecksumValid(reply));
        assertEquals(new Packets.Echo(6, Packets.ICMPV6_ECHO_REPLY, 9, 65535, data), Packets.parseEcho(reply).orElseThrow());
        assertEquals(B6, Packets.sourceAddress(reply));
        assertEquals(A6, Packets.destinationAddress(reply));
    }

    @Test
    void answersEchoInAnEthernetFrameToItsMac() {
        byte[] request = Frames.ethernet(MAC_B, MAC_A, Packets.icmpv4EchoRequest(A4, v4("192.0.2.9"), 1, 2, new byte[3]));
        ByteBuffer reply = answer(tap, request);
        assertEquals(MAC_A, Frames.ethernetDestination(reply));
        assertEquals(MAC_B, Frames.ethernetSource(reply));
        ByteBuffer ip = Frames.ethernetPayload(reply);
        assertTrue(Packets.isIpv4HeaderChecksumValid(ip));
        assertTrue(Packets.isTransportChecksumValid(ip));
        assertEquals(v4("192.0.2.9"), Packets.sourceAddress(ip));
        byte[] notForUs = Frames.ethernet(MAC_A, MAC_A, Packets.icmpv4EchoRequest(A4, B4, 1, 2, new byte[3]));
        assertEquals(0, answer(tap, notForUs).remaining(), "a frame for another MAC is not ours to answer");
    }

    @Test
    void answersArpForOwnedAddressesOnly() {
        ByteBuffer reply = answer(tap, Frames.arpRequest(MAC_A, A4, B4));
        assertArrayEquals(Frames.arpReply(MAC_B, B4, MAC_A, A4), toArray(reply));
        assertEquals(1, tap.arpRepliesSent());
        assertEquals(0, answer(tap, Frames.arpRequest(MAC_A, A4, v4("10.0.0.3"))).remaining());
        assertEquals(0, answer(tap, Frames.arpReply(MAC_A, A4, MAC_B, B4)).remaining(), "replies are not answered");
    }

    @Test
    void answersNeighborSolicitationWithSolicitedAdvertisement() {
        ByteBuffer reply = answer(tap, Frames.neighborSolicitation(MAC_A, A6, B6));
        assertArrayEquals(Frames.neighborAdvertisement(MAC_B, B6, MAC_A, A6, B6, true), toArray(reply));
        assertEquals(1, tap.neighborAdvertisementsSent());
        assertEquals(0, answer(tap, Frames.neighborSolicitation(MAC_A, A6, PacketsTest.v6("fd00::3"))).remaining());
    }

    @Test
    void answersDuplicateAddressDetectionToAllNodes() {
        ByteBuffer reply = answer(tap, Frames.neighborSolicitation(MAC_A, PacketsTest.v6("::"), B6));
        Frames.Neighbor na = Frames.parseNeighbor(reply, true).orElseThrow();
        assertEquals(PacketsTest.v6("ff02::1"), na.destination());
        assertFalse(na.solicited(), "an answer to DAD is unsolicited (RFC 4861 section 7.2.4)");
        assertTrue(Packets.isTransportChecksumValid(Frames.ethernetPayload(reply)));
    }

    @Test
    void ignoresWhatIsNotAnEchoRequest() {
        assertEquals(0, answer(tun, Packets.icmpv4EchoReply(A4, B4, 1, 1, new byte[0])).remaining());
        assertEquals(0, answer(tun, Packets.udp(new InetSocketAddress(A4, 1), new InetSocketAddress(B4, 2),
                new byte[10])).remaining());
        assertEquals(0, answer(tun, Packets.icmpv4EchoRequest(A4, v4("224.0.0.1"), 1, 1, new byte[0])).remaining(),
                "multicast destinations are not answered");
        byte[] bad = Packets.icmpv6EchoRequest(A6, B6, 1, 1, new byte[4]);
        bad[bad.length - 1] ^= 1;
        assertEquals(0, answer(tun, bad).remaining(), "a bad checksum is not answered");
        assertEquals(0, tun.requestsAnswered());
    }

    @Test
    void ignoresTruncatedAndGarbageInputWithoutThrowing() {
        byte[] good = Packets.icmpv4EchoRequest(A4, B4, 1, 1, new byte[20]);
        for (int len = 0; len < good.length; len++) {
            assertEquals(0, tun.respond(ByteBuffer.wrap(good, 0, len), ByteBuffer.allocate(200)), "cut at " + len);
        }
        Random random = new Random(1);
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[random.nextInt(120)];
            random.nextBytes(junk);
            if (junk.length > 14 && i % 2 == 0) {
                junk[12] = (byte) (i % 4 == 0 ? 0x08 : 0x86);
                junk[13] = (byte) (i % 4 == 0 ? 0x06 : 0xdd);
            }
            tun.respond(ByteBuffer.wrap(junk), ByteBuffer.allocate(256));
            tap.respond(ByteBuffer.wrap(junk), ByteBuffer.allocate(256));
        }
    }

    @Test
    void tooSmallReplyBufferIsRefused() {
        byte[] request = Packets.icmpv4EchoRequest(A4, B4, 1, 1, new byte[20]);
        assertThrows(IllegalArgumentException.class, () -> tun.respond(ByteBuffer.wrap(request), ByteBuffer.allocate(10)));
    }

    @Test
    void tapNeedsAUnicastMac() {
        assertThrows(IllegalArgumentException.class,
                () -> EchoResponder.forTap(Frames.BROADCAST_MAC, List.of(B4)));
    }

    @Test
    void servesPingsOnAChannelUntilItCloses() throws Exception {
        try (MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(DeviceConfig.tun().build(), DeviceConfig.tun().build())) {
            TunTapDevice host = pair.second();
            Thread server = new Thread(() -> {
                try {
                    tun.serve(host);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            server.start();
            byte[] data = {9, 8, 7};
            pair.first().write(Packets.icmpv4EchoRequest(A4, B4, 5, 6, data));
            ByteBuffer in = ByteBuffer.allocate(2000);
            assertTrue(pair.first().read(in, Duration.ofSeconds(5)) > 0);
            assertEquals(new Packets.Echo(4, Packets.ICMPV4_ECHO_REPLY, 5, 6, data),
                    Packets.parseEcho(in.flip()).orElseThrow());
            host.close();
            server.join(2000);
            assertFalse(server.isAlive(), "serve returns once its channel is closed");
        }
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static java.net.Inet4Address v4(String s) {
        return PacketsTest.v4(s);
    }
}
