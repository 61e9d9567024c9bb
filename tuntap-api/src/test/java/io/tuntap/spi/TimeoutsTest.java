// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeoutsTest {

    @Test
    void zeroAndNegativeMeanDoNotWait() {
        assertEquals(0, Timeouts.waitNanos(Duration.ZERO));
        assertEquals(0, Timeouts.waitNanos(Duration.ofMillis(-5)));
    }

    @Test
    void anOrdinaryTimeoutIsItsLength() {
        assertEquals(5_000_000, Timeouts.waitNanos(Duration.ofMillis(5)));
        assertEquals(Duration.ofDays(36_500).toNanos(), Timeouts.waitNanos(Duration.ofDays(36_500)));
    }

    @Test
    void aTimeoutTooLongForADeadlineMeansForever() {
        assertEquals(-1, Timeouts.waitNanos(Duration.ofDays(365L * 200)));
        assertEquals(-1, Timeouts.waitNanos(Duration.ofSeconds(Long.MAX_VALUE)));
    }

    @Test
    void aPollSliceIsTheTimeLeftRoundedUpAndNeverLongerThanTheMaximum() {
        assertEquals(100, Timeouts.pollSlice(0, true, 100));
        assertEquals(-1, Timeouts.pollSlice(System.nanoTime() - 1, false, 100));
        assertEquals(100, Timeouts.pollSlice(System.nanoTime() + 60_000_000_000L, false, 100));
        long deadline = System.nanoTime() + 50_500_000;
        int slice = Timeouts.pollSlice(deadline, false, 100);
        long left = deadline - System.nanoTime();
        // Rounded up: the poll never ends before the deadline; at most 50.5 ms, rounded up, were left.
        assertTrue(slice * 1_000_000L >= left && slice <= 51, "slice " + slice + " ms for " + left + " ns left");
    }
}
