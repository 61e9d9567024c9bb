// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;

/**
 * What only Linux offers on a TUN or TAP device, reached without casts:
 *
 * <!-- snippet context
 * TunTapDevice device;
 * -->
 * <pre>{@code
 * Optional<LinuxDevice> linux = device.extension(LinuxDevice.class);
 * if (linux.isPresent()) {
 *     linux.get().setTxQueueLength(1000);   // throws TunTapException, so not inside a lambda
 * }
 * }</pre>
 *
 * <p>Every device the Linux backend opens implements it; on other systems {@code extension} returns empty.
 */
public interface LinuxDevice extends TunTapDevice {

    /**
     * The {@code /dev/net/tun} file descriptor of a queue, for event loops that poll it themselves (netty,
     * epoll). It stays owned by this device: do not close it, and do not use it after {@link #close()}. It is
     * non-blocking. Packets read or written on it bypass this library (and its offload handling).
     *
     * @param queue the queue's index, 0 to {@code queues().size() - 1}
     * @return the file descriptor
     * @throws IndexOutOfBoundsException if there is no such queue
     * @throws TunTapException if the device is closed
     */
    int fileDescriptor(int queue) throws TunTapException;

    /**
     * Whether the link reports a carrier ({@code IFF_LOWER_UP}): on unless turned off with
     * {@link #setCarrier(boolean)}.
     */
    boolean hasCarrier() throws TunTapException;

    /**
     * Turns the carrier on or off ({@code TUNSETCARRIER}, Linux 5.0+): with the carrier off the link is
     * administratively up but not running, as with a cable unplugged.
     *
     * @throws io.tuntap.UnsupportedFeatureException on kernels before 5.0
     */
    void setCarrier(boolean on) throws TunTapException;

    /**
     * Attaches or detaches a queue of a multi-queue device ({@code TUNSETQUEUE}): the kernel sends no packets
     * to a detached queue, and reads and writes on it fail with {@link io.tuntap.DeviceNotFoundException}
     * ({@code EBADFD}) until it is attached again.
     *
     * @param queue the queue's index
     * @param enabled true to attach, false to detach
     * @throws io.tuntap.InvalidConfigurationException on a single-queue device, or for a queue already in that
     *     state
     */
    void setQueueEnabled(int queue, boolean enabled) throws TunTapException;

    /** The transmit queue length in packets ({@code IFLA_TXQLEN}; 500 by default for TUN and TAP). */
    int txQueueLength() throws TunTapException;

    /** Sets the transmit queue length in packets ({@code IFLA_TXQLEN}), 0 or more. */
    void setTxQueueLength(int packets) throws TunTapException;

    /** What kernel offload did so far, summed over every queue. */
    OffloadStatistics offloadStatistics();

    /**
     * How a queue's {@code readPackets} and {@code writePackets} reach the kernel now, and why: per direction,
     * io_uring (one {@code io_uring_enter} per batch) or one system call per packet, whichever the queue's own
     * batches measured faster on this host, with the figures of its last measurement. Batches re-measure both
     * now and then and follow the host. Without io_uring (unavailable, or switched off) it is {@code "plain"}.
     *
     * @param queue the queue's index, 0 to {@code queues().size() - 1}
     * @return one line of text, for logs and diagnostics
     * @throws IndexOutOfBoundsException if there is no such queue
     */
    String batchMechanism(int queue);
}
