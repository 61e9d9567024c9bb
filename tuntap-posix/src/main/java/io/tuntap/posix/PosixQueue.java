// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import io.tuntap.DeviceInterruptedException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.spi.BatchChecks;
import io.tuntap.spi.BatchReads;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.ErrorCodes;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.Timeouts;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;

/**
 * The packet queue of a Unix device, written once: {@code read}, timed {@code read}, {@code readPackets},
 * {@code write}, {@code writePackets} and {@code close} over a non-blocking fd and a {@link WakeablePoll}, with
 * two framing hooks that each backend fills in: {@link #receive} (one attempt to read one packet: {@code readv}
 * behind the BSD address-family header or Linux's {@code virtio_net_hdr}, {@code getmsg} on a STREAMS device)
 * and {@link #send} (one attempt to write one: {@code writev} with the header, {@code putmsg}).
 *
 * <p>A backend that moves many packets per system call (Linux: io_uring, offload) overrides {@link #readBatch},
 * {@link #writeBatch} or {@link #readPacket}, and waits and writes through this queue's loops, never its own.
 *
 * <p>What every queue then does alike: a read on an already-interrupted thread fails at once, before any
 * system call; a read waits in {@code poll} only when no packet is queued, in slices that check interrupts;
 * {@code readPackets} waits for the first packet and then takes only what is queued ({@link BatchReads});
 * direct buffers go to the kernel in place (their addresses cached in {@link DirectAddresses}), heap buffers
 * through a native scratch buffer of the side; nothing is allocated per packet.
 *
 * <p>Closing never pulls an fd from under a running call: every call passes the {@link CloseGate}, and
 * {@link #close()} marks it closed, wakes waiters through the {@link WakeablePoll}, waits for the calls inside
 * to leave, and only then runs {@link #release()}.
 *
 * <p>One reader and one writer may run at once; the read side and the write side keep their own state.
 */
public abstract class PosixQueue implements PacketChannel {
    /** From {@link #receive} or {@link #send}: nothing now (EAGAIN); wait in poll, then try again. */
    protected static final int AGAIN = -1;
    /** From {@link #receive} or {@link #send}: try again at once (EINTR, or a message that was no packet). */
    protected static final int RETRY = -2;
    /** From {@link #receive}: the device is not ready although poll may call it readable; pause, then retry. */
    protected static final int NOT_READY = -3;
    /** From {@link #readBatch} or {@link #writeBatch}: the batch is not for the backend's own path. */
    protected static final int BATCH_NOT_HANDLED = -1;

    /** The libc the queue's calls go through. */
    protected final PosixLibC libc;
    /** The device fd. */
    protected final int fd;
    private final CloseGate gate;
    private final WakeablePoll poll;
    private final String what;
    private final int eintr;
    private final int eagain;

    /** readPackets one by one, with the exception kept for the next call; used by {@link BatchHost} too. */
    final BatchReads batches = new BatchReads(this::readOne);
    private final QueueLoops loops;
    private final BatchHost batchHost;

    /**
     * A queue over {@code fd}, woken through the given handle (see {@link WakeablePoll}); owns all three fds.
     *
     * @param errno the host's errno table, for its EINTR and EAGAIN
     * @param what the queue, for messages, e.g. {@code "tun0"}
     * @param readScratchSize the native buffer a heap buffer's read goes through: room for any packet
     * @param writeScratchSize the native buffer a heap buffer's write goes through
     */
    protected PosixQueue(PosixLibC libc, int fd, int wakeRead, int wakeWrite, int wakeBytes, ErrorCodes errno,
            String what, int readScratchSize, int writeScratchSize) {
        this.libc = libc;
        this.fd = fd;
        this.what = what;
        this.eintr = errno.number("EINTR");
        this.eagain = errno.number("EAGAIN");
        if (eintr < 0 || eagain < 0) {
            throw new IllegalArgumentException("an errno table without EINTR or EAGAIN");
        }
        this.gate = new CloseGate(what);
        this.poll = new WakeablePoll(libc, fd, wakeRead, wakeWrite, wakeBytes, eintr, gate, new QueueFailures(this));
        this.loops = new QueueLoops(this, poll, readScratchSize, writeScratchSize);
        this.batchHost = new BatchHost(this, loops, poll);
    }

    /**
     * One attempt to read one packet into {@code length} bytes at {@code address}: the caller's room in a
     * direct buffer, or the read scratch buffer.
     *
     * @param room what the caller's buffer holds; a packet longer than that is reported, never cut
     * @return the packet's length (it may exceed {@code length} where the hook read the rest elsewhere), or
     *     {@link #AGAIN}, {@link #RETRY}, {@link #NOT_READY}
     * @throws TunTapException a failed call, or a packet too large that the hook had to drain itself
     */
    protected abstract int receive(long address, int length, int room) throws TunTapException;

    /** Checks a packet before it is written; throws what the backend says of a packet it cannot take. */
    protected abstract void checkWrite(ByteBuffer src, int position, int length) throws TunTapException;

    /**
     * One attempt to write the {@code length} bytes at {@code address} ({@code src}'s from {@code position}, in
     * place or copied into the write scratch buffer): 0 or more once the kernel took them, or {@link #AGAIN},
     * {@link #RETRY}. {@code src} is null for bytes the backend framed itself ({@link #sendFramed}): they go to
     * the kernel as they are.
     */
    protected abstract int send(ByteBuffer src, int position, long address, int length) throws TunTapException;

    /** The exception for a packet of {@code length} bytes that did not fit a buffer of {@code room}. */
    protected abstract PacketTooLargeException tooLarge(int length, int room);

