// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.TunTapDevice;

/**
 * Two connected in-memory devices made by {@link MemoryDevices#pair}: a packet written on queue {@code i} of one
 * end is read from queue {@code i} of the other. Both ends are {@link io.tuntap.TunDevice}s or both are
 * {@link io.tuntap.TapDevice}s, by the configurations' mode; cast to use the mode's own methods.
 *
 * <p>Thread-safe. {@link #close()} closes both ends.
 */
public final class MemoryDevicePair implements AutoCloseable {
    private final MemoryDevice first;
    private final MemoryDevice second;

    MemoryDevicePair(MemoryDevice first, MemoryDevice second) {
        this.first = first;
        this.second = second;
    }

    /** The end made from the first configuration. */
    public TunTapDevice first() {
        return first;
    }

    /** The end made from the second configuration. */
    public TunTapDevice second() {
        return second;
    }

    /** The first end's counters, now. */
    public MemoryDeviceCounters firstCounters() {
        return first.counters();
    }

    /** The second end's counters, now. */
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
