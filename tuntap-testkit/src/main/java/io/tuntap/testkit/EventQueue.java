// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.tuntap.DeviceEvent;
import io.tuntap.EventSubscription;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A device's events, collected into a queue for a test to wait on: {@code subscribe} it, change the device, then
 * {@link #await} the event the change should bring, past others the system sends on its own.
 *
 * <!-- snippet context
 * TunTapDevice device;
 * -->
 * <pre>{@code
 * try (EventQueue events = EventQueue.subscribe(device)) {
 *     device.setMtu(1400);
 *     events.await(DeviceEvent.MtuChanged.class, e -> e.mtu() == 1400, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Events arrive on the device's own event thread, in order.
 */
public final class EventQueue implements AutoCloseable {
    private final BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
    private final EventSubscription subscription;

    private EventQueue(TunTapDevice device) throws TunTapException {
        this.subscription = device.subscribe(Runnable::run, events::add);
    }

    /**
     * Subscribes to {@code device}'s events.
     *
     * @param device a device with {@link io.tuntap.Capability#EVENTS}
     * @return the queue; close it to unsubscribe
     * @throws TunTapException as {@link TunTapDevice#subscribe}
     */
    public static EventQueue subscribe(TunTapDevice device) throws TunTapException {
        return new EventQueue(device);
    }

    /**
     * The next event, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait
     * @return the event, or null if none came
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public DeviceEvent poll(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Takes events until one of {@code type} matches {@code wanted}, and returns it; fails the test, listing what
     * came instead, if none does within {@code timeout}. The events before it are dropped.
     *
     * @param <E> the event type
     * @param type the event's class, such as {@code DeviceEvent.LinkChanged.class}
     * @param wanted which event of that type
     * @param timeout how long to wait in all
     * @return the event
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public <E extends DeviceEvent> E await(Class<E> type, Predicate<? super E> wanted, Duration timeout)
            throws InterruptedException {
        List<DeviceEvent> other = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            DeviceEvent e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                return fail("no matching " + type.getSimpleName() + " event within " + timeout + "; came instead: "
                        + other);
            }
            if (type.isInstance(e) && wanted.test(type.cast(e))) {
                return type.cast(e);
            }
            other.add(e);
        }
    }

    /**
     * The events that have come and not been taken, taken now.
     *
     * @return them, oldest first
     */
    public List<DeviceEvent> drain() {
        List<DeviceEvent> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    /** Ends the subscription; idempotent. */
    @Override
    public void close() {
        subscription.close();
    }
}