    /**
     * What {@link #receive} or {@link #send} answers for a failed {@code call}, after the backend's own cases:
     * {@link #AGAIN} for EAGAIN, {@link #RETRY} for EINTR; any other errno is thrown as {@link #ioError}.
     */
    protected final int failed(String call, int errno) throws TunTapException {
        if (errno != eagain && errno != eintr) {
            throw ioError(call, errno);
        }
        return errno == eagain ? AGAIN : RETRY;
    }

    /** The exception for a failed system call, through the backend's error translator. */
    protected abstract TunTapException ioError(String call, int errno);

    /** The exception for an interrupted reader or writer, with error code 0. */
    protected DeviceInterruptedException interrupted() {
        return new DeviceInterruptedException("poll", 0, ErrorMessages.failed("poll on " + what,
                "the waiting thread was interrupted; the device is still open"));
    }

    /** Frees what the backend holds (the device fd...) once no call is inside; the queue's own things follow. */
    protected abstract void release();

    /**
     * Reads a batch the backend's own way (Linux: io_uring), inside the gate, after the checks every read makes.
     *
     * @return the packets read (at least 1), or {@link #BATCH_NOT_HANDLED} to read them one by one
     * @throws TunTapException as {@link #readPackets} does
     */
    protected int readBatch(ByteBuffer[] dsts, int count) throws TunTapException {
        return BATCH_NOT_HANDLED;
    }

    /**
     * Writes a batch the backend's own way (Linux: io_uring, coalescing), inside the gate, after the batch's checks.
     *
     * @return {@code count}, or {@link #BATCH_NOT_HANDLED} to write the packets one by one
     * @throws TunTapException as {@link #writePackets} does
     */
    protected int writeBatch(ByteBuffer[] srcs, int count) throws TunTapException {
        return BATCH_NOT_HANDLED;
    }

    /**
     * Reads one packet into the writable {@code dst}, waiting at most {@code timeoutNanos} (negative: for ever):
     * by default straight from the device ({@link #readFromDevice}). A backend whose reads can carry many packets
     * (Linux's offload super-packets) overrides it to hand them out one by one, reading through
     * {@link #readIntoScratch}.
     *
     * @return the packet's length, or 0 if none came in time
     * @throws TunTapException as {@link #read(ByteBuffer)} does
     */
    protected int readPacket(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        return readFromDevice(dst, timeoutNanos);
    }

    @Override
    public final int read(ByteBuffer dst) throws TunTapException {
        return read(dst, -1L);
    }

    @Override
    public final int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        return read(dst, Timeouts.waitNanos(timeout));
    }

    private int read(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        gate.enterRead();
        try {
            poll.checkInterrupted();
            batches.throwDeferred();
            return readOne(dst, timeoutNanos);
        } finally {
            gate.exitRead();
        }
    }

    /**
     * Waits for the first packet, then takes the ones already queued. A packet too large for its buffer after
     * the first ends the batch; its exception comes with the next call, so that the packets read are not lost.
     */
    @Override
    public final int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        BatchChecks.checkReadBatch(dsts, count);
        gate.enterRead();
        try {
            poll.checkInterrupted();
            batches.throwDeferred();
            int n = readBatch(dsts, count);
            return n != BATCH_NOT_HANDLED ? n : batches.fill(dsts, count);
        } finally {
            gate.exitRead();
        }
    }

    private int readOne(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        return readPacket(dst, timeoutNanos);
    }

    /** One packet from the device into {@code dst} (0: none in time); one too large is reported, never cut. */
    protected final int readFromDevice(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        return loops.readFromDevice(dst, timeoutNanos);
    }

    /** The device's next read, whole, into the read scratch buffer: its length, or 0 if none came in time. */
    protected final int readIntoScratch(long timeoutNanos) throws TunTapException {
        return loops.readIntoScratch(timeoutNanos);
    }

    @Override
    public final int write(ByteBuffer src) throws TunTapException {
        gate.enterWrite();
        try {
            return loops.write(src);
        } finally {
            gate.exitWrite();
        }
    }

    /** Writes the packets one by one inside one pass of the gate; stops at the first failure, which is thrown. */
    @Override
    public final int writePackets(ByteBuffer[] srcs, int count) throws TunTapException {
        BatchChecks.checkWriteBatch(srcs, count);
        gate.enterWrite();
        try {
            if (writeBatch(srcs, count) != BATCH_NOT_HANDLED) {
                return count;
            }
            for (int i = 0; i < count; i++) {
                loops.write(srcs[i]);
            }
            return count;
        } finally {
            gate.exitWrite();
        }
    }

    /** Writes {@code length} bytes at {@code address} as they are (the backend framed them), as a write waits. */
    protected final void sendFramed(long address, int length) throws TunTapException {
        loops.send(null, 0, address, length);
    }

    /** What the backend's own batch path borrows from this queue: its waits, loops and deferral. */
    protected final BatchHost batchHost() {
        return batchHost;
    }

    @Override
    public final boolean isOpen() {
        return gate.isOpen();
    }

    @Override
    public final void close() {
        gate.close(poll::wake, () -> {
            release();
            poll.close();
            loops.readMemory.close();
            loops.writeMemory.close();
        });
    }

    /** The read side's native scratch buffer, made at first use; its size is the constructor's. */
    protected final long readScratchAddress() {
        return loops.readMemory.scratchAddress();
    }

    /** A view of the read scratch buffer, in native order; valid after {@link #readScratchAddress()}. */
    protected final ByteBuffer readScratchView() {
        return loops.readMemory.scratchView();
    }

    /** The write side's native scratch buffer, made at first use; its size is the constructor's. */
    protected final long writeScratchAddress() {
        return loops.writeMemory.scratchAddress();
    }

    /** A view of the write scratch buffer, in native order; valid after {@link #writeScratchAddress()}. */
    protected final ByteBuffer writeScratchView() {
        return loops.writeMemory.scratchView();
    }
}
