// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tuntap.posix.DirectAddresses;
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
}
