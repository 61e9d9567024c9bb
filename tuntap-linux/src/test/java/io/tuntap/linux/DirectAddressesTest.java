// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tuntap.posix.DirectAddresses;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The queue sides' cache of direct-buffer addresses answers what JNA answers, however the buffers come back. */
class DirectAddressesTest {
    private static long jna(ByteBuffer b) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(b));
    }

    @Test
    void oneBufferAgainAndAgainAlternatingBuffersAndMoreBuffersThanSlots() {
        DirectAddresses cache = new DirectAddresses();
        ByteBuffer one = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < 3; i++) {
            assertEquals(jna(one), cache.of(one));
        }
        ByteBuffer two = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < 4; i++) {
            ByteBuffer b = i % 2 == 0 ? one : two;
            assertEquals(jna(b), cache.of(b), "alternating, round " + i);
        }
        // A slice shares its parent's memory from another first byte: a distinct buffer, its own address.
        ByteBuffer slice = one.position(16).slice();
        assertEquals(jna(one) + 16, cache.of(slice));
        assertEquals(jna(one), cache.of(one.position(0)));
        ByteBuffer[] many = new ByteBuffer[600];
        for (int i = 0; i < many.length; i++) {
            many[i] = ByteBuffer.allocateDirect(16);
        }
        for (int round = 0; round < 2; round++) {
            for (ByteBuffer b : many) {
                assertEquals(jna(b), cache.of(b), "evicted and looked up again");
            }
        }
        cache.clear();
        assertEquals(jna(two), cache.of(two));
        assertEquals(jna(two), cache.of(two));
    }

    @Test
    void aBatchOfHundredsOfBuffersStaysWholeWhateverTheirHashes() {
        // Each miss makes a Pointer (24 bytes); buffers that evicted each other would miss on every round.
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DirectAddresses cache = new DirectAddresses();
        ByteBuffer[] batch = new ByteBuffer[384];
        long[] expected = new long[batch.length];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = ByteBuffer.allocateDirect(16);
            expected[i] = jna(batch[i]);
        }
        for (ByteBuffer b : batch) {
            cache.of(b); // the first round looks every buffer up
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        long sum = 0;
        for (int round = 0; round < 50; round++) {
            for (ByteBuffer b : batch) {
                sum += cache.of(b);
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long want = 0;
        for (long e : expected) {
            want += e;
        }
        assertEquals(50 * want, sum, "every address right");
        assertTrue(allocated < 1024, allocated + " bytes allocated over 50 rounds of " + batch.length + " buffers");
    }
}
