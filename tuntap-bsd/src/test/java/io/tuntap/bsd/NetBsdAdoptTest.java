// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.AdoptChecks.adopt;
import static io.tuntap.bsd.AdoptChecks.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.testkit.Packets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Adopting a tun or tap descriptor made elsewhere, against the NetBSD fake kernel: a tap by TAPGIFNAME, a tun
 * by its minor number (fstat) once TUNGIFHEAD proved it one; reads made non-blocking with FIONBIO, the only
 * thing NetBSD's drivers look at.
 */
class NetBsdAdoptTest {

    @Test
    void adoptsATunNamedByItsMinorNumberWithTheHeaderAndFionbio() throws Exception {
        FakeNetBsd k = new FakeNetBsd();
        k.open("/dev/tun0", BsdAbi.O_RDWR);
        int fd = k.open("/dev/tun3", BsdAbi.O_RDWR | BsdAbi.O_NONBLOCK); // O_NONBLOCK at open: ignored by NetBSD
        assertFalse(k.nonBlocking("tun3"));
        try (TunTapDevice d = adopt(k, fd)) {
            assertInstanceOf(TunDevice.class, d);
            assertEquals("tun3", d.name());
            assertTrue(k.nonBlocking("tun3"), "FIONBIO set TUN_NBIO");
            assertTrue(k.get("tun3").ifhead, "TUNSIFHEAD: IPv6 passes");
            assertTrue(((FakeKernel.Fd) k.get("tun3").owner).closeOnExec);
            d.setUp(true);
            d.addAddress(DeviceAddress.parse("10.6.0.1/24"));
            byte[] buf = new byte[200];
            // Without FIONBIO the fake throws WouldSleep here: NetBSD's tunread would sleep in the kernel.
            assertEquals(0, d.read(ByteBuffer.wrap(buf), Duration.ofMillis(20)));
            byte[] in = Packets.udp(new InetSocketAddress("10.6.0.2", 1), new InetSocketAddress("10.6.0.1", 2),
                    new byte[8]);
            k.host("tun3").write(ByteBuffer.wrap(in));
            assertEquals(in.length, d.read(ByteBuffer.wrap(buf), Duration.ofSeconds(5)));
            assertArrayEquals(in, Arrays.copyOf(buf, in.length));
            d.write(in);
            ByteBuffer got = ByteBuffer.allocate(200);
            assertEquals(in.length, k.host("tun3").read(got, Duration.ofSeconds(5)));
        }
        assertEquals(1, k.openFds(), "only the other unit's descriptor");
    }

    @Test
    void adoptsATapCloneNamedByTapgifname() throws Exception {
        FakeNetBsd k = new FakeNetBsd();
        int first = k.open("/dev/tap", BsdAbi.O_RDWR);
        int fd = k.open("/dev/tap", BsdAbi.O_RDWR); // the clone keeps none of the open flags
        try (TunTapDevice d = adopt(k, fd)) {
            TapDevice tap = assertInstanceOf(TapDevice.class, d);
            assertEquals("tap1", tap.name());
            assertTrue(k.nonBlocking("tap1"), "FIONBIO set TAP_NBIO");
            assertTrue(((FakeKernel.Fd) k.get("tap1").owner).closeOnExec, "tap_dev_cloner dropped it; set again");
        }
        assertNull(k.get("tap1"), "a clone goes away with its last descriptor");
        k.close(first);
    }

    @Test
    void devNullIsRefusedByTungifheadAndLeftOpen() {
        FakeNetBsd k = new FakeNetBsd();
        int fd = k.open("/dev/null", BsdAbi.O_RDWR);
        // NetBSD/src sys/dev/mm.c mm_ioctl: EOPNOTSUPP (45) for a request it does not know.
        assertEquals(45, refused(k, fd, "ioctl(TUNGIFHEAD) on descriptor " + fd, "is not a tun or tap descriptor",
                "pass a descriptor of /dev/tunN, /dev/tap or /dev/tapN").errorCode());
    }

    @Test
    void aSocketAndAPipeAreRefusedByWhatFstatSays() {
        AdoptChecks.refusesSocketAndPipe(new FakeNetBsd(), "/dev/tunN");
    }

    @Test
    void aFailureLeavesTheUnitAsFound() {
        FakeNetBsd k = new FakeNetBsd();
        int fd = k.open("/dev/tun1", BsdAbi.O_RDWR);
        k.failRequests.put(k.abi.siocgifflags, io.tuntap.bsd.jna.BsdErrno.ENXIO);
        assertThrows(TunTapException.class, () -> adopt(k, fd));
        assertFalse(k.nonBlocking("tun1"), "FIONBIO cleared again: the caller's reads block as before");
        assertFalse(k.get("tun1").ifhead, "the header is off again, as the caller had it");
        assertEquals(0, k.fcntl(fd, BsdAbi.F_GETFL, 0) & BsdAbi.O_NONBLOCK);
        assertEquals(1, k.openFds(), "only the caller's descriptor");
    }
}
