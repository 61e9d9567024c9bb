// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DeviceConfigTest {
    @Test
    void defaultsAreAnUpDeviceWithANameTheSystemChooses() throws Exception {
        DeviceConfig c = DeviceConfig.tun().build();
        assertEquals(DeviceMode.TUN, c.mode());
        assertTrue(c.name().isEmpty());
        assertEquals(OptionalInt.empty(), c.mtu());
        assertEquals(1, c.queues());
        assertEquals(OpenPolicy.CREATE_OR_ATTACH, c.openPolicy());
        assertEquals(Offload.AUTO, c.offload());
        assertTrue(c.up());
        assertTrue(!c.persistent() && c.owner().isEmpty() && c.group().isEmpty() && c.addresses().isEmpty());
    }

    @Test
    void keepsEverythingItWasGivenAndRoundTripsThroughToBuilder() throws Exception {
        DeviceConfig c = DeviceConfig.tap().name("tap7").mtu(9000).persistent(true).owner(1000).group(100).queues(4)
                .openPolicy(OpenPolicy.CREATE_NEW).address("10.0.0.1/24").address(IpPrefix.parse("fd00::1/64"))
                .up(false).macAddress(MacAddress.parse("02:00:00:00:00:07")).offload(Offload.OFF).build();
        assertEquals("tap7", c.name().orElseThrow());
        assertEquals(9000, c.mtu().getAsInt());
        assertEquals(List.of(DeviceAddress.parse("10.0.0.1/24"), DeviceAddress.parse("fd00::1/64")), c.addresses());
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.hashCode(), c.toBuilder().build().hashCode());
        assertTrue(c.toString().contains("tap7"));
    }

    private static final DeviceOption<Integer> RING = DeviceOption.of("wintun", "ring-capacity", Integer.class);
    private static final DeviceOption<Boolean> P2P = DeviceOption.of("bsd", "point-to-point", Boolean.class);

    @Test
    void carriesPeersRoutesAndOptionsOfSeveralBackends() throws Exception {
        Route route = Route.via(IpPrefix.parse("10.8.0.0/16"), IpPrefix.parse("10.7.0.2").address()).withMetric(5);
        DeviceConfig c = DeviceConfig.tun().address("10.7.0.1/32 peer 10.7.0.2").route(route)
                .option(RING, 1 << 22).option(P2P, false).build();
        assertEquals(List.of(DeviceAddress.pointToPoint(IpPrefix.parse("10.7.0.1/32"),
                IpPrefix.parse("10.7.0.2").address())), c.addresses());
        assertEquals(List.of(route), c.routes());
        assertEquals(Optional.of(1 << 22), c.option(RING));
        assertEquals(Optional.of(false), c.option(P2P));
        assertEquals(Optional.empty(), c.option(DeviceOption.of("wintun", "tunnel-type", String.class)));
        assertEquals(List.of(RING, P2P), List.copyOf(c.options()));
        assertEquals(c, c.toBuilder().build());
        assertNotEquals(c, c.toBuilder().option(RING, 1 << 20).build(), "option values count for equality");
        assertTrue(c.toString().contains("wintun/ring-capacity=4194304"), c.toString());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void anOptionValueOfTheWrongTypeIsAProblem() {
        DeviceOption raw = RING;
        assertTrue(problem(DeviceConfig.tun().option(raw, "big")).contains("takes a Integer, not a String"));
    }

    private static String problem(DeviceConfig.Builder b) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, b::build);
        assertTrue(e.getMessage().startsWith("invalid device configuration: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void invalidCombinationsAreRejectedWithTheReason() {
        assertTrue(problem(DeviceConfig.tun().mtu(67)).contains("MTU 67 is out of range"));
        assertTrue(problem(DeviceConfig.tun().mtu(70000)).contains("out of range"));
        assertTrue(problem(DeviceConfig.tun().queues(0)).contains("queue count 0"));
        assertTrue(problem(DeviceConfig.tun().owner(-2)).contains("owner uid -2"));
        assertTrue(problem(DeviceConfig.tun().group(-1)).contains("group gid -1"));
        assertTrue(problem(DeviceConfig.tun().name("")).contains("non-empty"));
        assertTrue(problem(DeviceConfig.tun().openPolicy(OpenPolicy.ATTACH_EXISTING)).contains("needs the name"));
        assertTrue(problem(DeviceConfig.tun().macAddress(MacAddress.parse("02:00:00:00:00:01"))).contains("TAP"));
        assertTrue(problem(DeviceConfig.tap().macAddress(MacAddress.parse("01:00:5e:00:00:01"))).contains("multicast"));
        assertTrue(problem(DeviceConfig.tap().macAddress(MacAddress.parse("ff:ff:ff:ff:ff:ff"))).contains("broadcast"));
        assertTrue(problem(DeviceConfig.tap().macAddress(MacAddress.parse("00:00:00:00:00:00"))).contains("names no interface"));
        sameMistakeSameWay("fe80::1%eth0/64", "scope id");
        assertTrue(problem(DeviceConfig.tun().address("10.0.0.1/24").address("10.0.0.1/24")).contains("twice"));
        assertTrue(problem(DeviceConfig.tun().mtu(1000).address("fd00::1/64")).contains("1280"));
        sameMistakeSameWay("10.0.0.1/33", "prefix length 33");
        sameMistakeSameWay("host.example", "not an IP address literal");
        sameMistakeSameWay("10.0.0.1/32 peer fd00::2", "different families");
        assertTrue(problem(DeviceConfig.tun().address("10.0.0.1/24").address("10.0.0.1/24 peer 10.0.0.9"))
                .contains("twice"), "the same local address with and without a peer is listed twice");
        Route r = Route.onLink(IpPrefix.parse("10.8.0.0/16"));
        assertTrue(problem(DeviceConfig.tun().route(r).route(r)).contains("route is listed twice"));
        assertTrue(problem(DeviceConfig.tun().route(r).up(false)).contains("needs the link up"));
    }

    @Test
    void theFirstProblemIsTheOneReported() {
        assertTrue(problem(DeviceConfig.tun().mtu(1).queues(0)).contains("MTU 1"));
    }

    /**
     * A malformed address fails at once with IllegalArgumentException, and the same way (type and message)
     * whether the builder parses the text or the caller does: one error channel.
     */
    private static void sameMistakeSameWay(String text, String expected) {
        IllegalArgumentException viaString = assertThrows(IllegalArgumentException.class,
                () -> DeviceConfig.tun().address(text));
        IllegalArgumentException viaValue = assertThrows(IllegalArgumentException.class,
                () -> DeviceConfig.tun().address(DeviceAddress.parse(text)));
        assertTrue(viaString.getMessage().contains(expected), viaString.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals(viaValue.getMessage(), viaString.getMessage());
    }
}
