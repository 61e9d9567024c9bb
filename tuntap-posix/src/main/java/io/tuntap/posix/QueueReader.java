// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import io.tuntap.TunTapException;
import java.nio.ByteBuffer;

/**
 * The read side of a {@link PosixQueue}: the loop that calls the backend's {@link PosixQueue#receive} hook until a
 * packet comes, waiting in the queue's {@link WakeablePoll} while none is queued, and the side's native memory.
 * Touched only by the reading thread, inside the queue's gate.
 */
final class QueueReader {
    /** How long one pause after {@link PosixQueue#NOT_READY} lasts at most. */
    private static final int NOT_READY_PAUSE_MILLIS = 10;

    private final PosixQueue queue;
    private final WakeablePoll poll;
    final NativeSide memory;

    QueueReader(PosixQueue queue, WakeablePoll poll, int scratchSize) {
        this.queue = queue;
        this.poll = poll;
        this.memory = new NativeSide(scratchSize);
    }

    /** One packet into {@code dst}, in place if it is direct, else through the scratch buffer; 0 on timeout. */
    int readFromDevice(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        int position = dst.position();
        int room = dst.limit() - position;
        boolean direct = dst.isDirect();
        long address = direct ? memory.address(dst) + position : memory.scratchAddress();
        int n = receive(address, direct ? room : memory.scratchSize(), room, timeoutNanos);
        if (n == 0) {
            return 0;
        }
        if (n > room) {
            throw queue.tooLarge(n, room);
        }
        if (!direct) {
            dst.put(position, memory.scratchView(), 0, n);
        }
        dst.position(position + n);
        return n;
    }

    /** The next read, whole, into the scratch buffer: its length, or 0 on timeout. */
    int readIntoScratch(long timeoutNanos) throws TunTapException {
        int size = memory.scratchSize();
        return receive(memory.scratchAddress(), size, size, timeoutNanos);
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
            boolean ready = n == PosixQueue.NOT_READY
                    ? poll.pause(deadline, timeoutNanos < 0, NOT_READY_PAUSE_MILLIS)
                    : poll.awaitReadable(deadline, timeoutNanos < 0);
            if (!ready) {
                return 0;
            }
        }
    }
}
