// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
