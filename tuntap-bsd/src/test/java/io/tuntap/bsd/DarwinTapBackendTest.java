// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * macOS TAP through a feth pair and BPF, against the macOS fake kernel, whose feth and BPF handlers follow
 * apple-oss-distributions/xnu tag xnu-11417.101.15 (commit e3723e1f) {@code bsd/net/if_fake.c} and
 * {@code bsd/net/bpf.c}.
 */
class DarwinTapBackendTest {

    private static byte[] frame(int length, int tag) {
        byte[] f = new byte[length];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff; // broadcast destination
        }
        f[6] = 0x02;
        f[11] = (byte) tag; // source 02:00:00:00:00:tag
        f[12] = 0x08; // EtherType IPv4
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (i + tag);
        }
        return f;
    }

    private static FakeDarwin.BpfFd bpf(FakeDarwin k) {
        assertEquals(1, k.bpfMinors.size(), k.bpfMinors.toString());
        return k.bpfMinors.values().iterator().next();
    }

    @Test
    void theDeviceIsTheFethEndTheSystemUsesAndBpfListensOnItsPeer() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().build())) {
            assertEquals("feth0", d.name(), "if_clone_create: the lowest free unit");
            assertEquals("feth", d.driver());
            FakeKernel.Iface far = k.get("feth1");
            assertNotNull(far, "the far end is the next free unit");
            assertSame(far, k.peers.get(k.get("feth0")), "IF_FAKE_S_CMD_SET_PEER joined them");
            assertTrue(far.up(), "bpfwrite refuses a down interface: the far end is brought up");
            FakeDarwin.BpfFd b = bpf(k);
            assertSame(far, b.bound, "BIOCSETIF names the far end");
            assertEquals(FethPair.BUFFER_SIZE, b.bufsize, "BIOCSBLEN before BIOCSETIF");
            assertTrue(b.immediate, "BIOCIMMEDIATE: poll and read do not wait for a full buffer");
            assertTrue(b.hdrcmplt, "BIOCSHDRCMPLT: the frame's own source address is kept");
            assertFalse(b.seeSent, "BIOCSSEESENT 0: frames written are not read back");
            assertTrue(b.closeOnExec);
            // feth_clone_create: the MAC is "feth" followed by the unit in two bytes.
            assertEquals(MacAddress.parse("66:65:74:68:00:00"), ((TapDevice) d).macAddress());
        }
        assertNull(k.get("feth0"), "closing destroys the device");
        assertNull(k.get("feth1"), "and its far end");
        assertEquals(0, k.openFds(), "BPF, pipe and sockets closed");
        assertTrue(k.bpfMinors.isEmpty());
    }

    @Test
    void framesCrossThePairBothWaysAndOwnWritesAreNotReadBack() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().up(true).build())) {
            PacketChannel host = k.host("feth0");
            byte[] out = frame(60, 7);
            d.write(ByteBuffer.wrap(out));
            ByteBuffer got = ByteBuffer.allocate(2048);
            assertEquals(60, host.read(got, Duration.ofSeconds(1)));
            assertArrayEquals(out, java.util.Arrays.copyOf(got.array(), 60), "sent as written (BIOCSHDRCMPLT)");
            assertEquals(0, d.read(ByteBuffer.allocateDirect(2048), Duration.ofMillis(50)),
                    "BPF_D_IN: the frame written is not read back");
            byte[] in = frame(100, 9);
            host.write(ByteBuffer.wrap(in));
            ByteBuffer dst = ByteBuffer.allocateDirect(2048);
            assertEquals(100, d.read(dst, Duration.ofSeconds(1)));
            byte[] read = new byte[100];
            dst.flip().get(read);
            assertArrayEquals(in, read);
        }
    }

    @Test
    void oneBpfReadOfSeveralFramesIsHandedOutOneFrameAtATime() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().up(true).build())) {
            PacketChannel host = k.host("feth0");
            int[] lengths = {60, 61, 1514}; // 61: the next record starts at a BPF_WORDALIGN boundary
            for (int i = 0; i < lengths.length; i++) {
                host.write(ByteBuffer.wrap(frame(lengths[i], i)));
            }
            FakeDarwin.BpfFd b = bpf(k);
            ByteBuffer dst = ByteBuffer.allocate(2048);
            for (int i = 0; i < lengths.length; i++) {
                dst.clear();
                assertEquals(lengths[i], d.read(dst, Duration.ofSeconds(1)));
                assertArrayEquals(frame(lengths[i], i), java.util.Arrays.copyOf(dst.array(), lengths[i]));
            }
            assertEquals(1, b.reads, "all three came from one read of the BPF buffer");
        }
    }

    @Test
    void writesLongerThanTheMtuPlus18AreTooLargeAndTheMtuMovesBothEnds() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().up(true).build())) {
            // if_fake.c feth_ifnet_set_attrs: ETHERMTU; bpf.c bpf_movein: EMSGSIZE above if_mtu + BPF_WRITE_LEEWAY.
            d.write(ByteBuffer.wrap(frame(1518, 1)));
            PacketTooLargeException e = assertThrows(PacketTooLargeException.class,
                    () -> d.write(ByteBuffer.wrap(frame(1519, 1))));
            assertTrue(e.getMessage().contains("1518"), e.getMessage());
            d.setMtu(2000);
            assertEquals(2000, k.get("feth1").mtu, "BPF writes on the far end: its MTU follows");
            d.write(ByteBuffer.wrap(frame(2018, 1)));
            assertEquals(2, k.get("feth0").fromUser.size());
            assertThrows(TunTapException.class, () -> d.setMtu(2049), "feth_ioctl: above feth_max_mtu (2048)");
            assertThrows(TunTapException.class, () -> d.write(ByteBuffer.wrap(new byte[13])),
                    "shorter than an Ethernet header");
        }
    }

    @Test
    void aNamedUnitIsMadeExactlyAndRefusalsLeaveNothingBehind() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().name("feth7").build())) {
            assertEquals("feth7", d.name());
            assertNotNull(k.get("feth0"), "the far end takes the lowest free unit");
            assertThrows(DeviceBusyException.class, () -> Fakes.open(k, DeviceConfig.tap().name("feth7").build()));
            assertEquals(2, k.interfaces.size(), "the failed open made nothing: " + k.interfaces.keySet());
        }
        assertThrows(InvalidConfigurationException.class, () -> Fakes.open(k, DeviceConfig.tap().name("tap0").build()));
        assertThrows(UnsupportedFeatureException.class, () -> Fakes.open(k, DeviceConfig.tap().name("feth1")
                .openPolicy(io.tuntap.OpenPolicy.ATTACH_EXISTING).build()));
        k.root = false;
        DevicePermissionException e = assertThrows(DevicePermissionException.class,
                () -> Fakes.open(k, DeviceConfig.tap().build()));
        assertTrue(e.getMessage().contains("root"), e.getMessage());
        assertTrue(k.interfaces.isEmpty(), k.interfaces.keySet().toString());
        assertEquals(0, k.openFds());
    }

    @Test
    void aFailureAfterTheIfacesExistDestroysBoth() throws Exception {
        FakeDarwin k = new FakeDarwin();
        k.failRequests.put(FakeDarwin.BIOCSETIF, io.tuntap.bsd.jna.BsdErrno.ENXIO);
        assertThrows(TunTapException.class, () -> Fakes.open(k, DeviceConfig.tap().build()));
        assertTrue(k.interfaces.isEmpty(), k.interfaces.keySet().toString());
        assertEquals(0, k.openFds());
        assertTrue(k.bpfMinors.isEmpty());
    }

    @Test
    void aBusyBpfNodeIsSkipped() throws Exception {
        FakeDarwin k = new FakeDarwin();
        int other = k.open("/dev/bpf0", io.tuntap.bsd.jna.BsdAbi.O_RDWR);
        assertTrue(other >= 0);
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().build())) {
            assertTrue(k.bpfMinors.containsKey(1), "bpfopen: EBUSY for bpf0, so bpf1: " + k.bpfMinors.keySet());
            assertEquals("feth0", d.name());
        }
        k.close(other);
    }

    @Test
    void destroyingThePairUnderneathEndsReadsWithATypedError() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().up(true).build())) {
            k.asOtherProgram(() -> {
                FakeKernel.Iface far = k.get("feth1");
                k.interfaces.remove("feth1");
                k.interfaceDestroyed(far);
            });
            TunTapException e = assertThrows(TunTapException.class,
                    () -> d.read(ByteBuffer.allocate(2048), Duration.ofMillis(50)));
            assertTrue(e.getMessage().contains("ENXIO"), e.getMessage());
        }
    }

    @Test
    void aBypassRouteGoesThroughTheUplinkAndLeavesWithTheDevice() throws Exception {
        FakeDarwin k = new FakeDarwin();
        FakeKernel.Iface en0 = k.createInterface("en0", "en");
        en0.flags |= io.tuntap.bsd.jna.BsdAbi.IFF_UP;
        en0.addresses.add(new FakeKernel.Addr(java.net.InetAddress.getByName("192.168.1.2"), 24, null));
        // RTF_UP | RTF_GATEWAY | RTF_STATIC, as route(8) adds a default route.
        k.routes.add(new FakeKernel.RouteEntry(java.net.InetAddress.getByName("0.0.0.0"), 0,
                java.net.InetAddress.getByName("192.168.1.1"), 0x1 | 0x2 | 0x800, en0.index, 0));
        io.tuntap.SystemRoute server = new BsdRouteTable(Fakes.context(k))
                .defaultRoute(java.net.StandardProtocolFamily.INET).orElseThrow()
                .to(java.net.InetAddress.getByName("203.0.113.7"));
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().build())) {
            d.addBypassRoute(server);
            assertTrue(k.routes.stream().anyMatch(r -> r.destination().getHostAddress().equals("203.0.113.7")
                    && r.index() == en0.index), k.routes.toString());
        }
        assertTrue(k.routes.stream().noneMatch(r -> r.destination().getHostAddress().equals("203.0.113.7")),
                k.routes.toString());
    }

    @Test
    void anMtuAboveWhatFethTakesFailsTheOpenAndLeavesNothing() {
        // if_fake.c feth_ioctl SIOCSIFMTU: EINVAL above feth_max_mtu (FETH_MAX_MTU_DEFAULT 2048).
        FakeDarwin k = new FakeDarwin();
        TunTapException e = assertThrows(TunTapException.class, () -> Fakes.open(k, DeviceConfig.tap().mtu(3000).build()));
        assertTrue(e.getMessage().contains("SIOCSIFMTU"), e.getMessage());
        assertTrue(k.interfaces.isEmpty(), k.interfaces.keySet().toString());
        assertEquals(0, k.openFds());
    }
}
