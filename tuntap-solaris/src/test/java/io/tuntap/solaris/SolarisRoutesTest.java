// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.solaris.jna.RouteMessages;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing socket requests: a golden RTM_ADD, on-link routes, metrics refused, routes deleted by others. */
class SolarisRoutesTest {

    /**
     * RTM_ADD of 10.98.8.0/24 via 10.98.0.2 on tun0 (index 2), pid 4242, seq 1, written out by hand from illumos
     * {@code <net/route.h>} and {@code <net/if_dl.h>} for amd64 (little-endian): the 0x4c-byte rt_msghdr, then
     * sockaddr_in DST, GATEWAY, NETMASK (16 bytes each) and the sockaddr_dl IFP (252 bytes, padded to 256).
     */
    private static final String RTM_ADD_10_98_8_0_24 = ""
            // msglen 380, version 3, type RTM_ADD, index 2, pad
            + "7c01" + "03" + "01" + "0200" + "0000"
            // flags RTF_UP|RTF_GATEWAY|RTF_STATIC, addrs DST|GATEWAY|NETMASK|IFP, pid 4242, seq 1
            + "03080000" + "17000000" + "92100000" + "01000000"
            // errno, use, inits, then rt_metrics (10 x u32)
            + "00".repeat(12) + "00".repeat(40)
            // RTA_DST 10.98.8.0
            + "0200" + "0000" + "0a620800" + "00".repeat(8)
            // RTA_GATEWAY 10.98.0.2
            + "0200" + "0000" + "0a620002" + "00".repeat(8)
            // RTA_NETMASK 255.255.255.0
            + "0200" + "0000" + "ffffff00" + "00".repeat(8)
            // RTA_IFP: AF_LINK 25, index 2, type 0, nlen 4, alen 0, slen 0, "tun0", zeros to 252, padding to 256
            + "1900" + "0200" + "00" + "04" + "00" + "00" + "74756e30" + "00".repeat(240) + "00".repeat(4);

    @Test
    void rtmAddOfAGatewayRouteMatchesTheGoldenBytes() throws Exception {
        ByteBuffer m = ByteBuffer.allocate(2048).order(ByteOrder.LITTLE_ENDIAN);
        Route route = Route.via(IpPrefix.parse("10.98.8.0/24"), InetAddress.getByName("10.98.0.2"));
        int length = SolarisRoutes.build(m, RouteMessages.RTM_ADD, 1, 4242, route, route.gateway().get(), 2, "tun0");
        assertEquals(380, length);
        byte[] bytes = new byte[length];
        m.get(0, bytes);
        assertEquals(RTM_ADD_10_98_8_0_24, HexFormat.of().formatHex(bytes));
    }

