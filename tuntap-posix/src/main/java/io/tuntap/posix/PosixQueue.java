// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.spi.BatchChecks;
import io.tuntap.spi.BatchReads;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.Timeouts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;

/**
 * The packet queue of a Unix device, written once: {@code read}, timed {@code read}, {@code readPackets},
 * {@code write}, {@code writePackets} and {@code close} over a non-blocking fd and a {@link WakeablePoll}, with
 * two framing hooks that each backend fills in: {@link #receive} (one attempt to read one packet: {@code readv}
 * behind the BSD address-family header, {@code getmsg} on a STREAMS device) and {@link #send} (one attempt to
 * write one: {@code writev} with the header, {@code putmsg}).
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
    /** How long one pause after {@link #NOT_READY} lasts at most. */
    private static final int NOT_READY_PAUSE_MILLIS = 10;

    /** The libc the queue's calls go through. */
    protected final PosixLibC libc;
    /** The device fd. */
    protected final int fd;
    private final CloseGate gate;
    private final WakeablePoll poll;
    private final String what;

    private final BatchReads batches = new BatchReads(this::readOne);
    private final int readScratchSize;
    private final int writeScratchSize;
    // Read side, touched only by the reading thread.
    private final DirectAddresses readAddresses = new DirectAddresses();
    private Memory readScratch;
    private ByteBuffer readScratchView;
    // Write side, touched only by the writing thread.
    private final DirectAddresses writeAddresses = new DirectAddresses();
    private Memory writeScratch;
    private ByteBuffer writeScratchView;

    /**
     * A queue over {@code fd}, woken through the given handle (see {@link WakeablePoll}); owns all three fds.
     *
     * @param what the queue, for messages, e.g. {@code "tun0"}
     * @param readScratchSize the native buffer a heap buffer's read goes through: room for any packet
     * @param writeScratchSize the native buffer a heap buffer's write goes through
     */
    protected PosixQueue(PosixLibC libc, int fd, int wakeRead, int wakeWrite, int wakeBytes, int eintr, String what,
            int readScratchSize, int writeScratchSize) {
        this.libc = libc;
        this.fd = fd;
        this.what = what;
        this.gate = new CloseGate(what);
        this.poll = new WakeablePoll(libc, fd, wakeRead, wakeWrite, wakeBytes, eintr, gate, new Failures());
        this.readScratchSize = readScratchSize;
        this.writeScratchSize = writeScratchSize;
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
     * {@link #RETRY}.
     */
    protected abstract int send(ByteBuffer src, int position, long address, int length) throws TunTapException;

    /** The exception for a packet of {@code length} bytes that did not fit a buffer of {@code room}. */
    protected abstract PacketTooLargeException tooLarge(int length, int room);

    /** The exception for a failed system call, through the backend's error translator. */
    protected abstract TunTapException ioError(String call, int errno);

    /** The exception for an interrupted reader or writer, with error code 0. */
    protected DeviceInterruptedException interrupted() {
        return new DeviceInterruptedException("poll", 0, ErrorMessages.failed("poll on " + what,
                "the waiting thread was interrupted; the device is still open"));
    }

    /** Frees what the backend holds (the device fd...) once no call is inside; the queue's own things follow. */
    protected abstract void release();

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
            return batches.fill(dsts, count);
        } finally {
            gate.exitRead();
        }
    }

    private int readOne(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int position = dst.position();
        int room = dst.limit() - position;
        boolean direct = dst.isDirect();
        long address = direct ? readAddresses.of(dst) + position : readScratchAddress();
        int length = direct ? room : readScratchSize;
        long deadline = 0; // read from the clock only once there is something to wait for
        while (true) {
            int n = receive(address, length, room);
            if (n >= 0) {
                if (n > room) {
                    throw tooLarge(n, room);
                }
                if (!direct) {
                    dst.put(position, readScratchView, 0, n);
                }
                dst.position(position + n);
                return n;
            }
            if (n == RETRY) {
                continue;
            }
            if (timeoutNanos == 0) {
                return 0;
            }
            if (deadline == 0 && timeoutNanos > 0) {
                deadline = System.nanoTime() + timeoutNanos;
            }
            boolean ready = n == NOT_READY ? poll.pause(deadline, timeoutNanos < 0, NOT_READY_PAUSE_MILLIS)
                    : poll.awaitReadable(deadline, timeoutNanos < 0);
            if (!ready) {
                return 0;
            }
        }
    }

    @Override
    public final int write(ByteBuffer src) throws TunTapException {
        gate.enterWrite();
        try {
            return writeOne(src);
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
            for (int i = 0; i < count; i++) {
                writeOne(srcs[i]);
            }
            return count;
        } finally {
            gate.exitWrite();
        }
    }

    private int writeOne(ByteBuffer src) throws TunTapException {
        int position = src.position();
        int length = src.limit() - position;
        checkWrite(src, position, length);
        long address;
        if (src.isDirect()) {
            address = writeAddresses.of(src) + position;
        } else {
            address = writeScratchAddress();
            writeScratchView.put(0, src, position, length);
        }
        while (true) {
            int r = send(src, position, address, length);
            if (r >= 0) {
                src.position(position + length);
                return length;
            }
            if (r == AGAIN) {
                poll.awaitWritable();
            }
        }
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
            if (readScratch != null) {
                readScratch.close();
            }
            if (writeScratch != null) {
                writeScratch.close();
            }
            readAddresses.clear();
            writeAddresses.clear();
        });
    }

    /** The read side's native scratch buffer, made at first use; its size is the constructor's. */
    protected final long readScratchAddress() {
        if (readScratch == null) {
            readScratch = new Memory(readScratchSize);
            readScratchView = readScratch.getByteBuffer(0, readScratchSize).order(ByteOrder.nativeOrder());
        }
        return Pointer.nativeValue(readScratch);
    }

    private long writeScratchAddress() {
        if (writeScratch == null) {
            writeScratch = new Memory(writeScratchSize);
            writeScratchView = writeScratch.getByteBuffer(0, writeScratchSize).order(ByteOrder.nativeOrder());
        }
        return Pointer.nativeValue(writeScratch);
    }

    /** The waits' exceptions are the queue's. */
    private final class Failures implements WakeablePoll.Failures {
        @Override
        public TunTapException ioError(String call, int errno) {
            return PosixQueue.this.ioError(call, errno);
        }

        @Override
        public DeviceInterruptedException interrupted() {
            return PosixQueue.this.interrupted();
        }
    }
}
