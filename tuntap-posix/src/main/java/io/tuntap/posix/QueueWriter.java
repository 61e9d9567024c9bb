// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import io.tuntap.TunTapException;
import java.nio.ByteBuffer;

/**
 * The write side of a {@link PosixQueue}: the loop that calls the backend's {@link PosixQueue#send} hook until the
 * kernel takes the packet, waiting in the queue's {@link WakeablePoll} while it cannot, and the side's native
 * memory. Touched only by the writing thread, inside the queue's gate.
 */
final class QueueWriter {
    private final PosixQueue queue;
    private final WakeablePoll poll;
    final NativeSide memory;

    QueueWriter(PosixQueue queue, WakeablePoll poll, int scratchSize) {
        this.queue = queue;
        this.poll = poll;
        this.memory = new NativeSide(scratchSize);
    }

    /** Checks and writes {@code src}'s remaining bytes as one packet, in place if direct; advances it. */
    int write(ByteBuffer src) throws TunTapException {
        int position = src.position();
        int length = src.limit() - position;
        queue.checkWrite(src, position, length);
        long address;
        if (src.isDirect()) {
            address = memory.address(src) + position;
        } else {
            address = memory.scratchAddress();
            memory.scratchView().put(0, src, position, length);
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
                poll.awaitWritable();
            }
        }
    }
}
