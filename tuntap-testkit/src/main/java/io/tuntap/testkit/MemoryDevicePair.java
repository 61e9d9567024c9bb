// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.TunTapDevice;

/**
 * Two connected in-memory devices made by {@link MemoryDevices}: a packet written on queue {@code i} of one end is
 * read from queue {@code i} of the other. Both ends are {@link io.tuntap.TunDevice}s or both are
 * {@link io.tuntap.TapDevice}s: {@link MemoryDevices#tunPair()} and {@link MemoryDevices#tapPair()} give pairs typed
 * so, {@link MemoryDevices#pair} one typed {@link TunTapDevice}, whatever the configurations' mode.
 *
 * <p>Thread-safe. {@link #close()} closes both ends.
 *
 * @param <D> the type of both ends
 */
public final class MemoryDevicePair<D extends TunTapDevice> implements AutoCloseable {
    private final MemoryDevice first;
    private final MemoryDevice second;
    private final Class<D> type;

    MemoryDevicePair(MemoryDevice first, MemoryDevice second, Class<D> type) {
        this.first = first;
        this.second = second;
        this.type = type;
    }

    /**
     * The end made from the first configuration.
     *
     * @return the first end
     */
    public D first() {
        return type.cast(first);
    }

    /**
     * The end made from the second configuration.
     *
     * @return the second end
     */
    public D second() {
        return type.cast(second);
    }

    /**
     * The first end's counters, now.
     *
     * @return a snapshot of the counters
     */
    public MemoryDeviceCounters firstCounters() {
        return first.counters();
    }

    /**
     * The second end's counters, now.
     *
     * @return a snapshot of the counters
     */
    public MemoryDeviceCounters secondCounters() {
        return second.counters();
    }

    /** Closes both ends; idempotent. */
    @Override
    public void close() {
        first.close();
        second.close();
    }

    @Override
    public String toString() {
        return "MemoryDevicePair[" + first.name() + " <-> " + second.name() + "]";
    }
}
