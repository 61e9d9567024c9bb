// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidDescriptorException;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.testkit.Packets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Adopting a utun control socket made elsewhere, against the macOS fake kernel. */
class DarwinAdoptTest {

    private static TunTapDevice adopt(FakeKernel k, int fd) throws Exception {
        return BsdAdopter.adopt(Fakes.context(k), Fakes.system(k), new int[] {fd});
    }

    /** A launcher's utun: a control socket connected to com.apple.net.utun_control, as DarwinSystem makes it. */
    private static int launcherUtun(FakeKernel k, String name) throws Exception {
        return Fakes.system(k).open(Fakes.context(k), DeviceConfig.tun().name(name).build()).fd();
    }

    @Test
    void adoptsAUtunLearningItsNameAndCarriesPackets() throws Exception {
        FakeDarwin k = new FakeDarwin();
        int fd = launcherUtun(k, "utun7");
        try (TunTapDevice d = adopt(k, fd)) {
            assertInstanceOf(TunDevice.class, d);
            assertEquals("utun7", d.name());
            assertEquals(DeviceMode.TUN, d.mode());
            assertEquals("utun", ((BsdTunTapDevice) d).driver());
            assertTrue(d.capabilities().contains(Capability.ADOPT));
            assertEquals(-1, k.fcntl(fd, BsdAbi.F_GETFL, 0), "the caller's descriptor is closed: the device owns it");
            d.setUp(true);
            byte[] out = Packets.udp(new InetSocketAddress("10.1.0.2", 1), new InetSocketAddress("10.1.0.1", 2),
                    new byte[8]);
            d.write(out);
            ByteBuffer got = ByteBuffer.allocate(200);
            assertEquals(out.length, k.host("utun7").read(got, Duration.ofSeconds(1)));
            assertArrayEquals(out, Arrays.copyOf(got.array(), out.length));
            k.host("utun7").write(ByteBuffer.wrap(out));
            byte[] buf = new byte[200];
            assertEquals(out.length, d.read(ByteBuffer.wrap(buf), Duration.ofSeconds(1)));
            assertArrayEquals(out, Arrays.copyOf(buf, out.length));
        }
        assertNull(k.get("utun7"), "close() closed the last descriptor of the socket: the kernel removed utun7");
        assertEquals(0, k.openFds());
    }

    @Test
    void aPipeIsRefusedWithEnotsockAndLeftOpen() throws Exception {
        FakeDarwin k = new FakeDarwin();
        try (Memory p = new Memory(8)) {
            assertEquals(0, k.pipe(Pointer.nativeValue(p)));
            assertEquals(38, refused(k, p.getInt(0)), "ENOTSOCK: getsockopt on a file that is no socket");
        }
    }

    @Test
    void devNullIsRefusedWithEnotsockAndLeftOpen() {
        FakeDarwin k = new FakeDarwin();
        assertEquals(38, refused(k, k.open("/dev/null", BsdAbi.O_RDWR)), "ENOTSOCK: /dev/null is no socket");
    }

    @Test
    void anIpSocketIsRefusedWithEinvalAndLeftOpen() throws Exception {
        FakeDarwin k = new FakeDarwin();
        assertEquals(BsdErrno.EINVAL, refused(k, k.socket(BsdAbi.AF_INET, BsdAbi.SOCK_DGRAM, 0)));
    }

    private static int refused(FakeKernel k, int fd) {
        int before = k.openFds();
        InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> adopt(k, fd));
        assertTrue(e.getMessage().startsWith("getsockopt(SYSPROTO_CONTROL, UTUN_OPT_IFNAME) on descriptor " + fd),
                e.getMessage());
        assertTrue(e.getMessage().contains("is not a utun control socket"), e.getMessage());
        assertTrue(e.getMessage().contains("pass a PF_SYSTEM socket connected to com.apple.net.utun_control"),
                e.getMessage());
        assertTrue(k.fcntl(fd, BsdAbi.F_GETFL, 0) >= 0, "the caller's descriptor is left open");
        assertEquals(before, k.openFds(), "nothing left behind");
        return e.errorCode();
    }
}
