// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.OpenPolicy;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.testkit.EchoResponder;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real devices in a throwaway namespace, with the kernel's own tools as witnesses: {@code ping} answered
 * by a responder built on the library, {@code ip} to see what exists.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class LinuxDeviceIT {
    private TestNetwork ns;

    @BeforeEach
    void createNamespace() throws Exception {
        ns = TestNetwork.create();
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        ns.close();
    }

    private TunTapDevice open(DeviceConfig config) throws Exception {
        return ns.run(() -> TunTap.open(config));
    }

    @Test
    void kernelPingsOverIpv4AndIpv6AreAnsweredThroughATunDevice() throws Exception {
        TunDevice tun = (TunDevice) open(DeviceConfig.tun().name("tt0").mtu(1400)
                .address("10.77.0.1/24").address("fd77::1/64").build());
        try {
            EchoResponder responder = EchoResponder.forTun();
            Thread server = serve(responder, tun);

            TestNetwork.Result v4 = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.2");
            TestNetwork.Result v6 = ns.exec("ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "fd77::2");

            assertEquals(0, v4.exitCode(), v4.output());
            assertTrue(v4.output().contains("3 received"), v4.output());
            assertEquals(0, v6.exitCode(), v6.output());
            assertTrue(v6.output().contains("3 received"), v6.output());
            assertTrue(responder.echoRepliesSent() >= 6);
            assertEquals(1400, tun.mtu());
            tun.close();
            server.join(1000);
            assertFalse(server.isAlive(), "close() must end the responder's blocked read");
        } finally {
            tun.close();
        }
    }

    @Test
    void theKernelResolvesArpAndNeighboursThroughATapDevice() throws Exception {
        MacAddress deviceMac = MacAddress.parse("02:00:00:77:00:01");
        try (TapDevice tap = (TapDevice) open(DeviceConfig.tap().name("tt1").macAddress(deviceMac)
                .address("10.78.0.1/24").address("fd78::1/64").build())) {
            assertEquals(deviceMac, tap.macAddress());
            EchoResponder responder = EchoResponder.forTap(MacAddress.parse("02:00:00:78:00:02"),
                    List.of(InetAddress.getByName("10.78.0.2"), InetAddress.getByName("fd78::2")));
            serve(responder, tap);

            TestNetwork.Result v4 = ns.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.78.0.2");
            TestNetwork.Result v6 = ns.exec("ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", "fd78::2");
            TestNetwork.Result neighbours = ns.exec("ip", "neigh", "show", "dev", "tt1");

            assertEquals(0, v4.exitCode(), v4.output());
            assertEquals(0, v6.exitCode(), v6.output());
            assertTrue(responder.arpRepliesSent() >= 1, "the kernel asked ARP through the device");
            assertTrue(responder.neighborAdvertisementsSent() >= 1, "the kernel asked ND through the device");
            assertTrue(neighbours.output().contains("02:00:00:78:00:02"), neighbours.output());
        }
    }

    @Test
    void addressesMtuAndLinkStateAreConfiguredNatively() throws Exception {
        try (TunTapDevice tun = open(DeviceConfig.tun().name("tt2").up(false).build())) {
            assertFalse(tun.isUp());
            tun.setUp(true);
            assertTrue(tun.isUp());
            tun.setMtu(1280);
            IpPrefix v4 = IpPrefix.parse("10.79.0.1/24");
            IpPrefix v6 = IpPrefix.parse("fd79::1/64");
            tun.addAddress(v4);
            tun.addAddress(v6);
            assertTrue(tun.addresses().containsAll(List.of(DeviceAddress.of(v4), DeviceAddress.of(v6))),
                    tun.addresses().toString());
            String shown = ns.exec("ip", "addr", "show", "dev", "tt2").output();
            assertTrue(shown.contains("mtu 1280") && shown.contains("10.79.0.1/24") && shown.contains("fd79::1/64"), shown);

            assertThrows(DeviceBusyException.class, () -> tun.addAddress(v4));
            tun.removeAddress(v4);
            assertFalse(tun.addresses().contains(DeviceAddress.of(v4)));
            assertThrows(DeviceNotFoundException.class, () -> tun.removeAddress(v4));
            tun.setUp(false);
            assertTrue(ns.exec("ip", "link", "show", "dev", "tt2").output().contains("state DOWN"));
        }
    }

    @Test
    void aPersistentDeviceOutlivesItsHandleAndIsDeletedOnRequest() throws Exception {
        try (TunTapDevice tun = open(DeviceConfig.tun().name("tt3").persistent(true).build())) {
            assertTrue(tun.isPersistent());
        }
        assertTrue(Links.exists(ns, "tt3"), "persistent device survives close");
        try (TunTapDevice again = open(DeviceConfig.tun().name("tt3").openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
            assertTrue(again.isPersistent(), "attaching leaves persistence as it was");
            again.setPersistent(false);
        }
        assertFalse(Links.exists(ns, "tt3"), "no longer persistent: gone with its last handle");
    }

    @Test
    void attachesToADeviceMadeByAnotherProgram() throws Exception {
        assertEquals(0, ns.exec("ip", "tuntap", "add", "dev", "tt4", "mode", "tap", "multi_queue").exitCode());
        try (TunTapDevice tap = open(DeviceConfig.tap().name("tt4").queues(2)
                .openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
            assertInstanceOf(TapDevice.class, tap);
            assertEquals(2, tap.queues().size());
            assertTrue(tap.isUp());
        }
        assertTrue(Links.exists(ns, "tt4"), "a persistent device made by ip stays");
    }

    @Test
    void wrongKindsAndPoliciesAreRefusedWithTheirReason() throws Exception {
        try (TunTapDevice tun = open(DeviceConfig.tun().name("tt5").build())) {
            assertEquals("tt5", tun.name(), "this handle holds tt5 while the others are refused");
            TunTapException sameName = assertThrows(DeviceBusyException.class,
                    () -> open(DeviceConfig.tun().name("tt5").openPolicy(OpenPolicy.CREATE_NEW).build()));
            assertTrue(sameName.getMessage().contains("exists"), sameName.getMessage());
            TunTapException asTap = assertThrows(DeviceBusyException.class, () -> open(DeviceConfig.tap().name("tt5").build()));
            assertTrue(asTap.getMessage().contains("TUN"), asTap.getMessage());
            TunTapException inUse = assertThrows(DeviceBusyException.class, () -> open(DeviceConfig.tun().name("tt5").build()));
            assertTrue(inUse.getMessage().contains("single-queue device whose queue a file still holds"), inUse.getMessage());
        }
        assertThrows(DeviceBusyException.class, () -> open(DeviceConfig.tun().name("lo").build()));
        assertThrows(DeviceNotFoundException.class,
                () -> open(DeviceConfig.tun().name("tt6").openPolicy(OpenPolicy.ATTACH_EXISTING).build()));
    }

    @Test
    void theKernelChoosesANameWhenNoneIsGiven() throws Exception {
        try (TunTapDevice a = open(DeviceConfig.tun().build()); TunTapDevice b = open(DeviceConfig.tun().name("vpn%d").build())) {
            assertTrue(a.name().startsWith("tun"), a.name());
            assertEquals("vpn0", b.name());
            assertTrue(Links.exists(ns, a.name()) && Links.exists(ns, "vpn0"));
            assertTrue(a.index() > 0 && a.index() != b.index());
        }
    }

    @Test
    void aFailedOpenLeavesNoDeviceAndNoFileDescriptor() throws Exception {
        long fdsBefore = FileDescriptors.count();
        int linksBefore = Links.count(ns);
        // The kernel refuses MTU 65535 on a TAP device (its Ethernet header counts), after the device exists.
        DeviceConfig tooBig = DeviceConfig.tap().name("tt7").mtu(65535).persistent(true).build();
        TunTapException e = assertThrows(TunTapException.class, () -> open(tooBig));
        assertTrue(e.getMessage().contains("MTU 65535"), e.getMessage());
        assertFalse(Links.exists(ns, "tt7"), "the half-made (even persistent) device was removed");
        assertEquals(linksBefore, Links.count(ns));
        assertEquals(fdsBefore, FileDescriptors.count());
    }

    private static Thread serve(EchoResponder responder, TunTapDevice device) {
        Thread t = new Thread(() -> {
            try {
                responder.serve(device);
            } catch (TunTapException e) {
                throw new IllegalStateException(e);
            }
        }, "responder-" + device.name());
        t.setDaemon(true);
        t.start();
        return t;
    }
}
