// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

/**
 * A snapshot of one end of a {@link MemoryDevicePair}: what it sent, what it received, and what was dropped on
 * the way to it, like the interface statistics of a real device.
 *
 * @param txPackets packets written on this end (all queues) and accepted
 * @param rxPackets packets read on this end (all queues)
 * @param rxDroppedQueueFull packets for this end dropped because the queue already held
 *     {@link MemoryDevices#QUEUE_CAPACITY} packets (as when a real device's transmit queue overflows)
 * @param rxDroppedLinkDown packets for this end dropped because its link was down or it was closed
 * @param rxDroppedTooLarge packets dropped because the buffer given to a read was too small
 */
public record MemoryDeviceCounters(long txPackets, long rxPackets, long rxDroppedQueueFull, long rxDroppedLinkDown,
        long rxDroppedTooLarge) {

    /** All packets for this end that were dropped, for any reason. */
    public long rxDropped() {
        return rxDroppedQueueFull + rxDroppedLinkDown + rxDroppedTooLarge;
    }
}
