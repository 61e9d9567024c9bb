// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * A change of a device, made by this program or another one, delivered to the listeners registered with
 * {@link TunTapDevice#subscribe(java.util.concurrent.Executor, java.util.function.Consumer)}
 * ({@link Capability#EVENTS}). Events of one subscription come one at a time, in the order the system
 * reported them.
 */
public sealed interface DeviceEvent {

    /**
     * The link went administratively up or down.
     *
     * @param up true if the link is now up
     */
    record LinkChanged(boolean up) implements DeviceEvent {
    }

    /**
     * The MTU changed.
     *
     * @param mtu the new MTU
     */
    record MtuChanged(int mtu) implements DeviceEvent {
    }

    /**
     * An address was added to the interface.
     *
     * @param address the address
     */
    record AddressAdded(DeviceAddress address) implements DeviceEvent {
    }

    /**
     * An address was removed from the interface.
     *
     * @param address the address
     */
    record AddressRemoved(DeviceAddress address) implements DeviceEvent {
    }

    /**
     * The interface was deleted (by another program, or because its last handle closed). No event follows.
     */
    record Removed() implements DeviceEvent {
    }

    /**
     * The system dropped notifications before this subscription could read them (its queue overflowed under a
     * burst of changes), so some changes were not reported one by one. The subscription has read the device's
     * state again: the events that follow this one report how that state differs from what the events before it
     * said, so that a listener that applies every event still ends with the device's state. A listener that
     * keeps more than the events carry (routes, say) should read it again.
     *
     * @param reason what was lost and why, for logs, e.g. {@code "rtnetlink ENOBUFS: the receive buffer
     *     overflowed"}
     */
    record EventsLost(String reason) implements DeviceEvent {
    }
}
