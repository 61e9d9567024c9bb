// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tuntap.DeviceConfig;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.testkit.Packets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 4-byte address-family header of BSD and macOS tun devices: added on write from the version nibble,
 * with each OS's AF_INET6, in the same call as the packet; stripped on read; other families and runts
 * dropped; short buffers reported with the packet's length.
 */
class FramingTest {

    static FakeKernel[] kernels() {
        return Fakes.all();
    }

    private static BsdTunTapDevice tun(FakeKernel k) throws Exception {
        return Fakes.open(k, DeviceConfig.tun().address("10.7.0.1/24").address("fd07::1/64").up(true).build());
    }

    private static byte[] ipv4() throws Exception {
        return Packets.udp(new InetSocketAddress("10.7.0.2", 5000), new InetSocketAddress("10.7.0.1", 6000),
                new byte[] {1, 2, 3});
    }

    private static byte[] ipv6() throws Exception {
        return Packets.udp(new InetSocketAddress("fd07::2", 5000), new InetSocketAddress("fd07::1", 6000),
                new byte[] {4, 5, 6, 7});
    }

    private static String hex(byte[] b, int n) {
        return HexFormat.of().formatHex(Arrays.copyOf(b, n));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void writeAddsTheFamilyHeaderInTheSameCall(FakeKernel k) throws Exception {
        try (BsdTunTapDevice d = tun(k)) {
            int writesBefore = k.calls.getOrDefault("write", 0);
            byte[] v4 = ipv4();
            d.write(ByteBuffer.allocateDirect(v4.length).put(v4).flip());
            assertEquals(writesBefore + 1, k.calls.get("write"), "header and packet in one writev");
            assertEquals("00000002", hex(k.get(d.name()).lastWrite, 4));
            assertArrayEquals(v4, Arrays.copyOfRange(k.get(d.name()).lastWrite, 4, 4 + v4.length));

            byte[] v6 = ipv6();
            d.write(v6);
            String af6 = String.format("%08x", k.afInet6());
            assertEquals(af6, hex(k.get(d.name()).lastWrite, 4), k.abi + " AF_INET6");
            ByteBuffer out = ByteBuffer.allocate(100);
            assertEquals(v4.length, k.host(d.name()).read(out, Duration.ofSeconds(1)));
            out.clear();
            assertEquals(v6.length, k.host(d.name()).read(out, Duration.ofSeconds(1)), "IPv6 passes");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void writeOfAnotherVersionIsRefusedBeforeTheKernel(FakeKernel k) throws Exception {
        try (BsdTunTapDevice d = tun(k)) {
            byte[] bogus = ipv4();
            bogus[0] = 0x55;
            k.get(d.name()).lastWrite = null;
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> d.write(bogus));
            assertEquals(true, e.getMessage().contains("IP version 5"), e.getMessage());
            assertNull(k.get(d.name()).lastWrite, "nothing reached the kernel");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void readStripsTheHeaderAndDropsOtherFamiliesAndRunts(FakeKernel k) throws Exception {
        try (BsdTunTapDevice d = tun(k)) {
            byte[] v6 = ipv6();
            k.deliverRaw(d.name(), FakeKernel.withHeader(99, ipv4())); // AF 99: not for the user
            k.deliverRaw(d.name(), new byte[] {0, 0}); // shorter than the header
            k.deliverRaw(d.name(), FakeKernel.withHeader(k.afInet6(), v6));
            ByteBuffer dst = ByteBuffer.allocateDirect(2000);
            assertEquals(v6.length, d.read(dst, Duration.ofSeconds(1)));
            byte[] got = new byte[v6.length];
            dst.flip().get(got);
            assertArrayEquals(v6, got, "the packet without its header, in place");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void shortBuffersReportTheWholeLength(FakeKernel k) throws Exception {
        try (BsdTunTapDevice d = tun(k)) {
            byte[] v4 = ipv4();
            for (ByteBuffer small : new ByteBuffer[] {ByteBuffer.allocateDirect(v4.length - 1),
                    ByteBuffer.allocate(v4.length - 1)}) {
                k.deliverRaw(d.name(), FakeKernel.withHeader(BsdAbi.AF_INET, v4));
                PacketTooLargeException e = assertThrows(PacketTooLargeException.class,
                        () -> d.read(small, Duration.ofSeconds(1)));
                assertEquals(v4.length, e.packetLength(), small.isDirect() ? "direct" : "heap");
                assertEquals(v4.length - 1, e.bufferCapacity());
                assertEquals(0, small.position());
            }
            ByteBuffer exact = ByteBuffer.allocateDirect(v4.length);
            k.deliverRaw(d.name(), FakeKernel.withHeader(BsdAbi.AF_INET, v4));
            assertEquals(v4.length, d.read(exact, Duration.ofSeconds(1)), "a buffer of exactly the size fits");
        }
    }

    @org.junit.jupiter.api.Test
    void familyFromTheVersionNibble() {
        assertEquals(2, AfHeader.familyOf(0x45, BsdAbi.DARWIN));
        assertEquals(30, AfHeader.familyOf(0x60, BsdAbi.DARWIN));
        assertEquals(28, AfHeader.familyOf(0x6f, BsdAbi.FREEBSD));
        assertEquals(24, AfHeader.familyOf(0x60, BsdAbi.OPENBSD));
        assertEquals(-1, AfHeader.familyOf(0x00, BsdAbi.NETBSD));
        ByteBuffer b = ByteBuffer.allocate(8);
        AfHeader.put(b, 2, 0x1e);
        assertEquals("00000000001e0000", HexFormat.of().formatHex(b.array()), "big-endian at the offset");
        assertEquals(30, AfHeader.get(b, 2));
    }
}
