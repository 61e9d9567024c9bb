// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceMode;
import io.tuntap.EventSubscription;
import io.tuntap.IpPrefix;
import io.tuntap.PacketChannel;
import io.tuntap.Route;
import io.tuntap.TunDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AbstractTunTapDeviceTest {
    /** A queue that records calls. */
    private static final class RecordingQueue implements PacketChannel {
        final List<String> calls = new ArrayList<>();
        boolean open = true;

        @Override
        public int read(ByteBuffer dst) {
            calls.add("read");
            return 1;
        }

        @Override
        public int read(ByteBuffer dst, Duration timeout) {
            calls.add("read " + timeout);
            return 0;
        }

        @Override
        public int write(ByteBuffer src) {
            calls.add("write");
            return src.remaining();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            calls.add("close");
            open = false;
        }
    }

    /** The least a backend writes. */
    private static final class Device extends AbstractTunTapDevice implements TunDevice {
        int deviceCloses;
        EventDispatcher dispatcher;
        /** The hooks the configuration methods called, in order. */
        final List<String> hooks = new ArrayList<>();
        /** What {@link #configurationLock()} answers. */
        Object lock;

        Device(Set<Capability> caps, List<RecordingQueue> queues) {
            super(DeviceMode.TUN, "tun5", 5, caps);
            attachQueues(queues);
        }

        @Override
        protected void closeDevice() {
            deviceCloses++;
        }

        @Override
        protected EventDispatcher.Source eventSource() {
            return new EventDispatcher.Source() {
                @Override
                public void start(EventDispatcher d) {
                    dispatcher = d;
                }

                @Override
                public void stop() {
                }
            };
        }

        @Override
        protected Object configurationLock() {
            return lock;
        }

        /** Records the hook, and whether it ran under the configuration lock. */
        private void hook(String name) {
            hooks.add(name + (lock != null && Thread.holdsLock(lock) ? " locked" : ""));
        }

        @Override
        protected int fetchMtu() {
            hook("fetchMtu");
            return 1500;
        }

        @Override
        protected void storeMtu(int mtu) {
            hook("storeMtu " + mtu);
        }

        @Override
        protected boolean fetchUp() {
            hook("fetchUp");
            return true;
        }

        @Override
        protected void storeUp(boolean up) {
            hook("storeUp " + up);
        }

        @Override
        protected List<DeviceAddress> fetchAddresses() {
            hook("fetchAddresses");
            return List.of();
        }

        @Override
        protected void insertAddress(DeviceAddress address) {
            hook("insertAddress " + address);
        }

        @Override
        protected void deleteAddress(IpPrefix local) {
            hook("deleteAddress " + local);
        }

        @Override
        public boolean isPersistent() {
            return false;
        }

        @Override
        public void setPersistent(boolean persistent) {
        }
    }

    @Test
    void packetCallsGoToQueueZeroAndQueuesStartWithTheDevice() throws Exception {
        RecordingQueue q0 = new RecordingQueue();
        RecordingQueue q1 = new RecordingQueue();
        Device d = new Device(Set.of(Capability.TUN), List.of(q0, q1));
        d.read(ByteBuffer.allocate(1));
        d.read(ByteBuffer.allocate(1), Duration.ZERO);
        d.write(ByteBuffer.allocate(3));
        assertEquals(List.of("read", "read PT0S", "write"), q0.calls);
        assertTrue(q1.calls.isEmpty());
        assertSame(d, d.queues().get(0));
        assertSame(q1, d.queues().get(1));
        assertEquals("tun5", d.name());
        assertEquals(5, d.index());
    }

    @Test
    void closeClosesEveryQueueThenTheDeviceOnce() {
        RecordingQueue q0 = new RecordingQueue();
        RecordingQueue q1 = new RecordingQueue();
        Device d = new Device(Set.of(Capability.TUN), List.of(q0, q1));
        d.close();
        d.close();
        assertEquals(List.of("close"), q0.calls);
        assertEquals(List.of("close"), q1.calls);
        assertEquals(1, d.deviceCloses);
        assertFalse(d.isOpen());
        assertThrows(DeviceClosedException.class, () -> d.ensureOpen("setMtu"));
    }

    @Test
    void optionalFeaturesThrowUnsupportedUnlessOffered() throws Exception {
        Device plain = new Device(Set.of(Capability.TUN), List.of(new RecordingQueue()));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, plain::routes);
        assertTrue(e.getMessage().contains("Capability.ROUTES"), e.getMessage());
        assertThrows(UnsupportedFeatureException.class, () -> plain.addRoute(Route.onLink(IpPrefix.parse("10.0.0.0/8"))));
        assertThrows(UnsupportedFeatureException.class, () -> plain.subscribe(Runnable::run, ev -> { }));
        assertTrue(plain.extension(TunDevice.class).isPresent());
        assertTrue(plain.extension(Runnable.class).isEmpty());
    }

    @Test
    void subscriptionsUseTheBackendSourceAndCloseWithTheDevice() throws TunTapException {
        Device d = new Device(Set.of(Capability.TUN, Capability.EVENTS), List.of(new RecordingQueue()));
        List<DeviceEvent> seen = new ArrayList<>();
        EventSubscription s = d.subscribe(Runnable::run, seen::add);
        d.dispatcher.publish(new DeviceEvent.MtuChanged(1400));
        assertEquals(List.of(new DeviceEvent.MtuChanged(1400)), seen);
        d.close();
        assertFalse(s.isOpen(), "closing the device closes its subscriptions");
        assertThrows(DeviceClosedException.class, () -> d.subscribe(Runnable::run, seen::add));
    }

    @Test
    void configurationChecksOpenAndCapabilitiesThenCallsTheHookUnderTheLock() throws TunTapException {
        Device d = new Device(Set.of(Capability.TUN, Capability.IPV4_ADDRESSES), List.of(new RecordingQueue()));
        d.lock = new Object();
        assertEquals(1500, d.mtu());
        d.setMtu(1400);
        assertTrue(d.isUp());
        d.setUp(false);
        d.addAddress(DeviceAddress.parse("10.1.0.1/24"));
        d.removeAddress(IpPrefix.parse("10.1.0.1/24"));
        assertEquals(List.of(), d.addresses());
        assertEquals(List.of("fetchMtu locked", "storeMtu 1400 locked", "fetchUp locked", "storeUp false locked",
                "insertAddress 10.1.0.1/24 locked", "deleteAddress 10.1.0.1/24 locked", "fetchAddresses locked"),
                d.hooks);

        d.hooks.clear();
        UnsupportedFeatureException v6 = assertThrows(UnsupportedFeatureException.class,
                () -> d.addAddress(DeviceAddress.parse("fd00::1/64")));
        assertTrue(v6.getMessage().contains("IPV6_ADDRESSES"), v6.getMessage());
        UnsupportedFeatureException peer = assertThrows(UnsupportedFeatureException.class,
                () -> d.addAddress(DeviceAddress.parse("10.1.0.1/32 peer 10.1.0.2")));
        assertTrue(peer.getMessage().contains("PEER_ADDRESSES"), peer.getMessage());
        assertEquals(List.of(), d.hooks, "a call the device lacks the capability for reaches no hook");

        d.close();
        assertThrows(DeviceClosedException.class, d::mtu);
        assertThrows(DeviceClosedException.class, () -> d.setUp(true));
        assertThrows(DeviceClosedException.class, () -> d.addAddress(DeviceAddress.parse("10.1.0.1/24")));
        assertThrows(DeviceClosedException.class, () -> d.removeAddress(IpPrefix.parse("10.1.0.1/24")));
        assertEquals(List.of(), d.hooks, "a closed device reaches no hook");
    }

    @Test
    void withoutALockTheHooksRunUnlocked() throws TunTapException {
        Device d = new Device(Set.of(Capability.TUN), List.of(new RecordingQueue()));
        d.setMtu(1280);
        assertEquals(List.of("storeMtu 1280"), d.hooks);
    }
}
