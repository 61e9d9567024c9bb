// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.Route;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.testkit.EchoResponder;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Windows pings through a device: the test answers ICMP echo on the device (an {@link EchoResponder}), and
 * {@link InetAddress#isReachable} (ICMP on Windows) must get the replies, to an address of the device's
 * subnet and to one reached through a route added with IP Helper. Real adapters, Administrator, Windows only.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsPingIT {

    private static void pingThrough(TunTapDevice d, EchoResponder responder) throws Exception {
        Thread server = new Thread(() -> {
            try {
                responder.serve(d);
            } catch (TunTapException e) {
                // closed
            }
        }, "echo-responder");
        server.start();
        try {
            assertTrue(InetAddress.getByName("10.97.0.2").isReachable(3000), "10.97.0.2 on the device's subnet");
            d.addRoute(Route.via(IpPrefix.parse("10.96.0.0/24"), InetAddress.getByName("10.97.0.2")));
            assertTrue(InetAddress.getByName("10.96.0.9").isReachable(3000), "10.96.0.9 through the added route");
        } finally {
            d.close();
            server.join(2000);
        }
    }

    @Test
    void pingsThroughWintun() throws Exception {
        WintunProvider p = new WintunProvider();
        WindowsHost.requireOrSkip(p.availability().isAvailable(), () -> p.availability().detail());
        pingThrough(p.open(DeviceConfig.tun().name("tuntap-ping-" + ProcessHandle.current().pid())
                .address("10.97.0.1/24").build()), EchoResponder.forTun());
    }

    @Test
    void pingsThroughTapWindows6InTunMode() throws Exception {
        TapWindowsProvider p = new TapWindowsProvider();
        WindowsHost.requireOrSkip(p.availability().isAvailable(), () -> p.availability().detail());
        pingThrough(p.open(DeviceConfig.tun().address("10.97.0.1/24").build()), EchoResponder.forTun());
    }

    @Test
    void pingsThroughTapWindows6InTapMode() throws Exception {
        TapWindowsProvider p = new TapWindowsProvider();
        WindowsHost.requireOrSkip(p.availability().isAvailable(), () -> p.availability().detail());
        TunTapDevice d = p.open(DeviceConfig.tap().address("10.97.0.1/24").build());
        pingThrough(d, EchoResponder.forTap(io.tuntap.MacAddress.parse("02:00:00:97:00:02"),
                List.of(InetAddress.getByName("10.97.0.2"), InetAddress.getByName("10.96.0.9"))));
    }
}
