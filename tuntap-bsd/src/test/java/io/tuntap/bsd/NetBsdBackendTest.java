// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.PacketTooLargeException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.testkit.Packets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The NetBSD rules, through the backend against the NetBSD fake kernel. */
class NetBsdBackendTest {

    @Test
    void ehostdownBeforeAnAddressIsNoPacketYet() throws Exception {
        FakeNetBsd k = new FakeNetBsd();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build())) {
            byte[] p = Packets.udp(new InetSocketAddress("10.6.0.2", 1), new InetSocketAddress("10.6.0.1", 2),
                    new byte[4]);
            k.deliverRaw(d.name(), FakeKernel.withHeader(BsdAbi.AF_INET, p));
            ByteBuffer dst = ByteBuffer.allocate(2000);
            long start = System.nanoTime();
            assertEquals(0, d.read(dst, Duration.ofMillis(60)), "EHOSTDOWN: no packet before an address");
            assertTrue(System.nanoTime() - start >= 50_000_000L, "waited the timeout");
            d.addAddress(IpPrefix.parse("10.6.0.1/24"));
            assertEquals(p.length, d.read(dst, Duration.ofSeconds(1)), "the queued packet once ready");
        }
    }

    @Test
    void mtuIs576To1500AndLongerWritesAreRefused() throws Exception {
        FakeNetBsd k = new FakeNetBsd();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.6.0.1/24").build())) {
            d.setMtu(576);
            assertEquals(576, d.mtu(), "SIOCGIFMTU/SIOCSIFMTU with the 144-byte ifreq");
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> d.setMtu(1501));
            assertTrue(e.getMessage().contains("576 to 1500"), e.getMessage());
            assertThrows(InvalidConfigurationException.class, () -> d.setMtu(575));
            byte[] big = new byte[1501];
            big[0] = 0x45;
            assertThrows(PacketTooLargeException.class, () -> d.write(big));
        }
    }

    @Test
    void anIfreqRequestOfThe32ByteSizeIsNotNetBsds() throws Exception {
        FakeNetBsd k = new FakeNetBsd();
        int s = k.socket(BsdAbi.AF_INET, BsdAbi.SOCK_DGRAM, 0);
        try (BsdContext.Request r = new BsdContext.Request(144)) {
            io.tuntap.bsd.jna.Ifreq.putInt(r.view, BsdAbi.NETBSD, "tun0", 1400);
            assertEquals(-1, k.ioctl(s, BsdAbi.FREEBSD.siocsifmtu, r.address));
            assertEquals(BsdErrno.ENOTTY, k.errno());
        }
    }

    @Test
    void tunPersistsUnlessTheBackendDestroysIt() throws Exception {
        FakeNetBsd k = new FakeNetBsd();
        Fakes.open(k, DeviceConfig.tun().build()).close();
        assertNull(k.get("tun0"), "created and not persistent: destroyed after close");
        Fakes.open(k, DeviceConfig.tun().persistent(true).build()).close();
        assertNotNull(k.get("tun0"), "persistent: stays");
    }

    @Test
    void tapClonesGoAwayWithTheirFd() throws Exception {
        FakeNetBsd k = new FakeNetBsd();
        BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().build());
        assertEquals("tap0", d.name(), "TAPGIFNAME of the clone");
        d.close();
        assertNull(k.get("tap0"));
        assertThrows(UnsupportedFeatureException.class, () -> Fakes.open(k, DeviceConfig.tap().persistent(true).build()));
        BsdTunTapDevice named = Fakes.open(k, DeviceConfig.tap().name("tap2").persistent(true).build());
        named.close();
        assertNotNull(k.get("tap2"), "a named tap is made with SIOCIFCREATE and stays");
    }

    @Test
    void readsWaitOnlyAsLongAsAskedBecauseFionbioIsSentOnEveryOpen() throws Exception {
        // NetBSD/src sys/net/if_tun.c 1.173 tunread and if_tap.c@00e50b6c tap_dev_read sleep unless TUN_NBIO /
        // TAP_NBIO, which only FIONBIO sets; O_NONBLOCK at open is not looked at.
        FakeNetBsd k = new FakeNetBsd();
        ByteBuffer dst = ByteBuffer.allocate(2000);
        try (BsdTunTapDevice tun = Fakes.open(k, DeviceConfig.tun().address("10.6.0.1/24").build());
                BsdTunTapDevice tap = Fakes.open(k, DeviceConfig.tap().build())) {
            assertTrue(k.nonBlocking(tun.name()) && k.nonBlocking(tap.name()), "FIONBIO on both units");
            assertEquals(0, tun.read(dst, Duration.ofMillis(20)), "tun: the timeout, not a sleep in tunread");
            assertEquals(0, tap.read(dst, Duration.ofMillis(20)), "tap: the timeout, not a sleep in tap_dev_read");
            assertEquals(0, tun.read(dst, Duration.ZERO));
        }
        try (BsdTunTapDevice named = Fakes.open(k, DeviceConfig.tap().name("tap3").build())) {
            assertTrue(k.nonBlocking(named.name()), "FIONBIO on a tap opened by unit too");
        }
    }

    @Test
    void theTapCloneIsCloseOnExecThoughTheCloneDropsTheOpenFlags() throws Exception {
        // if_tap.c@00e50b6c tap_dev_cloner: fd_clone(fp, fd, FREAD | FWRITE, ...): O_CLOEXEC of the open is lost.
        FakeNetBsd k = new FakeNetBsd();
        try (BsdTunTapDevice tap = Fakes.open(k, DeviceConfig.tap().build());
                BsdTunTapDevice tun = Fakes.open(k, DeviceConfig.tun().build())) {
            assertTrue(k.fds.get(tap.fileDescriptor()).closeOnExec, "FD_CLOEXEC set again after the clone");
            assertTrue(k.fds.get(tun.fileDescriptor()).closeOnExec);
        }
    }
}
