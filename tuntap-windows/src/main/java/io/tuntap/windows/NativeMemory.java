// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend's long-lived native memory: buffers and {@code OVERLAPPED}s that outlive the calls they are
 * given to. Counted, so that tests can check that every path, failures included, frees what it allocated.
 */
final class NativeMemory {
    private static final AtomicLong LIVE = new AtomicLong();

    private NativeMemory() {
    }

    /** Zeroed memory of {@code size} bytes. */
    static Memory allocate(long size) {
        Memory m = new Memory(size);
        m.clear();
        LIVE.incrementAndGet();
        return m;
    }

    /** Frees {@code m}; null is ignored. Only once per block. */
    static void free(Memory m) {
        if (m != null) {
            m.close();
            LIVE.decrementAndGet();
        }
    }

    /** Blocks allocated here and not yet freed, in this process. */
    static long live() {
        return LIVE.get();
    }
}
