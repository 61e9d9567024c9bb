// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import io.tuntap.spi.BatchChecks;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One queue of packets to and from a device: a TUN device's IP packets or a TAP device's Ethernet frames,
 * in the same format on every operating system (no packet-info or address-family header).
 *
 * <h2>Promised on every operating system</h2>
 * <ul>
 * <li>Packets are whole. A read copies exactly one packet; a write sends exactly one. A buffer too small for
 * the next packet is reported with {@link PacketTooLargeException}, never by silent truncation.
 * <li>A TUN write whose first nibble is neither 4 nor 6 fails with {@link TunTapException}.
 * <li>{@link #close()} may be called from any thread: it wakes a reader blocked in {@link #read(ByteBuffer)},
 * which then throws {@link DeviceClosedException}.
 * <li>{@link Thread#interrupt()} of a blocked reader makes it throw {@link DeviceInterruptedException} with the
 * interrupt status set, within about 100 ms; the channel stays open. A read or {@code readPackets} on a thread
 * that is already interrupted throws it at once, without taking a packet, even when one is waiting.
 * <li>One reader and one writer may run at the same time. In steady state neither path allocates.
 * <li>Direct buffers, heap buffers and arrays all work.
 * </ul>
 *
 * <h2>Per operating system or {@link Capability}</h2>
 * <ul>
 * <li>With {@link Capability#ZERO_COPY} direct buffers are read and written in place (Linux, the BSDs, macOS
 * utun); without it each packet is copied once from the driver's buffer or ring (Windows). Heap buffers are
 * copied once everywhere.
 * <li>A write hands the packet to the kernel or driver, or throws. Whether it waits for room when the
 * device's queue is full depends on the system: Linux waits; a full Wintun ring drops the packet.
 * <li>With {@link Capability#LINK_STATE}, writes fail with {@link LinkDownException} while the link is down.
 * </ul>
 *
 * <h2>Failures in a packet loop</h2>
 *
 * Every failure is a {@link TunTapException}; its type says what a loop that reads or writes packets should do.
 * The same on every operating system:
 * <table class="striped">
 * <caption>What each exception of a read or write means for the loop</caption>
 * <thead><tr><th>exception</th><th>meaning</th><th>the loop</th></tr></thead>
 * <tbody>
 * <tr><td>{@link PacketTooLargeException}</td><td>a read: the packet did not fit the buffer and was dropped; a
 * write: the packet is larger than the device takes</td><td>drops that one packet and goes on</td></tr>
 * <tr><td>{@link LinkDownException}</td><td>a write while the link is down; nothing was sent</td><td>drops the
 * packet (or waits for {@link DeviceEvent.LinkChanged}) and goes on</td></tr>
 * <tr><td>{@link InvalidConfigurationException}, or a plain {@link TunTapException} from a write</td><td>the
 * system refused that packet (not an IP packet on a TUN device, say)</td><td>drops that one packet and goes
 * on</td></tr>
 * <tr><td>{@link DeviceInterruptedException}</td><td>the thread was interrupted; the channel is still
 * open</td><td>ends, or clears the interrupt and goes on, as the program decides</td></tr>
 * <tr><td>{@link DeviceClosedException}</td><td>the channel was closed, by this program (possibly from another
 * thread)</td><td>ends</td></tr>
 * <tr><td>{@link DeviceNotFoundException}</td><td>the interface is gone: deleted by another program or an
 * administrator, or its driver was removed, while this handle was open</td><td>ends; close the device, and open it
 * again if the program wants to go on</td></tr>
 * <tr><td>any other {@link TunTapException} from a read</td><td>an unexpected failure of the system</td><td>ends,
 * and reports the message</td></tr>
 * </tbody>
 * </table>
 */
public interface PacketChannel extends Closeable {

    /**
     * Waits for the next packet and copies it into {@code dst} at its position, advancing the position by the
     * packet's length.
     *
     * @param dst where the packet goes, from its position
     * @return the packet's length in bytes (always at least 1)
     * @throws PacketTooLargeException if the packet is longer than {@code dst.remaining()}; it is dropped
     * @throws DeviceClosedException if the channel is or gets closed
     * @throws DeviceInterruptedException if the thread is interrupted while waiting, or was before the call
     * @throws TunTapException for any other failure
     */
    int read(ByteBuffer dst) throws TunTapException;

    /**
     * Like {@link #read(ByteBuffer)}, but waits at most {@code timeout}.
     *
     * @param dst where the packet goes, from its position
     * @param timeout how long to wait at most; {@link Duration#ZERO} does not wait
     * @return the packet's length, or 0 if no packet came in time
     * @throws TunTapException as {@link #read(ByteBuffer)} throws
     */
    int read(ByteBuffer dst, Duration timeout) throws TunTapException;

    /**
     * Sends the bytes from {@code src}'s position to its limit as one packet and advances the position to the
     * limit. Hands the packet to the kernel or driver, or throws (see the class description on waiting for
     * room).
     *
     * @param src the packet, from its position to its limit
     * @return the number of bytes sent
     * @throws PacketTooLargeException if the packet exceeds what the device takes in one write
     * @throws LinkDownException if the device's link is down
     * @throws DeviceClosedException if the channel is closed
     * @throws DeviceNotFoundException if the interface is gone
     * @throws TunTapException if the system refuses the packet for another reason
     */
    int write(ByteBuffer src) throws TunTapException;

    /**
     * Reads one packet into {@code dst} from index 0.
     *
     * @param dst where the packet goes, from index 0
     * @return the packet's length
     * @throws TunTapException as {@link #read(ByteBuffer)} throws
     */
    default int read(byte[] dst) throws TunTapException {
        return read(ByteBuffer.wrap(dst));
    }

    /**
     * Sends {@code length} bytes of {@code packet} from {@code offset} as one packet.
     *
     * @param packet holds the packet
     * @param offset where the packet starts in {@code packet}
     * @param length the packet's length
     * @return the number of bytes sent
     * @throws TunTapException as {@link #write(ByteBuffer)} throws
     */
    default int write(byte[] packet, int offset, int length) throws TunTapException {
        return write(ByteBuffer.wrap(packet, offset, length));
    }

    /**
     * Sends the whole array as one packet.
     *
     * @param packet the packet
     * @return the number of bytes sent
     * @throws TunTapException as {@link #write(ByteBuffer)} throws
     */
    default int write(byte[] packet) throws TunTapException {
        return write(packet, 0, packet.length);
    }

    /**
     * Reads up to {@code count} packets, one into each of {@code dsts[0..count)} at its position, advancing
     * each position by its packet's length (so a buffer's position before the call is headroom the caller
     * keeps for its own header). Waits for the first packet like {@link #read(ByteBuffer)}, then takes only
     * packets that are already there. With kernel offload, one super-packet from the kernel typically fills
     * many buffers in one system call.
     *
     * <p>The same on every backend: a failure on the first packet is thrown as {@link #read(ByteBuffer)} throws
     * it. A failure after the first (most often a packet too large for its buffer, which is dropped) ends the
     * batch: the call returns the packets read before it, and the next {@code read} or {@code readPackets} on
     * this channel throws the failure. So a packet read is never lost with an exception, and every failure is
     * reported once.
     *
     * <p>The default reads one packet (a batch of one, which keeps the contract with no state); the backends
     * read as many as are waiting.
     *
     * @param dsts the buffers, each filled from its position
     * @param count how many of {@code dsts} to use, from index 0; at least 1
     * @return the number of packets read, at least 1; buffers from that index on are untouched
     * @throws TunTapException as {@link #read(ByteBuffer)}, for the first packet or one kept from the last call
     */
    default int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        BatchChecks.checkReadBatch(dsts, count);
        read(dsts[0]);
        return 1;
    }

    /**
     * Sends {@code srcs[0..count)}, each buffer's position to limit as one packet, advancing each position to
     * its limit. With kernel offload, consecutive segments of one TCP or UDP flow are coalesced into one
     * super-packet and one system call.
     *
     * <p>The same on every backend: the packets go in order; each buffer that was sent has its position at its
     * limit, the others keep theirs, so the caller can tell what was not sent and may send it again; and the
     * first failure ends the call with its exception, at once (a failure is never kept for a later call). A
     * packet refused for what it holds (empty, too long, not a packet the device takes) ends the batch before
     * it: the packets before it are sent, it and those after it are not. A failure of the device itself (its
     * link down, a detached queue, no memory) meets the packets after the failed one too, so none of them is
     * sent either; only where the whole batch goes to the kernel at once (through io_uring on Linux) can one
     * after it go, if the device recovered during the call (its link brought up by another program), and then
     * its position says so. A {@link LinkDownException} thus leaves every buffer from the failed one on with
     * its position, unless the link came back meanwhile.
     *
     * @param srcs the packets, each from its position to its limit
     * @param count how many of {@code srcs} to send, from index 0
     * @return {@code count}
     * @throws TunTapException as {@link #write(ByteBuffer)}, for the first packet that fails
     */
    default int writePackets(ByteBuffer[] srcs, int count) throws TunTapException {
        BatchChecks.checkWriteBatch(srcs, count);
        for (int i = 0; i < count; i++) {
            write(srcs[i]);
        }
        return count;
    }

    /**
     * False once {@link #close()} has been called.
     *
     * @return whether the channel is still open
     */
    boolean isOpen();

    /**
     * Closes the channel; idempotent. A blocked reader wakes promptly and throws {@link DeviceClosedException}.
     * Never throws: a failure of the underlying close is not actionable.
     */
    @Override
    void close();
}
