// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.Packets;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Routes, point-to-point peers and device listing on real devices, with {@code ip} as the witness: what the
 * API does shows in {@code ip route} and {@code ip addr}, and what {@code ip tuntap add} makes shows in
 * {@link TunTap#devices()}.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class LinuxRoutesAndDevicesIT {
    private TestNetwork ns;

    @BeforeEach
    void createNamespace() throws Exception {
        ns = TestNetwork.create();
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        ns.close();
    }

    private String ip(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        TestNetwork.Result r = ns.exec(command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r.output());
        return r.output();
    }

    @Test
    void routesAddedThroughTheApiAreInTheKernelTableUntilRemoved() throws Exception {
        Route configured = Route.onLink(IpPrefix.parse("10.71.0.0/16"));
        try (TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("tr0").address("10.70.0.1/24")
                .address("fd70::1/64").route(configured).build()))) {
            Route v4 = Route.via(IpPrefix.parse("10.72.0.0/16"), InetAddress.getByName("10.70.0.2")).withMetric(42);
            Route v6 = Route.via(IpPrefix.parse("fd72::/48"), InetAddress.getByName("fd70::2")).withMetric(42);
            tun.addRoute(v4);
            tun.addRoute(v6);
            String table4 = ip("-4", "route", "show", "dev", "tr0");
            String table6 = ip("-6", "route", "show", "dev", "tr0");
            assertTrue(table4.contains("10.71.0.0/16 proto static scope link"), table4);
            assertTrue(table4.contains("10.72.0.0/16 via 10.70.0.2 proto static metric 42"), table4);
            assertTrue(table6.contains("fd72::/48 via fd70::2 proto static metric 42"), table6);
            List<Route> listed = tun.routes();
            assertTrue(listed.containsAll(List.of(configured, v4, v6)), listed.toString());
            assertTrue(listed.contains(Route.onLink(IpPrefix.parse("10.70.0.0/24"))),
                    "the kernel's own prefix route is listed too: " + listed);

            tun.removeRoute(v4);
            tun.removeRoute(v6);
            tun.removeRoute(configured);
            table4 = ip("-4", "route", "show", "dev", "tr0");
            table6 = ip("-6", "route", "show", "dev", "tr0");
            assertFalse(table4.contains("10.72.0.0/16") || table4.contains("10.71.0.0/16"), table4);
            assertFalse(table6.contains("fd72::/48"), table6);
            assertFalse(tun.routes().contains(v4));
        }
    }

    @Test
    void aPeerAddressShowsAsPeerInIpAddr() throws Exception {
        DeviceAddress p2p4 = DeviceAddress.parse("10.73.0.1/32 peer 10.73.0.2");
        DeviceAddress p2p6 = DeviceAddress.parse("fd73::1/128 peer fd73::2");
        try (TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("tr1").address(p2p4).build()))) {
            tun.addAddress(p2p6);
            String shown = ip("addr", "show", "dev", "tr1");
            assertTrue(shown.contains("inet 10.73.0.1 peer 10.73.0.2/32"), shown);
            assertTrue(shown.contains("inet6 fd73::1 peer fd73::2/128"), shown);
            assertTrue(tun.addresses().containsAll(List.of(p2p4, p2p6)), tun.addresses().toString());
            String routes = ip("-4", "route", "show", "dev", "tr1");
            assertTrue(routes.contains("10.73.0.2 proto kernel scope link src 10.73.0.1"),
                    "the peer is reached through the device: " + routes);
            tun.removeAddress(p2p4.local());
            assertFalse(ip("addr", "show", "dev", "tr1").contains("10.73.0.1"));
        }
    }

    @Test
    void anIpv6AddressCanBeBoundToWhenOpenReturns() throws Exception {
        // Without IFA_F_NODAD the kernel marks the address tentative until its delayed DAD work runs: about a
        // second on a tap, which probes the link; a moment on a tun, which does not. A bind then fails. The
        // namespace turns DAD off for addresses the tests add with ip; here it is on, as on a host.
        ns.execOrFail("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=1");
        ns.run(() -> {
            try (TunTapDevice tap = TunTap.open(DeviceConfig.tap().name("tr3").address("fd74::1/64").build());
                    TunTapDevice tun = TunTap.open(DeviceConfig.tun().name("tr4").address("fd75::1/64").build());
                    DatagramSocket onTap = new DatagramSocket(new InetSocketAddress("fd74::1", 0));
                    DatagramSocket onTun = new DatagramSocket(new InetSocketAddress("fd75::1", 0))) {
                assertTrue(onTap.isBound() && onTun.isBound());
                assertTrue(tap.isOpen() && tun.isOpen());
            }
            return null;
        });
        ns.run(() -> {
            try (TunTapDevice tap = TunTap.open(DeviceConfig.tap().name("tr3").build())) {
                tap.addAddress(IpPrefix.parse("fd76::1/64"));
                String shown = ip("-6", "addr", "show", "dev", "tr3");
                // The kernel's own link-local address is still tentative; the one added here is not.
                assertTrue(shown.lines().anyMatch(l -> l.contains("fd76::1/64") && !l.contains("tentative")), shown);
            }
            return null;
        });
    }

    @Test
    void aDatagramWrittenToANewIpv6AddressIsDeliveredWhenOpenReturns() throws Exception {
        // The kernel installs the local route of an IPv6 address from its work queue, a moment after it has
        // acknowledged the address: a datagram written in that moment was dropped. Many rounds, since the
        // window is short.
        byte[] payload = "delivered".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 40; round++) {
            int r = round;
            ns.run(() -> {
                try (TunTapDevice tun = TunTap.open(DeviceConfig.tun().name("tr5").address("fd77::1/64").build());
                        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("fd77::1", 7700))) {
                    socket.setSoTimeout(5_000);
                    tun.write(ByteBuffer.wrap(Packets.udp(new InetSocketAddress("fd77::2", 7701),
                            new InetSocketAddress("fd77::1", 7700), payload)));
                    DatagramPacket got = new DatagramPacket(new byte[64], 64);
                    socket.receive(got);
                    assertEquals("delivered", new String(got.getData(), 0, got.getLength(),
                            StandardCharsets.US_ASCII), "round " + r);
                }
                return null;
            });
        }
    }

    @Test
    void devicesListsTunAndTapDevicesOtherProgramsMade() throws Exception {
        ip("tuntap", "add", "dev", "other0", "mode", "tun");
        ip("tuntap", "add", "dev", "other1", "mode", "tap");
        try (TunTapDevice own = ns.run(() -> TunTap.open(DeviceConfig.tap().name("tr2").build()))) {
            List<DeviceInfo> devices = ns.run(TunTap::devices);
            int index0 = Integer.parseInt(ip("-o", "link", "show", "other0").split(":")[0].trim());
            assertTrue(devices.contains(new DeviceInfo("other0", index0, DeviceMode.TUN, "linux")), devices.toString());
            assertTrue(devices.stream().anyMatch(d -> d.name().equals("other1") && d.mode() == DeviceMode.TAP),
                    devices.toString());
            assertTrue(devices.contains(new DeviceInfo("tr2", own.index(), DeviceMode.TAP, "linux")), devices.toString());
            assertFalse(devices.stream().anyMatch(d -> d.name().equals("lo")),
                    "only TUN and TAP devices: " + devices);
        }
    }
}
