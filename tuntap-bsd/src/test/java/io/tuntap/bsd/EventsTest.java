// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceEvent;
import io.tuntap.EventSubscription;
import io.tuntap.bsd.jna.BsdAbi;
import java.net.InetAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Events from changes another program makes, and from the interface going away, through each fake kernel's
 * routing socket; only the device's own interface counts.
 */
class EventsTest {

    private static DeviceEvent next(BlockingQueue<DeviceEvent> q) throws InterruptedException {
        DeviceEvent e = q.poll(5, TimeUnit.SECONDS);
        assertNotNull(e, "an event arrives");
        return e;
    }

    @Test
    void anotherProgramsChangesArriveAndOtherInterfacesDoNot() throws Exception {
        for (FakeKernel k : Fakes.all()) {
            try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build());
                    BsdTunTapDevice other = Fakes.open(k, DeviceConfig.tun().build())) {
                BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
                EventSubscription s = d.subscribe(Runnable::run, events::add);
                other.setMtu(1280); // another interface: nothing
                k.asOtherProgram(() -> k.interfaces.get(d.name()).mtu = 1380);
                assertEquals(new DeviceEvent.MtuChanged(1380), next(events), k.abi.toString());
                boolean up = d.isUp();
                k.asOtherProgram(() -> k.interfaces.get(d.name()).flags ^= BsdAbi.IFF_UP);
                assertEquals(new DeviceEvent.LinkChanged(!up), next(events), k.abi.toString());
                InetAddress local = InetAddress.getByName("10.7.0.1");
                InetAddress peer = InetAddress.getByName("10.7.0.2");
                k.asOtherProgram(() -> k.interfaces.get(d.name()).addresses.add(new FakeKernel.Addr(local, 32, peer)));
                // A broadcast-mode tun (FreeBSD, NetBSD without a configured peer) reports no peer.
                DeviceAddress expected = DeviceAddress.parse(d.capabilities().contains(Capability.PEER_ADDRESSES)
                        ? "10.7.0.1/32 peer 10.7.0.2" : "10.7.0.1/32");
                assertEquals(new DeviceEvent.AddressAdded(expected), next(events), k.abi.toString());
                s.close();
                k.asOtherProgram(() -> k.interfaces.get(d.name()).mtu = 1390);
                assertEquals(null, events.poll(200, TimeUnit.MILLISECONDS), "nothing after the subscription closed");
            }
        }
    }

    @Test
    void destroyedInterfaceIsReportedRemovedWhereTheSystemAnnouncesIt() throws Exception {
        for (FakeKernel k : Fakes.all()) {
            try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build())) {
                BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
                try (EventSubscription s = d.subscribe(Runnable::run, events::add)) {
                    assertTrue(s.isOpen());
                    k.asOtherProgram(() -> k.interfaces.remove(d.name()));
                    if (k.abi.os == BsdAbi.Os.DARWIN) {
                        assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS), "xnu has no RTM_IFANNOUNCE");
                    } else {
                        assertEquals(new DeviceEvent.Removed(), next(events), k.abi.toString());
                    }
                }
            }
            assertFalse(k.fds.values().stream().anyMatch(f -> f instanceof FakeKernel.SocketFd s
                    && s.domain == BsdAbi.AF_ROUTE), "the routing socket is closed with the subscription");
        }
    }

    @Test
    void aListenerOnTheWatcherThreadMayCloseItsSubscription() throws Exception {
        FakeKernel k = new FakeFreeBsd(15);
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build())) {
            BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
            EventSubscription[] self = new EventSubscription[1];
            synchronized (self) {
                self[0] = d.subscribe(Runnable::run, e -> {
                    synchronized (self) {
                        self[0].close(); // on the watcher thread itself: must not wait for itself
                    }
                    events.add(e);
                });
            }
            d.setMtu(1400);
            assertEquals(new DeviceEvent.MtuChanged(1400), next(events));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (routingSockets(k) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, routingSockets(k), "the watcher ended and closed its socket");
            assertFalse(self[0].isOpen());
        }
    }

    private static long routingSockets(FakeKernel k) {
        synchronized (k) {
            return k.fds.values().stream().filter(f -> f instanceof FakeKernel.SocketFd s
                    && s.domain == BsdAbi.AF_ROUTE).count();
        }
    }
}
