// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceMode;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of the {@code tunnel} and {@code echo} options into device configurations and endpoints. */
class TunnelOptionsTest {

    @Test
    void everyOptionIsParsed() throws Exception {
        TunnelOptions o = TunnelOptions.parse(List.of("--mode", "tap", "--dev", "tap7", "--address", "10.0.0.1/24",
                "--address=fd00::1/64", "--mtu", "1400", "--local", "192.0.2.1:5000", "--remote", "[fd00::2]:6000",
                "--netns", "blue"));
        assertEquals(DeviceMode.TAP, o.device().mode());
        assertEquals("tap7", o.device().name().orElseThrow());
        assertEquals(List.of(DeviceAddress.parse("10.0.0.1/24"), DeviceAddress.parse("fd00::1/64")), o.device().addresses());
        assertEquals(1400, o.device().mtu().getAsInt());
        assertEquals(new InetSocketAddress("192.0.2.1", 5000), o.local());
        assertEquals(new InetSocketAddress("fd00::2", 6000), o.remote());
        assertEquals("blue", o.netns());
    }

    @Test
    void defaultsAreTunWithSystemChosenNameAndNoNamespace() throws Exception {
        TunnelOptions o = TunnelOptions.parse(List.of("--local", "127.0.0.1:5000", "--remote", "127.0.0.1:5001"));
        assertEquals(DeviceMode.TUN, o.device().mode());
        assertTrue(o.device().name().isEmpty());
        assertTrue(o.device().addresses().isEmpty());
        assertTrue(o.device().mtu().isEmpty());
        assertTrue(o.device().up());
        assertNull(o.netns());
    }

    @Test
    void echoOptions() throws Exception {
        EchoCommand.EchoOptions o = EchoCommand.EchoOptions.parse(List.of("--dev", "tun9", "--address",
                "10.9.0.1/24", "--quiet", "--netns", "red"));
        assertEquals(DeviceMode.TUN, o.device().mode());
        assertEquals("tun9", o.device().name().orElseThrow());
        assertEquals(List.of(DeviceAddress.parse("10.9.0.1/24")), o.device().addresses());
        assertTrue(o.quiet());
        assertEquals("red", o.netns());
    }

    @Test
    void endpointsFormatWithBracketsForIpv6() {
        assertEquals("10.0.0.1:5000", Main.format(new InetSocketAddress("10.0.0.1", 5000)));
        assertEquals("[fd00::1]:5000", Main.format(new InetSocketAddress("fd00::1", 5000)));
    }
}
