// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidDescriptorException;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.testkit.Packets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Adopting a tun or tap descriptor made elsewhere, against the FreeBSD fake kernel. */
class FreeBsdAdoptTest {

    private static TunTapDevice adopt(FakeKernel k, int fd) throws Exception {
        return BsdAdopter.adopt(Fakes.context(k), Fakes.system(k), new int[] {fd});
    }

    private static byte[] packet() throws Exception {
        return Packets.udp(new InetSocketAddress("10.1.0.2", 1), new InetSocketAddress("10.1.0.1", 2), new byte[8]);
    }

    @Test
    void adoptsATunLearningNameAndModeAndCarriesPackets() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        k.open("/dev/tun", BsdAbi.O_RDWR); // another unit, so that the name is not the first one by chance
        int fd = k.open("/dev/tun", BsdAbi.O_RDWR); // as a launcher opens it: blocking, no header
        assertFalse(k.get("tun1").ifhead);
        try (TunTapDevice d = adopt(k, fd)) {
            assertInstanceOf(TunDevice.class, d);
            assertEquals("tun1", d.name());
            assertEquals(DeviceMode.TUN, d.mode());
            assertEquals(k.if_nametoindex("tun1"), d.index());
            assertTrue(k.get("tun1").ifhead, "TUNSIFHEAD turned on, so that IPv6 passes");
            assertEquals(-1, k.fcntl(fd, BsdAbi.F_GETFL, 0), "the caller's descriptor is closed: the device owns it");
            assertEquals(BsdErrno.EBADF, k.errno());
            d.setUp(true);
            byte[] out = packet();
            d.write(out);
            ByteBuffer got = ByteBuffer.allocate(200);
            assertEquals(out.length, k.host("tun1").read(got, Duration.ofSeconds(1)));
            assertArrayEquals(out, java.util.Arrays.copyOf(got.array(), out.length));
            byte[] in = packet();
            k.host("tun1").write(ByteBuffer.wrap(in));
            byte[] buf = new byte[200];
            assertEquals(in.length, d.read(ByteBuffer.wrap(buf), Duration.ofSeconds(1)));
            assertArrayEquals(in, java.util.Arrays.copyOf(buf, in.length));
        }
        assertNotNull(k.get("tun1"), "the interface persists: it was not made by the library");
        assertFalse(k.get("tun1").up(), "last close: tundtor took it down");
        assertEquals(1, k.openFds(), "only the other unit's descriptor is still open");
    }

    @Test
    void adoptsATapLearningTheModeFromTungifheadRefused() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        int fd = k.open("/dev/tap", BsdAbi.O_RDWR);
        try (TunTapDevice d = adopt(k, fd)) {
            TapDevice tap = assertInstanceOf(TapDevice.class, d);
            assertEquals("tap0", tap.name());
            assertEquals(DeviceMode.TAP, tap.mode());
            assertTrue(tap.capabilities().contains(Capability.ADOPT));
            tap.setUp(true);
            byte[] frame = new byte[60];
            frame[0] = (byte) 0xff; // broadcast destination
            frame[12] = 0x08;
            tap.write(frame);
            ByteBuffer got = ByteBuffer.allocate(200);
            assertEquals(frame.length, k.host("tap0").read(got, Duration.ofSeconds(1)));
        }
        assertEquals(0, k.openFds(), "close() closed the adopted descriptor and the configuration socket");
    }

    @Test
    void aPipeIsRefusedAndLeftOpen() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        try (Memory p = new Memory(8)) {
            assertEquals(0, k.pipe(Pointer.nativeValue(p)));
            int read = p.getInt(0);
            // freebsd-src sys/kern/sys_pipe.c pipe_ioctl: a request it does not know is ENOTTY.
            assertEquals(BsdErrno.ENOTTY, assertRefusedAndLeftOpen(k, read));
        }
    }

    @Test
    void devNullIsRefusedAndLeftOpen() {
        FakeFreeBsd k = new FakeFreeBsd(15);
        int fd = k.open("/dev/null", BsdAbi.O_RDWR);
        // freebsd-src sys/dev/null/null.c null_ioctl: ENOIOCTL, which devfs gives the caller as ENOTTY.
        assertEquals(BsdErrno.ENOTTY, assertRefusedAndLeftOpen(k, fd));
    }

    @Test
    void aSocketIsRefusedAndLeftOpen() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        assertTrue(assertRefusedAndLeftOpen(k, k.socket(BsdAbi.AF_INET, BsdAbi.SOCK_DGRAM, 0)) != 0);
    }

    @Test
    void aDescriptorNotOpenIsRefused() {
        FakeFreeBsd k = new FakeFreeBsd(15);
        InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> adopt(k, 999));
        assertEquals(BsdErrno.EBADF, e.errorCode());
        assertTrue(e.getMessage().contains("not open in this process"), e.getMessage());
    }

    @Test
    void aFailureLeavesTheCallersDescriptorAsFound() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        int fd = k.open("/dev/tun", BsdAbi.O_RDWR);
        k.failRequests.put(k.abi.tunsifhead, BsdErrno.EINVAL);
        assertThrows(io.tuntap.TunTapException.class, () -> adopt(k, fd));
        assertEquals(BsdAbi.O_RDWR & BsdAbi.O_NONBLOCK, k.fcntl(fd, BsdAbi.F_GETFL, 0) & BsdAbi.O_NONBLOCK,
                "still blocking, as the caller had it");
        assertEquals(1, k.openFds(), "only the caller's descriptor: the duplicate is closed");
    }

    /** Returns the errno of the refusal. */
    private static int assertRefusedAndLeftOpen(FakeKernel k, int fd) {
        int before = k.openFds();
        InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> adopt(k, fd));
        assertTrue(e.getMessage().startsWith("ioctl(TUNGIFNAME) on descriptor " + fd), e.getMessage());
        assertTrue(e.getMessage().contains("is not a tun or tap descriptor"), e.getMessage());
        assertTrue(e.getMessage().contains("pass a descriptor of /dev/tun or /dev/tap"), e.getMessage());
        assertTrue(k.fcntl(fd, BsdAbi.F_GETFL, 0) >= 0, "the caller's descriptor is left open");
        assertEquals(before, k.openFds(), "nothing left behind");
        return e.errorCode();
    }
}
