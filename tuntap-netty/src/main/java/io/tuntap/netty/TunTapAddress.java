// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import java.net.SocketAddress;
import java.util.Objects;

/**
 * The local address of a {@link TunTapChannel}: the device's name when it was opened, and the queue's index.
 * A TUN or TAP queue has no remote address.
 */
public final class TunTapAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;

    /** The interface name at open. */
    private final String deviceName;
    /** The queue's index, 0 for the device's first queue. */
    private final int queue;

    /**
     * The address of queue {@code queue} of the device named {@code deviceName}.
     *
     * @param deviceName the interface name at open, e.g. {@code "tun0"}
     * @param queue the queue's index, 0 or more
     */
    public TunTapAddress(String deviceName, int queue) {
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
        if (queue < 0) {
            throw new IllegalArgumentException("queue " + queue + " is negative");
        }
        this.queue = queue;
    }

    /** {@return the interface name at open} */
    public String deviceName() {
        return deviceName;
    }

    /** {@return the queue's index} */
    public int queue() {
        return queue;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunTapAddress a && a.deviceName.equals(deviceName) && a.queue == queue;
    }

    @Override
    public int hashCode() {
        return deviceName.hashCode() * 31 + queue;
    }

    /** {@return the name and queue, e.g. {@code "tun0 queue 1"}} */
    @Override
    public String toString() {
        return deviceName + " queue " + queue;
    }
}
