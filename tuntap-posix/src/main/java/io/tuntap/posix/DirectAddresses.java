// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The native addresses of the direct buffers a queue side was given, remembered so that a buffer that comes
 * back costs no JNA call and no allocation ({@link Native#getDirectBufferPointer} makes a {@link Pointer} each
 * time). A batch of distinct buffers, reused from call to call as readPackets and writePackets callers do, is
 * then free of allocation. Open addressing on the buffers' identity hash with linear probing: a buffer goes into
 * the first free slot from its hash on, so a look-up stops at the buffer or at the first free slot. Up to
 * {@value #SLOTS} distinct buffers stay for good, however their hashes fall (a bound on the probes would let two
 * buffers of a batch evict each other on every call, each time costing a {@link Pointer}); once the table is
 * full, a new buffer takes its hash's slot. Not thread-safe (one per side). Every Unix queue keeps one per side.
 */
public final class DirectAddresses {
    private static final int SLOTS = 512;

    private final ByteBuffer[] buffers = new ByteBuffer[SLOTS];
    private final long[] addresses = new long[SLOTS];
    /** The buffer asked for last and its address: a loop over one buffer reads only this object's line. */
    private ByteBuffer last;
    private long lastAddress;

    /** An empty cache. */
    public DirectAddresses() {
    }

    /** The address of {@code buffer}'s first byte (index 0, not its position). */
    public long of(ByteBuffer buffer) {
        if (buffer == last) {
            return lastAddress;
        }
        long address = lookUp(buffer);
        last = buffer;
        lastAddress = address;
        return address;
    }

    private long lookUp(ByteBuffer buffer) {
        int home = System.identityHashCode(buffer) & (SLOTS - 1);
        int slot = home; // where a new buffer goes if every slot is taken
        for (int p = 0; p < SLOTS; p++) {
            int i = (home + p) & (SLOTS - 1);
            ByteBuffer b = buffers[i];
            if (b == buffer) {
                return addresses[i];
            }
            if (b == null) {
                slot = i; // slots are only emptied all at once (clear), so the buffer is nowhere further on
                break;
            }
        }
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
        buffers[slot] = buffer;
        addresses[slot] = address;
        return address;
    }

    /** Forgets every buffer. */
    public void clear() {
        last = null;
        Arrays.fill(buffers, null);
    }
}
