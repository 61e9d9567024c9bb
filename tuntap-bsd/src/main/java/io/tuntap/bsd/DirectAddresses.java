// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The native addresses of the last few direct buffers a queue side used. JNA hands out a buffer's address
 * only inside a new {@link Pointer}, an allocation, so the address is looked up once per buffer: a reader
 * that cycles through a batch of buffers ({@code readPackets}) then allocates nothing per packet. A small
 * table indexed by identity hash; a buffer that falls out is looked up again. The table keeps its buffers
 * reachable until they are replaced or {@link #clear()} runs. One thread at a time.
 */
final class DirectAddresses {
    private static final int SLOTS = 16;
    private final ByteBuffer[] buffers = new ByteBuffer[SLOTS];
    private final long[] addresses = new long[SLOTS];

    /** The address of {@code buffer}'s first byte (not of its position). */
    long of(ByteBuffer buffer) {
        int slot = System.identityHashCode(buffer) & (SLOTS - 1);
        for (int i = 0; i < 4; i++) {
            int s = (slot + i) & (SLOTS - 1);
            if (buffers[s] == buffer) {
                return addresses[s];
            }
        }
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
        int s = slot;
        for (int i = 0; i < 4; i++) {
            if (buffers[(slot + i) & (SLOTS - 1)] == null) {
                s = (slot + i) & (SLOTS - 1);
                break;
            }
        }
        buffers[s] = buffer;
        addresses[s] = address;
        return address;
    }

    /** Forgets every buffer. */
    void clear() {
        java.util.Arrays.fill(buffers, null);
    }
}
