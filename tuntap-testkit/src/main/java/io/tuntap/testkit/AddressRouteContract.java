// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.TunTapDevice;
import io.tuntap.UnsupportedFeatureException;
import java.util.ArrayList;
import java.util.List;

/**
 * The device contract's cases for addresses, point-to-point peers and routes. One of the themed classes that {@link
 * TunTapDeviceContract} is made of; a backend's test extends {@link TunTapDeviceContract} and so runs these with all
 * the others. The harness (opening the device, the peer, the addresses) is {@link ContractHarness}.
 */
public abstract class AddressRouteContract extends LinkContract {
    /** For the next class in the contract. */
    protected AddressRouteContract() {
    }

    /** Addresses can be listed, added and removed; duplicates and missing ones are reported. */
    @EachMode
    public void addressesCanBeAddedListedAndRemoved(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            List<IpPrefix> wanted = new ArrayList<>();
            if (d.capabilities().contains(Capability.IPV4_ADDRESSES)) {
                assertTrue(d.addresses().contains(DeviceAddress.of(HOST_V4)), "configured address listed: "
                        + d.addresses());
                wanted.add(IpPrefix.parse("10.99.1.1/24"));
            }
            if (d.capabilities().contains(Capability.IPV6_ADDRESSES)) {
                assertTrue(d.addresses().contains(DeviceAddress.of(HOST_V6)), "configured address listed: "
                        + d.addresses());
                wanted.add(IpPrefix.parse("fd99:1::1/64"));
            }
            assumeTrue(!wanted.isEmpty(), "the device manages no addresses");
            for (IpPrefix a : wanted) {
                d.addAddress(a);
                assertTrue(d.addresses().contains(DeviceAddress.of(a)), a + " listed after adding: " + d.addresses());
                assertThrows(DeviceBusyException.class, () -> d.addAddress(a));
                d.removeAddress(a);
                assertFalse(d.addresses().contains(DeviceAddress.of(a)), a + " gone after removing: " + d.addresses());
                assertThrows(DeviceNotFoundException.class, () -> d.removeAddress(a));
            }
        }
    }

    /** An address with a point-to-point peer is listed with its peer and removed by its local address. */
    @EachMode
    public void peerAddressesAreListedWithTheirPeer(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.PEER_ADDRESSES);
            List<DeviceAddress> wanted = new ArrayList<>();
            if (d.capabilities().contains(Capability.IPV4_ADDRESSES)) {
                wanted.add(DeviceAddress.parse("10.99.2.1/32 peer 10.99.2.2"));
            }
            if (d.capabilities().contains(Capability.IPV6_ADDRESSES)) {
                wanted.add(DeviceAddress.parse("fd99:2::1/128 peer fd99:2::2"));
            }
            for (DeviceAddress a : wanted) {
                d.addAddress(a);
                assertTrue(d.addresses().contains(a), a + " listed with its peer: " + d.addresses());
                d.removeAddress(a.local());
                assertFalse(d.addresses().stream().anyMatch(x -> x.local().equals(a.local())), a + " gone: "
                        + d.addresses());
            }
        }
    }

    /**
     * Routes through the device can be added, listed and removed; duplicates and missing ones are reported; a
     * metric is kept where the system has route metrics and refused where it has none.
     */
    @EachMode
    public void routesCanBeAddedListedAndRemoved(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.ROUTES);
            int metric = d.capabilities().contains(Capability.ROUTE_METRICS) ? 7 : 0;
            List<Route> wanted = new ArrayList<>();
            if (d.capabilities().contains(Capability.IPV4_ADDRESSES)) {
                wanted.add(Route.onLink(IpPrefix.parse("10.98.7.0/24")));
                wanted.add(Route.via(IpPrefix.parse("10.98.8.0/24"), REMOTE_V4).withMetric(metric));
                if (metric == 0) {
                    Route withMetric = Route.via(IpPrefix.parse("10.98.9.0/24"), REMOTE_V4).withMetric(7);
                    assertThrows(UnsupportedFeatureException.class, () -> d.addRoute(withMetric));
                    assertFalse(d.routes().contains(withMetric.withMetric(0)), "a refused route is not added");
                }
            }
            if (d.capabilities().contains(Capability.IPV6_ADDRESSES)) {
                wanted.add(Route.via(IpPrefix.parse("fd98:8::/64"), REMOTE_V6).withMetric(metric));
            }
            for (Route r : wanted) {
                d.addRoute(r);
                assertTrue(d.routes().contains(r), r + " listed after adding: " + d.routes());
                assertThrows(DeviceBusyException.class, () -> d.addRoute(r));
                d.removeRoute(r);
                assertFalse(d.routes().contains(r), r + " gone after removing: " + d.routes());
                assertThrows(DeviceNotFoundException.class, () -> d.removeRoute(r));
            }
        }
    }
}
