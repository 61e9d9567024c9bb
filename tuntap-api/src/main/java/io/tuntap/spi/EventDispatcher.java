// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.DeviceEvent;
import io.tuntap.EventSubscription;
import io.tuntap.TunTapException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Delivers a device's {@link DeviceEvent}s to its subscribers: the OS-neutral half of
 * {@link io.tuntap.TunTapDevice#subscribe}. A backend supplies a {@link Source} that watches the system and
 * calls {@link #publish(DeviceEvent)}; the dispatcher starts the source with the first subscription, stops it
 * when the last one closes, and delivers each subscription's events one at a time, in order, on its executor
 * (even on an executor with many threads). A listener that throws is logged and keeps its subscription; an
 * executor that rejects a delivery is logged and the events stay queued for the next one. Thread-safe.
 */
public final class EventDispatcher {
    private static final System.Logger LOG = System.getLogger("io.tuntap");

    /** What watches the system for one device. */
    public interface Source {
        /**
         * Starts watching and calls {@code dispatcher.publish(event)} for each change, from any one thread at a
         * time, in the order of the changes. Called with the first subscription (and again after the last
         * one closed and a new one came).
         *
         * @param dispatcher where to publish
         * @throws TunTapException if watching cannot start; the subscription then fails with it
         */
        void start(EventDispatcher dispatcher) throws TunTapException;

        /** Stops watching; no {@code publish} follows once it returns. Called when the last subscription closes. */
        void stop();
    }

    private final String device;
    private final Source source;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private boolean started;
    private boolean closed;

    /**
     * A dispatcher with no subscribers yet.
     *
     * @param device the device's name, for log messages
     * @param source what watches the system
     */
    public EventDispatcher(String device, Source source) {
        this.device = Objects.requireNonNull(device, "device");
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Adds a subscriber, starting the source if it is the first.
     *
     * @param executor runs the listener
     * @param listener receives the events
     * @return the subscription
     * @throws TunTapException if the source cannot start, or the device is closed
     */
    public synchronized EventSubscription subscribe(Executor executor, Consumer<? super DeviceEvent> listener)
            throws TunTapException {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw ErrorMessages.closed("subscribe", device);
        }
        Subscriber s = new Subscriber(executor, listener);
        subscribers.add(s);
        if (!started) {
            try {
                source.start(this);
            } catch (TunTapException | RuntimeException e) {
                subscribers.remove(s);
                throw e;
            }
            started = true;
        }
        return s;
    }

    /**
     * Queues an event for every open subscription and schedules its delivery. Never blocks on a listener.
     *
     * @param event the event
     */
    public void publish(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        for (Subscriber s : subscribers) {
            s.offer(event);
        }
    }

    /** {@return true while at least one subscription is open} */
    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    /** Closes every subscription and stops the source; for the device's close. Idempotent. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Subscriber s : subscribers) {
            s.close();
        }
        stopIfIdle();
    }

    private void remove(Subscriber s) {
        subscribers.remove(s);
        stopIfIdle();
    }

    private synchronized void stopIfIdle() {
        if (started && subscribers.isEmpty()) {
            started = false;
            source.stop();
        }
    }

    /** One subscription: its own queue, drained by one task at a time on its executor. */
    private final class Subscriber implements EventSubscription {
        private final Executor executor;
        private final Consumer<? super DeviceEvent> listener;
        private final Queue<DeviceEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean open = true;

        Subscriber(Executor executor, Consumer<? super DeviceEvent> listener) {
            this.executor = executor;
            this.listener = listener;
        }

        void offer(DeviceEvent event) {
            if (!open) {
                return;
            }
            queue.add(event);
            schedule();
        }

        private void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    scheduled.set(false);
                    LOG.log(Level.WARNING, "the executor of an event subscription on " + device + " rejected a "
                            + "delivery; " + queue.size() + " event(s) wait for the next one", e);
                }
            }
        }

        private void drain() {
            try {
                DeviceEvent event;
                while (open && (event = queue.poll()) != null) {
                    try {
                        listener.accept(event);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "an event listener on " + device + " threw on " + event
                                + "; it stays subscribed", e);
                    }
                }
            } finally {
                scheduled.set(false);
            }
            // An event may have arrived after the last poll but before the flag was cleared.
            if (open && !queue.isEmpty()) {
                schedule();
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                queue.clear();
                remove(this);
            }
        }
    }
}
