// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import io.tuntap.TunTapException;
import java.nio.ByteBuffer;

/**
 * The read and write loops of a {@link PosixQueue}: each calls the backend's hook ({@link PosixQueue#receive},
 * {@link PosixQueue#send}) until the kernel gives or takes a packet, waiting in the queue's {@link WakeablePoll}
 * while it cannot, with the native memory of its side. The read side is touched only by the reading thread, the
 * write side only by the writing thread, both inside the queue's gate.
 */
final class QueueLoops {
    /** How long one pause after {@link PosixQueue#NOT_READY} lasts at most. */
    private static final int NOT_READY_PAUSE_MILLIS = 10;

    private final PosixQueue queue;
    private final WakeablePoll poll;
    final NativeSide readMemory;
    final NativeSide writeMemory;
    /** Waits in poll so far, per side; each touched only by its side's thread. */
    int readWaits;
    int writeWaits;

    QueueLoops(PosixQueue queue, WakeablePoll poll, int readScratchSize, int writeScratchSize) {
        this.queue = queue;
        this.poll = poll;
        this.readMemory = new NativeSide(readScratchSize);
        this.writeMemory = new NativeSide(writeScratchSize);
    }

    /** One packet into {@code dst}, in place if it is direct, else through the scratch buffer; 0 on timeout. */
    int readFromDevice(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        int position = dst.position();
        int room = dst.limit() - position;
        boolean direct = dst.isDirect();
        long address = direct ? readMemory.address(dst) + position : readMemory.scratchAddress();
        int n = receive(address, direct ? room : readMemory.scratchSize(), room, timeoutNanos);
        if (n == 0) {
            return 0;
        }
        if (n > room) {
            throw queue.tooLarge(n, room);
        }
        if (!direct) {
            dst.put(position, readMemory.scratchView(), 0, n);
        }
        dst.position(position + n);
        return n;
    }

    /** The next read, whole, into the scratch buffer: its length, or 0 on timeout. */
    int readIntoScratch(long timeoutNanos) throws TunTapException {
        int size = readMemory.scratchSize();
        return receive(readMemory.scratchAddress(), size, size, timeoutNanos);
    }

    /** Calls the receive hook until it gives a packet, waiting in poll while there is none; 0 on timeout. */
    private int receive(long address, int length, int room, long timeoutNanos) throws TunTapException {
        long deadline = 0; // read from the clock only once there is something to wait for
        while (true) {
            int n = queue.receive(address, length, room);
            if (n >= 0) {
                return n;
            }
            if (n == PosixQueue.RETRY) {
                continue;
            }
            if (timeoutNanos == 0) {
                return 0;
            }
            if (deadline == 0 && timeoutNanos > 0) {
                deadline = System.nanoTime() + timeoutNanos;
            }
            readWaits++;
            boolean ready = n == PosixQueue.NOT_READY
                    ? poll.pause(deadline, timeoutNanos < 0, NOT_READY_PAUSE_MILLIS)
                    : poll.awaitReadable(deadline, timeoutNanos < 0);
            if (!ready) {
                return 0;
            }
        }
    }

    /** Checks and writes {@code src}'s remaining bytes as one packet, in place if direct; advances it. */
    int write(ByteBuffer src) throws TunTapException {
        int position = src.position();
        int length = src.limit() - position;
        queue.checkWrite(src, position, length);
        long address;
        if (src.isDirect()) {
            address = writeMemory.address(src) + position;
        } else {
            address = writeMemory.scratchAddress();
            writeMemory.scratchView().put(0, src, position, length);
        }
        send(src, position, address, length);
        src.position(position + length);
        return length;
    }

    /** Calls the send hook until the kernel takes the packet, waiting in poll while it cannot. */
    void send(ByteBuffer src, int position, long address, int length) throws TunTapException {
        while (true) {
            int r = queue.send(src, position, address, length);
            if (r >= 0) {
                return;
            }
            if (r == PosixQueue.AGAIN) {
                writeWaits++;
                poll.awaitWritable();
            }
        }
    }
}