    @Test
    void theFakeKernelTakesTheGoldenBytesAndRefusesTheSameRouteTwice() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, DeviceConfig.tun().address("10.98.0.1/24").up(true).build())) {
            Route route = Route.via(IpPrefix.parse("10.98.8.0/24"), InetAddress.getByName("10.98.0.2"));
            d.addRoute(route);
            byte[] written = kernel.routeRequests().get(0);
            ByteBuffer w = ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN);
            // pid and seq vary; the rest is the golden message for the device's index.
            w.putInt(RouteMessages.RTM_PID, 4242).putInt(RouteMessages.RTM_SEQ, 1);
            assertEquals("tun0", d.name());
            assertEquals(2, d.index(), "the fake kernel's first interface index");
            assertEquals(RTM_ADD_10_98_8_0_24, HexFormat.of().formatHex(written));
            assertEquals(List.of("10.98.8.0/255.255.255.0 gw 10.98.0.2 flags 0x803 " + d.name()), kernel.routeTable());
            assertThrows(io.tuntap.DeviceBusyException.class, () -> d.addRoute(route));
        }
        assertEquals(List.of(), kernel.leftovers(), "the interface's routes go with it");
    }

    @Test
    void anOnLinkRouteNamesTheInterfaceByItsOwnAddress() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, DeviceConfig.tap().address("10.97.0.1/24").up(true).build())) {
            Route route = Route.onLink(IpPrefix.parse("10.98.7.0/24"));
            d.addRoute(route);
            assertEquals(List.of("10.98.7.0/255.255.255.0 gw 10.97.0.1 flags 0x801 " + d.name()), kernel.routeTable());
            assertEquals(List.of(route), d.routes());
        }
    }

    @Test
    void anOnLinkRouteWithoutAnAddressOfItsFamilyIsRefusedBeforeAnyRequest() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, DeviceConfig.tun().address("10.97.0.1/24").up(true).build())) {
            TunTapException e = assertThrows(TunTapException.class,
                    () -> d.addRoute(Route.onLink(IpPrefix.parse("fd97:1::/64"))));
            assertTrue(e.getMessage().contains("no IPv6 address"), e.getMessage());
            assertEquals(List.of(), kernel.routeRequests());
        }
    }

    @Test
    void aMetricIsRefusedWithoutAnyRequest() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, DeviceConfig.tun().address("10.98.0.1/24").up(true).build())) {
            Route route = Route.via(IpPrefix.parse("10.98.9.0/24"), InetAddress.getByName("10.98.0.2")).withMetric(7);
            UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> d.addRoute(route));
            assertTrue(e.getMessage().contains("no metric"), e.getMessage());
            assertEquals(List.of(), kernel.routeRequests());
        }
    }

    @Test
    void anUnreachableGatewayIsReportedWithTheKernelsError() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, DeviceConfig.tun().address("10.98.0.1/24").up(true).build())) {
            Route route = Route.via(IpPrefix.parse("10.98.9.0/24"), InetAddress.getByName("192.0.2.1"));
            TunTapException e = assertThrows(TunTapException.class, () -> d.addRoute(route));
            assertTrue(e.getMessage().contains("ENETUNREACH"), e.getMessage());
            assertEquals(List.of(), d.routes());
        }
    }

    @Test
    void aRouteDeletedByAnotherProgramIsNoLongerListed() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, DeviceConfig.tun().address("10.98.0.1/24").up(true).build())) {
            Route a = Route.via(IpPrefix.parse("10.98.8.0/24"), InetAddress.getByName("10.98.0.2"));
            Route b = Route.via(IpPrefix.parse("10.98.9.0/24"), InetAddress.getByName("10.98.0.3"));
            d.addRoute(a);
            d.addRoute(b);
            assertEquals(List.of(a, b), d.routes());
            kernel.deleteRouteBehindTheBack("10.98.8.0");
            assertEquals(List.of(b), d.routes());
        }
    }

    @Test
    void theMibRequestIsTheOneNetstatSends() {
        ByteBuffer ctl = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        SolarisRouteTable.request(ctl);
        // T_optmgmt_req {T_SVR4_OPTMGMT_REQ 9, OPT_length 12, OPT_offset 16, T_CURRENT 0x80},
        // opthdr {level MIB2_IP 260, name 0, len 0}
        assertEquals("09000000" + "0c000000" + "10000000" + "80000000" + "04010000" + "00000000" + "00000000",
                HexFormat.of().formatHex(ctl.array()));
    }

    @Test
    void mibRouteEntriesAreReadAtTheirOffsets() throws Exception {
        // Two mib2_ipRouteEntry_t of 156 bytes, written from <inet/mib2.h>: ipRouteDest at 0, ipRouteIfIndex
        // (int o_length, char o_bytes[32]) at 4, ipRouteNextHop at 56, ipRouteMask at 72, re_flags at 112.
        ByteBuffer b = ByteBuffer.allocate(2 * 156).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {10, 98, 8, 0}).putInt(4, 4).put(8, "tun0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put(56, new byte[] {10, 98, 0, 2}).put(72, new byte[] {(byte) 255, (byte) 255, (byte) 255, 0})
                .putInt(112, 0x803);
        b.put(156, new byte[] {10, 98, 0, 0}).putInt(160, 6).put(164, "tun0:1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put(156 + 56, new byte[] {10, 98, 0, 1}).put(156 + 72, new byte[] {(byte) 255, (byte) 255, 0, 0})
                .putInt(156 + 112, 0x801);
        List<Route> out = new java.util.ArrayList<>();
        SolarisRouteTable.parseIpv4(b, b.capacity(), 156, "tun0", out);
        assertEquals(List.of(Route.via(IpPrefix.parse("10.98.8.0/24"), InetAddress.getByName("10.98.0.2")),
                Route.onLink(IpPrefix.parse("10.98.0.0/16"))), out);
        // mib2_ipv6RouteEntry_t of 152 bytes: dest at 0, prefix length at 16, ifIndex at 24, next hop at 60,
        // re_flags at 148. A larger entry size from the kernel (newer fields) is stepped over.
        ByteBuffer v6 = ByteBuffer.allocate(160).order(ByteOrder.LITTLE_ENDIAN);
        v6.put(0, InetAddress.getByName("fd98:8::").getAddress()).putInt(16, 64).putInt(24, 4)
                .put(28, "tun0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put(60, InetAddress.getByName("fd98::2").getAddress()).putInt(148, 0x803);
        out.clear();
        SolarisRouteTable.parseIpv6(v6, v6.capacity(), 160, "tun0", out);
        assertEquals(List.of(Route.via(IpPrefix.parse("fd98:8::/64"), InetAddress.getByName("fd98::2"))), out);
        out.clear();
        SolarisRouteTable.parseIpv6(v6, v6.capacity(), 160, "tun1", out);
        assertEquals(List.of(), out, "another interface's routes are not listed");
    }

    @Test
    void staticRoutesOfOtherProgramsAreListedAndTheKernelsOwnAreNot() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, DeviceConfig.tun().address("10.98.0.1/24").address("fd98::1/64").up(true)
                .build())) {
            kernel.addRouteBehindTheBack("10.99.0.0", "255.255.0.0", "10.98.0.9", true, d.name());
            kernel.addRouteBehindTheBack("fd99::", "ffff:ffff:ffff:ffff::", "fd98::1", false, d.name());
            kernel.addRouteBehindTheBack("10.100.0.0", "255.255.0.0", "10.98.0.9", true, "tun7");
            assertEquals(List.of(Route.via(IpPrefix.parse("10.99.0.0/16"), InetAddress.getByName("10.98.0.9")),
                    Route.onLink(IpPrefix.parse("fd99::/64"))), d.routes(),
                    "static routes through the interface; not its prefix routes, lo0's or another interface's");
            kernel.deleteRouteBehindTheBack("10.100.0.0");
        }
        assertEquals(List.of(), kernel.leftovers());
    }

    @Test
    void aFailureAtAnyStepOfTheMibReadIsReportedAndLeavesNoDescriptor() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = open(kernel, DeviceConfig.tun().address("10.98.0.1/24").up(true).build())) {
            Route route = Route.via(IpPrefix.parse("10.98.8.0/24"), InetAddress.getByName("10.98.0.2"));
            d.addRoute(route);
            int failures = 0;
            for (int n = 0; ; n++) {
                kernel.failCall(n, io.tuntap.solaris.jna.Errno.EIO);
                try {
                    assertEquals(List.of(route), d.routes());
                    break;
                } catch (TunTapException e) {
                    failures++;
                    assertTrue(e.getMessage().contains("EIO"), e.getMessage());
                }
            }
            assertTrue(failures >= 4, "open, both pushes, putmsg and getmsg can fail: " + failures);
            kernel.clearFailure();
        }
        assertEquals(List.of(), kernel.leftovers());
    }

    private static TunTapDevice open(FakeSunOsKernel kernel, DeviceConfig config) throws TunTapException {
        return new SolarisDeviceOpener(new SunOs(kernel, kernel)).open(config);
    }

    @Test
    void routesGivenAtOpenAreAdded() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        Route route = Route.via(IpPrefix.parse("10.98.8.0/24"), InetAddress.getByName("10.98.0.2"));
        try (TunTapDevice d = open(kernel, DeviceConfig.builder(DeviceMode.TUN).address("10.98.0.1/24").up(true)
                .route(route).build())) {
            assertEquals(List.of(route), d.routes());
        }
    }
}
