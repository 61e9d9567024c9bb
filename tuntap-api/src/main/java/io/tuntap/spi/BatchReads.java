// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.TunTapException;
import java.nio.ByteBuffer;

/**
 * The read side of a queue that reads one packet per system call. It fills a
 * {@link io.tuntap.PacketChannel#readPackets} batch: it waits for the first packet, then takes only the packets
 * already queued (no wait, no clock read per packet). A failure after the first packet (most often a packet too
 * large for its buffer) ends the batch, and its exception is kept for the queue's next read, so that the packets
 * already read are returned, not lost: the contract of {@link io.tuntap.PacketChannel#readPackets}.
 *
 * <p>One per queue, used on the read side only (one reader at a time, as the queue allows); nothing is
 * allocated per call.
 */
public final class BatchReads {
    /** Reads one packet into {@code dst}; with {@code timeoutNanos} 0 it returns 0 at once if none is queued. */
    @FunctionalInterface
    public interface ReadOne {
        /**
         * Reads one packet, waiting at most {@code timeoutNanos} (negative: until one comes).
         *
         * @param dst where the packet goes, from its position
         * @param timeoutNanos how long to wait at most, in nanoseconds; 0 does not wait
         * @return the packet's length, or 0 if none came in time
         * @throws TunTapException as the queue's single read does
         */
        int read(ByteBuffer dst, long timeoutNanos) throws TunTapException;
    }

    private final ReadOne readOne;
    private TunTapException deferred;

    /**
     * Batches over {@code readOne}, the queue's single-packet read.
     *
     * @param readOne reads one packet of the queue
     */
    public BatchReads(ReadOne readOne) {
        this.readOne = readOne;
    }

    /**
     * Throws the exception kept from the last batch, once. Every read of the queue calls this first, so that a
     * packet dropped for its size is reported by the very next call.
     *
     * @throws TunTapException the exception the last batch met, if it met one
     */
    public void throwDeferred() throws TunTapException {
        TunTapException e = deferred;
        if (e != null) {
            deferred = null;
            throw e;
        }
    }

    /**
     * Keeps {@code e} for the next read: the batch that met it returns what it read first.
     *
     * @param e the failure that ended a batch after its first packet
     */
    public void defer(TunTapException e) {
        deferred = e;
    }

    /**
     * {@link io.tuntap.PacketChannel#read} through {@code gate}: the exception kept from the last batch first,
     * then one packet.
     *
     * @param timeoutNanos as {@link Timeouts#waitNanos} gives it: 0 do not wait, negative wait for ever
     * @param gate the queue's close gate
     * @param dst where the packet goes, from its position
     * @return the packet's length, or 0 if none came in time
     * @throws TunTapException the exception kept from the last batch, or the single read's
     */
    public int read(CloseGate gate, ByteBuffer dst, long timeoutNanos) throws TunTapException {
        gate.enterRead();
        try {
            throwDeferred();
            return readOne.read(dst, timeoutNanos);
        } finally {
            gate.exitRead();
        }
    }

    /**
     * {@link io.tuntap.PacketChannel#readPackets} through {@code gate}: checks the arguments, throws the
     * exception kept from the last batch, then {@link #fill}s.
     *
     * @param gate the queue's close gate
     * @param dsts one buffer per packet
     * @param count how many of {@code dsts} to fill at most
     * @return the number of packets read, at least 1
     * @throws TunTapException the exception kept from the last batch, or the first read's
     */
    public int readPackets(CloseGate gate, ByteBuffer[] dsts, int count) throws TunTapException {
        BatchChecks.checkReadBatch(dsts, count);
        gate.enterRead();
        try {
            throwDeferred();
            return fill(dsts, count);
        } finally {
            gate.exitRead();
        }
    }

    /**
     * {@link io.tuntap.PacketChannel#readPackets} for a queue whose single read guards itself against close:
     * checks the arguments, throws the exception kept from the last batch, then {@link #fill}s. The queue's
     * {@code read} methods call {@link #throwDeferred()} first.
     *
     * @param dsts one buffer per packet
     * @param count how many of {@code dsts} to fill at most
     * @return the number of packets read, at least 1
     * @throws TunTapException the exception kept from the last batch, or the first read's
     */
    public int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        BatchChecks.checkReadBatch(dsts, count);
        throwDeferred();
        return fill(dsts, count);
    }

    /**
     * Fills {@code dsts[0..count)}: the first packet waits, the rest only take what is queued. The caller has
     * checked the arguments ({@link BatchChecks#checkReadBatch}), holds its close gate and has called
     * {@link #throwDeferred()}.
     *
     * @param dsts one buffer per packet
     * @param count how many of {@code dsts} to fill at most
     * @return the number of packets read, at least 1
     * @throws TunTapException if the first read fails; a later failure is kept for the next read
     */
    public int fill(ByteBuffer[] dsts, int count) throws TunTapException {
        readOne.read(dsts[0], -1L);
        int n = 1;
        try {
            while (n < count && readOne.read(dsts[n], 0L) > 0) {
                n++;
            }
        } catch (TunTapException e) {
            deferred = e;
        }
        return n;
    }
}
