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
 * then free of allocation. Open addressing on the buffers' identity hash; when the few slots probed are taken,
 * the first is replaced. Holds the last {@value #SLOTS} buffers at most; not thread-safe (one per side).
 * Every Unix queue keeps one per side.
 */
public final class DirectAddresses {
    private static final int SLOTS = 256;
    private static final int PROBES = 8;

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
        int free = -1;
        for (int p = 0; p < PROBES; p++) {
            int i = (home + p) & (SLOTS - 1);
            ByteBuffer b = buffers[i];
            if (b == buffer) {
                return addresses[i];
            }
            if (b == null && free < 0) {
                free = i;
            }
        }
        int slot = free >= 0 ? free : home;
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
