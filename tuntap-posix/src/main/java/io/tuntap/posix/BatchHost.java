// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import java.nio.ByteBuffer;

/**
 * What a backend's own batch path (io_uring on Linux) borrows from its {@link PosixQueue}, so that it waits,
 * defers and falls back exactly as the queue does: the queue's waits in its {@link WakeablePoll}, the deferral
 * of a read's exception to the next call, the one-by-one loops, and the count of waits on each side, by which a
 * backend that times its batches tells a batch that waited for the device from one that did not. Each method
 * runs inside the queue's gate, on the side's own thread, as the queue's batch hooks are called.
 */
public final class BatchHost {
    private final PosixQueue queue;
    private final QueueLoops loops;
    private final WakeablePoll poll;

    BatchHost(PosixQueue queue, QueueLoops loops, WakeablePoll poll) {
        this.queue = queue;
        this.loops = loops;
        this.poll = poll;
    }

    /**
     * Waits until the device may have a packet.
     *
     * @throws TunTapException the closed gate, an interrupt or a failed poll
     */
    public void awaitReadable() throws TunTapException {
        loops.readWaits++;
        poll.awaitReadable(0, true);
    }

    /**
     * Waits until the device may take a packet.
     *
     * @throws TunTapException the closed gate, an interrupt or a failed poll
     */
    public void awaitWritable() throws TunTapException {
        loops.writeWaits++;
        poll.awaitWritable();
    }

    /**
     * Keeps {@code e} for the next read call, so that the packets a batch read with it are returned first.
     *
     * @param e the exception of a packet too large, met after the batch's first packet
     */
    public void defer(PacketTooLargeException e) {
        queue.batches.defer(e);
    }

    /**
     * Reads a batch one packet per call, as {@code readPackets} does without the backend's path.
     *
     * @return the packets read, at least 1
     * @throws TunTapException as {@code readPackets} does
     */
    public int readEach(ByteBuffer[] dsts, int count) throws TunTapException {
        return queue.batches.fill(dsts, count);
    }

    /**
     * Writes a batch one packet per call, as {@code writePackets} does without the backend's path.
     *
     * @return {@code count}
     * @throws TunTapException as {@code writePackets} does, at the first packet that fails
     */
    public int writeEach(ByteBuffer[] srcs, int count) throws TunTapException {
        for (int i = 0; i < count; i++) {
            loops.write(srcs[i]);
        }
        return count;
    }

    /** The waits of the read side so far: a batch during which this moved waited for a packet. */
    public int readWaits() {
        return loops.readWaits;
    }

    /** The waits of the write side so far: a batch during which this moved waited for room. */
    public int writeWaits() {
        return loops.writeWaits;
    }
}
