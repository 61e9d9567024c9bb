// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceEvent;
import io.tuntap.EventSubscription;
import io.tuntap.TunTapException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {
    /** Counts starts and stops, and can refuse to start. */
    private static final class CountingSource implements EventDispatcher.Source {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        volatile boolean refuse;

        @Override
        public void start(EventDispatcher dispatcher) throws TunTapException {
            if (refuse) {
                throw new TunTapException("socket", 0, "socket failed: refused for the test");
            }
            starts.incrementAndGet();
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
        }
    }

    @Test
    void theSourceRunsWhileThereAreSubscribers() throws Exception {
        CountingSource source = new CountingSource();
        EventDispatcher d = new EventDispatcher("tun0", source);
        EventSubscription a = d.subscribe(Runnable::run, e -> { });
        EventSubscription b = d.subscribe(Runnable::run, e -> { });
        assertEquals(1, source.starts.get(), "started once, with the first subscription");
        a.close();
        assertEquals(0, source.stops.get());
        b.close();
        b.close();
        assertEquals(1, source.stops.get(), "stopped once the last subscription closed");
        assertFalse(b.isOpen());
        d.subscribe(Runnable::run, e -> { }).close();
        assertEquals(2, source.starts.get(), "a later subscription starts it again");
    }

    @Test
    void aSourceThatCannotStartFailsTheSubscription() {
        CountingSource source = new CountingSource();
        source.refuse = true;
        EventDispatcher d = new EventDispatcher("tun0", source);
        assertThrows(TunTapException.class, () -> d.subscribe(Runnable::run, e -> { }));
        assertFalse(d.hasSubscribers());
    }

    @Test
    void eventsArriveInOrderOneAtATimeOnAMultiThreadedExecutor() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            EventDispatcher d = new EventDispatcher("tun0", new CountingSource());
            int count = 10_000;
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger maxConcurrent = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(count);
            d.subscribe(pool, e -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                seen.add(((DeviceEvent.MtuChanged) e).mtu());
                concurrent.decrementAndGet();
                done.countDown();
            });
            for (int i = 0; i < count; i++) {
                d.publish(new DeviceEvent.MtuChanged(i));
            }
            assertTrue(done.await(10, TimeUnit.SECONDS), "all delivered");
            for (int i = 0; i < count; i++) {
                assertEquals(i, seen.get(i), "event " + i + " in order");
            }
            assertEquals(1, maxConcurrent.get(), "one delivery at a time");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThrowingListenerKeepsReceivingAndClosingStopsDelivery() throws Exception {
        EventDispatcher d = new EventDispatcher("tun0", new CountingSource());
        List<DeviceEvent> seen = new ArrayList<>();
        EventSubscription s = d.subscribe(Runnable::run, e -> {
            seen.add(e);
            throw new IllegalStateException("listener bug");
        });
        d.publish(new DeviceEvent.LinkChanged(true));
        d.publish(new DeviceEvent.LinkChanged(false));
        assertEquals(2, seen.size());
        s.close();
        d.publish(new DeviceEvent.Removed());
        assertEquals(2, seen.size(), "nothing after close");
    }

    @Test
    void closingTheDispatcherClosesEverySubscription() throws Exception {
        CountingSource source = new CountingSource();
        EventDispatcher d = new EventDispatcher("tun0", source);
        EventSubscription s = d.subscribe(Runnable::run, e -> { });
        d.close();
        assertFalse(s.isOpen());
        assertEquals(1, source.stops.get());
        assertThrows(DeviceClosedException.class, () -> d.subscribe(Runnable::run, e -> { }));
    }
}
