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
        public int mtu() {
            return 1500;
        }

        @Override
        public void setMtu(int mtu) {
        }

        @Override
        public boolean isUp() {
            return true;
        }

        @Override
        public void setUp(boolean up) {
        }

        @Override
        public List<DeviceAddress> addresses() {
            return List.of();
        }

        @Override
        public void addAddress(DeviceAddress address) {
        }

        @Override
        public void removeAddress(IpPrefix local) {
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
}
