// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceMode;
import io.tuntap.EventSubscription;
import io.tuntap.TunTapDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The device contract's cases for events. One of the themed classes that {@link TunTapDeviceContract} is made of; a
 * backend's test extends {@link TunTapDeviceContract} and so runs these with all the others. The harness (opening the
 * device, the peer, the addresses) is {@link ContractHarness}.
 */
public abstract class EventContract extends AddressRouteContract {
    /** For the next class in the contract. */
    protected EventContract() {
    }

    /** Changes arrive as events, in order, on the given executor, and stop once the subscription closes. */
    @EachMode
    public void changesArriveAsEventsInOrder(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.EVENTS);
            BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            EventSubscription subscription = d.subscribe(executor, events::add);
            try {
                assertTrue(subscription.isOpen());
                List<DeviceEvent> expected = new ArrayList<>();
                if (d.capabilities().contains(Capability.MTU)) {
                    d.setMtu(1400);
                    expected.add(new DeviceEvent.MtuChanged(1400));
                }
                if (d.capabilities().contains(Capability.IPV4_ADDRESSES)) {
                    DeviceAddress a = DeviceAddress.parse("10.99.3.1/24");
                    d.addAddress(a);
                    expected.add(new DeviceEvent.AddressAdded(a));
                    d.removeAddress(a.local());
                    expected.add(new DeviceEvent.AddressRemoved(a));
                }
                if (d.capabilities().contains(Capability.LINK_STATE)) {
                    d.setUp(false);
                    expected.add(new DeviceEvent.LinkChanged(false));
                }
                assertEventsInOrder(events, expected);
                subscription.close();
                assertFalse(subscription.isOpen());
                if (d.capabilities().contains(Capability.MTU)) {
                    d.setMtu(1300);
                    DeviceEvent late = events.poll(200, TimeUnit.MILLISECONDS);
                    assertFalse(late instanceof DeviceEvent.MtuChanged, "no event after close: " + late);
                }
            } finally {
                subscription.close();
                executor.shutdownNow();
            }
        }
    }

    /**
     * Waits until each expected event has arrived, in this order; other events (a kernel's own, such as IPv6
     * addresses leaving with the link) may come in between.
     */
    private void assertEventsInOrder(BlockingQueue<DeviceEvent> events, List<DeviceEvent> expected)
            throws InterruptedException {
        List<DeviceEvent> seen = new ArrayList<>();
        long deadline = System.nanoTime() + packetTimeout().toNanos();
        for (DeviceEvent want : expected) {
            while (true) {
                DeviceEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null) {
                    fail("event " + want + " did not arrive; saw " + seen + ", expected in order " + expected);
                }
                seen.add(e);
                if (e.equals(want)) {
                    break;
                }
            }
        }
    }
}
