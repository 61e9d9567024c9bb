// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.AdoptChecks.adopt;
import static io.tuntap.bsd.AdoptChecks.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceMode;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.testkit.Packets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Adopting a tun or tap descriptor made elsewhere, against the OpenBSD fake kernel: the name from the device's
 * minor number (fstat), the mode from TUNGIFINFO's interface type.
 */
class OpenBsdAdoptTest {

    private static byte[] packet() throws Exception {
        return Packets.udp(new InetSocketAddress("10.1.0.2", 1), new InetSocketAddress("10.1.0.1", 2), new byte[8]);
    }

    @Test
    void adoptsATunNamedByItsMinorNumberAndCarriesPackets() throws Exception {
        FakeOpenBsd k = new FakeOpenBsd();
        int other = k.open("/dev/tun0", BsdAbi.O_RDWR); // another program's unit
        int fd = k.open("/dev/tun2", BsdAbi.O_RDWR); // as a launcher opens it: blocking
        try (TunTapDevice d = adopt(k, fd)) {
            assertInstanceOf(TunDevice.class, d);
            assertEquals("tun2", d.name());
            assertEquals(DeviceMode.TUN, d.mode());
            assertEquals(k.if_nametoindex("tun2"), d.index());
            FakeKernel.Fd file = (FakeKernel.Fd) k.get("tun2").owner;
            assertEquals(BsdAbi.O_NONBLOCK, file.statusFlags & BsdAbi.O_NONBLOCK,
                    "O_NONBLOCK on the file: tun_dev_read sleeps unless IO_NDELAY");
            assertTrue(file.closeOnExec);
            assertEquals(-1, k.fcntl(fd, BsdAbi.F_GETFL, 0), "the caller's descriptor is closed: the device owns it");
            byte[] out = packet();
            d.write(out);
            ByteBuffer got = ByteBuffer.allocate(200);
            assertEquals(out.length, k.host("tun2").read(got, Duration.ofSeconds(5)));
            assertArrayEquals(out, Arrays.copyOf(got.array(), out.length));
            byte[] in = packet();
            k.host("tun2").write(ByteBuffer.wrap(in));
            byte[] buf = new byte[200];
            assertEquals(in.length, d.read(ByteBuffer.wrap(buf), Duration.ofSeconds(5)));
            assertArrayEquals(in, Arrays.copyOf(buf, in.length));
            assertEquals(0, d.read(ByteBuffer.wrap(buf), Duration.ofMillis(20)), "nothing more: no packet, no hang");
        }
        assertNull(k.get("tun2"), "made by open: tun_dev_close destroyed it with the last descriptor");
        assertNotNull(k.get("tun0"));
        assertEquals(1, k.openFds(), "only the other program's descriptor is still open");
        k.close(other);
    }

    @Test
    void adoptsATapKnownByItsInterfaceType() throws Exception {
        FakeOpenBsd k = new FakeOpenBsd();
        k.open("/dev/tap0", BsdAbi.O_RDWR);
        int fd = k.open("/dev/tap3", BsdAbi.O_RDWR);
        try (TunTapDevice d = adopt(k, fd)) {
            TapDevice tap = assertInstanceOf(TapDevice.class, d);
            assertEquals("tap3", tap.name());
            byte[] frame = new byte[60];
            frame[0] = (byte) 0xff;
            frame[12] = 0x08;
            tap.write(frame);
            ByteBuffer got = ByteBuffer.allocate(200);
            assertEquals(frame.length, k.host("tap3").read(got, Duration.ofSeconds(5)));
        }
    }

    @Test
    void devNullIsRefusedByTungifinfoAndLeftOpen() {
        FakeOpenBsd k = new FakeOpenBsd();
        int fd = k.open("/dev/null", BsdAbi.O_RDWR);
        // openbsd/src sys/arch/amd64/amd64/mem.c mmioctl: ENOTTY for a request it does not know.
        assertEquals(BsdErrno.ENOTTY, refused(k, fd, "ioctl(TUNGIFINFO) on descriptor " + fd,
                "is not a tun or tap descriptor", "pass a descriptor of /dev/tunN or /dev/tapN").errorCode());
    }

    @Test
    void aSocketAndAPipeAreRefusedByWhatFstatSays() {
        AdoptChecks.refusesSocketAndPipe(new FakeOpenBsd(), "/dev/tunN or /dev/tapN");
    }

    @Test
    void aFailureLeavesTheCallersDescriptorAsFound() {
        FakeOpenBsd k = new FakeOpenBsd();
        int fd = k.open("/dev/tun1", BsdAbi.O_RDWR);
        k.failRequests.put(k.abi.siocgifflags, BsdErrno.ENXIO);
        assertThrows(TunTapException.class, () -> adopt(k, fd));
        assertEquals(0, k.fcntl(fd, BsdAbi.F_GETFL, 0) & BsdAbi.O_NONBLOCK, "still blocking, as the caller had it");
        assertEquals(1, k.openFds(), "only the caller's descriptor: the duplicate and the socket are closed");
        assertNotNull(k.get("tun1"), "the caller still holds the unit");
    }
}
