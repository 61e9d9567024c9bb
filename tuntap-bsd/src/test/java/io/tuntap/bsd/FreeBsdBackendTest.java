// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.OpenPolicy;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TapDevice;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.testkit.Packets;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The FreeBSD rules, through the backend against the FreeBSD fake kernel. */
class FreeBsdBackendTest {

    private static byte[] packet() throws Exception {
        return Packets.udp(new InetSocketAddress("10.1.0.2", 1), new InetSocketAddress("10.1.0.1", 2), new byte[8]);
    }

    @Test
    void cloningGivesTheLowestFreeUnitsAndSetsTheHeaderAndBroadcastMode() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        try (BsdTunTapDevice a = Fakes.open(k, DeviceConfig.tun().build());
                BsdTunTapDevice b = Fakes.open(k, DeviceConfig.tun().build());
                BsdTunTapDevice t = Fakes.open(k, DeviceConfig.tap().build())) {
            assertEquals("tun0", a.name());
            assertEquals("tun1", b.name());
            assertEquals("tap0", t.name());
            assertTrue(k.get("tun0").ifhead, "TUNSIFHEAD on, so that IPv6 passes");
            assertEquals(BsdAbi.IFF_BROADCAST, k.get("tun0").flags & (BsdAbi.IFF_BROADCAST | BsdAbi.IFF_POINTOPOINT),
                    "a new tun is switched to broadcast mode, so that an address without a peer is on-link");
            assertEquals("tun", a.driver());
        }
    }

    @Test
    void freebsd15DestroysOnLastCloseThroughTunstransient() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.1.0.1/24").build());
        assertFalse(d.isPersistent());
        d.close();
        assertNull(k.get("tun0"), "gone with its fd");
        assertEquals(0, k.openFds(), "every fd closed (device, pipe, sockets)");
    }

    @Test
    void freebsd14KeepsTheInterfaceSoTheBackendDestroysIt() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(14);
        BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build());
        assertNotNull(k.get("tun0"));
        d.close();
        assertNull(k.get("tun0"), "SIOCIFDESTROY after the fd was closed");
        assertEquals(0, k.openFds());
    }

    @Test
    void persistentDevicesStayDownAndWithoutAddresses() throws Exception {
        for (int release : new int[] {14, 15}) {
            FakeFreeBsd k = new FakeFreeBsd(release);
            BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().persistent(true).address("10.1.0.1/24").build());
            assertTrue(d.isPersistent());
            d.close();
            FakeKernel.Iface i = k.get("tun0");
            assertNotNull(i, "FreeBSD " + release + ": a persistent tun outlives its fd");
            assertFalse(i.up());
            assertTrue(i.addresses.isEmpty(), "the last close purges addresses");

            BsdTunTapDevice again = Fakes.open(k, DeviceConfig.tun().name("tun0")
                    .openPolicy(OpenPolicy.ATTACH_EXISTING).build());
            assertTrue(again.isPersistent(), "attached, not created: it stays");
            again.setPersistent(false);
            again.close();
            assertNull(k.get("tun0"), "FreeBSD " + release + ": made non-persistent, it goes on close");
        }
    }

    @Test
    void aPointToPointTunRefusesAnIpv4AddressWithoutDestinationSoTheBackendGivesOne() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        k.createInterface("tun5", "tun"); // made by someone else, point-to-point as FreeBSD makes them
        int s = k.socket(BsdAbi.AF_INET, BsdAbi.SOCK_DGRAM, 0);
        try (BsdContext.Request r = new BsdContext.Request(68)) {
            io.tuntap.bsd.jna.Ifaliasreq.put(r.view, BsdAbi.FREEBSD, "tun5",
                    (java.net.Inet4Address) java.net.InetAddress.getByName("10.1.0.1"), null, 24);
            assertEquals(-1, k.ioctl(s, BsdAbi.FREEBSD.siocaifaddr, r.address));
            assertEquals(BsdErrno.EDESTADDRREQ, k.errno(), "sys/netinet/in.c: no destination on point-to-point");
        }
        k.close(s);
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().name("tun5").address("10.1.0.1/24").build())) {
            FakeKernel.Addr a = k.get("tun5").addresses.get(0);
            assertEquals(a.local(), a.destination(), "attached point-to-point: the local address as destination");
            assertTrue(d.isPersistent(), "not created by this open");
        }
        assertNotNull(k.get("tun5"), "an interface this open did not create is left alone");
        assertNull(k.get("tun5").owner, "and its fd closed");
    }

    @Test
    void aFailedOpenLeavesNothingBehind() throws Exception {
        for (int release : new int[] {14, 15}) {
            FakeFreeBsd k = new FakeFreeBsd(release);
            k.failRequests.put(BsdAbi.FREEBSD.siocaifaddr, BsdErrno.EINVAL);
            TunTapException e = assertThrows(TunTapException.class,
                    () -> Fakes.open(k, DeviceConfig.tap().address("10.1.0.1/24").build()));
            assertTrue(e.getMessage().contains("SIOCAIFADDR"), e.getMessage());
            assertNull(k.get("tap0"), "FreeBSD " + release + ": the interface this open created is gone");
            assertEquals(0, k.openFds(), "FreeBSD " + release + ": no fd left open");
        }
    }

    @Test
    void policiesAndNames() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        k.createInterface("tun3", "tun");
        assertThrows(DeviceBusyException.class,
                () -> Fakes.open(k, DeviceConfig.tun().name("tun3").openPolicy(OpenPolicy.CREATE_NEW).build()));
        assertThrows(DeviceNotFoundException.class,
                () -> Fakes.open(k, DeviceConfig.tun().name("tun4").openPolicy(OpenPolicy.ATTACH_EXISTING).build()));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> Fakes.open(k, DeviceConfig.tun().name("vpn 0").build()));
        assertTrue(e.getMessage().contains("letters, digits"), e.getMessage());
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().name("tun9").build())) {
            assertEquals("tun9", d.name(), "/dev/tunN creates that unit");
        }
    }

    @Test
    void aWriteTheKernelDropsBecauseTheLinkIsDownFails() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.1.0.1/24").build())) {
            synchronized (k) {
                k.get("tun0").flags &= ~BsdAbi.IFF_UP; // brought down by another program
            }
            TunTapException e = assertThrows(TunTapException.class, () -> d.write(packet()));
            assertTrue(e.getMessage().contains("down"), e.getMessage());
        }
    }

    @Test
    void tapMacAddress() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        MacAddress mac = MacAddress.parse("02:00:00:aa:bb:cc");
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().macAddress(mac).build())) {
            assertEquals(mac, ((TapDevice) d).macAddress());
            assertEquals(mac, MacAddress.of(k.get(d.name()).mac));
        }
        assertEquals(0, k.openIfaddrLists(), "every getifaddrs list freed");
    }

    @Test
    void aPeerInTheConfigurationKeepsTheTunPointToPoint() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(15);
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.2.0.1/24")
                .address(io.tuntap.DeviceAddress.parse("10.3.0.1/32 peer 10.3.0.2")).build())) {
            assertEquals(BsdAbi.IFF_POINTOPOINT,
                    k.get(d.name()).flags & (BsdAbi.IFF_BROADCAST | BsdAbi.IFF_POINTOPOINT));
            assertTrue(d.capabilities().contains(io.tuntap.Capability.PEER_ADDRESSES));
            assertTrue(d.addresses().contains(io.tuntap.DeviceAddress.parse("10.3.0.1/32 peer 10.3.0.2")),
                    d.addresses().toString());
            assertTrue(d.addresses().contains(io.tuntap.DeviceAddress.parse("10.2.0.1/24")), d.addresses().toString());
            assertThrows(InvalidConfigurationException.class,
                    () -> d.addAddress(io.tuntap.DeviceAddress.parse("fd03::1/64 peer fd03::2")),
                    "KAME: an IPv6 destination needs /128");
        }
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.2.0.1/24").build())) {
            assertFalse(d.capabilities().contains(io.tuntap.Capability.PEER_ADDRESSES),
                    "broadcast mode: a peer would be taken as the broadcast address");
            assertTrue(k.routes.stream().noneMatch(r -> r.prefix() == 24 && r.gateway().getHostAddress()
                    .equals("10.2.0.1")), "broadcast mode: the kernel's own prefix route, none added: " + k.routes);
        }
    }

    @Test
    void anyNameByRenamingAClonedUnit() throws Exception {
        FakeFreeBsd k = new FakeFreeBsd(14);
        BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().name("vpn0").address("10.4.0.1/24").build());
        assertEquals("vpn0", d.name());
        assertNotNull(k.get("vpn0"));
        assertNull(k.get("tun0"), "tun0 was renamed");
        assertTrue(d.capabilities().contains(io.tuntap.Capability.CHOOSE_NAME));
        io.tuntap.DeviceBusyException busy = assertThrows(io.tuntap.DeviceBusyException.class,
                () -> Fakes.open(k, DeviceConfig.tun().name("vpn0").openPolicy(OpenPolicy.CREATE_NEW).build()));
        assertNotNull(busy);
        k.createInterface("wg0", "tun"); // a name taken by another interface appears between check and rename
        d.close();
        assertNull(k.get("vpn0"), "destroyed by its current name after close");
        assertEquals(0, k.openFds());
    }

    @Test
    void aTapOpensBecauseTunsifpidGoesToTunOnly() throws Exception {
        // freebsd/freebsd-src sys/net/if_tuntap.c@002829ea tunioctl: TUNSIFPID is a case of the switch for
        // !l2tun only; on a tap it falls through to the common switch, whose default returns ENOTTY.
        for (int release : new int[] {14, 15}) {
            FakeFreeBsd k = new FakeFreeBsd(release);
            try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().address("10.1.0.1/24").build())) {
                assertEquals("tap0", d.name(), "FreeBSD " + release);
            }
            int fd = k.open("/dev/tap", BsdAbi.O_RDWR);
            assertEquals(-1, k.ioctl(fd, BsdAbi.FREEBSD.tunsifpid, 0), "the fake refuses it as the kernel does");
            assertEquals(BsdErrno.ENOTTY, k.errno());
            k.close(fd);
        }
    }

    @Test
    void anMtuBelowIfMinmtuIsRefusedBeforeAnyCall() throws Exception {
        // freebsd/freebsd-src sys/net/if_var.h@02b199f1: IF_MINMTU 72; ifhwioctl SIOCSIFMTU answers EINVAL
        // below it.
        FakeFreeBsd k = new FakeFreeBsd(15);
        InvalidConfigurationException open = assertThrows(InvalidConfigurationException.class,
                () -> Fakes.open(k, DeviceConfig.tun().mtu(71).build()));
        assertTrue(open.getMessage().contains("72 to 65535"), open.getMessage());
        assertTrue(k.calls.isEmpty(), "nothing reached the kernel: " + k.calls);
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build())) {
            int ioctls = k.calls.getOrDefault("ioctl", 0);
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> d.setMtu(70));
            assertTrue(e.getMessage().contains("72 to 65535"), e.getMessage());
            assertEquals(ioctls, k.calls.getOrDefault("ioctl", 0), "no SIOCSIFMTU sent");
            d.setMtu(72);
            assertEquals(72, d.mtu());
        }
    }

    @Test
    void aTapFrameAboveTapmruIsTooLarge() throws Exception {
        // sys/net/if_tap.h@a1174b3b: TAPMRU 65535; if_tuntap.c@002829ea tunwrite: EIO above mru (TAPMRU for a
        // tap without virtio-net header).
        FakeFreeBsd k = new FakeFreeBsd(15);
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().address("10.1.0.1/24").build())) {
            byte[] frame = new byte[65536];
            PacketTooLargeException e = assertThrows(PacketTooLargeException.class, () -> d.write(frame));
            assertTrue(e.getMessage().contains("65535"), e.getMessage());
            assertEquals(65535, d.write(new byte[65535]), "TAPMRU itself passes");
        }
    }
}
