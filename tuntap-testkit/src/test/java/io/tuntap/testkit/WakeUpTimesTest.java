// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WakeUpTimesTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void percentilesUseTheNearestRank() {
        WakeUpTimes times = new WakeUpTimes("synthetic wake-up times", 100);
        for (int i = 100; i >= 1; i--) {
            times.record(i * MS);
        }
        assertEquals(50 * MS, times.percentileNanos(50));
        assertEquals(99 * MS, times.percentileNanos(99));
        assertEquals(100 * MS, times.percentileNanos(100));
        assertEquals(1 * MS, times.percentileNanos(0));
    }

    @Test
    void oneLateWakeUpInAHundredPassesTheNinetyNinthPercentileButNotTheHardLimit() {
        WakeUpTimes times = new WakeUpTimes("synthetic wake-up times", 100);
        for (int i = 0; i < 99; i++) {
            times.record(2 * MS);
        }
        times.record(400 * MS);
        assertDoesNotThrow(() -> times.check(100, 1000));
        AssertionError tooSlow = assertThrows(AssertionError.class, () -> times.check(100, 300));
        assertTrue(tooSlow.getMessage().contains("over 300 ms"), tooSlow.getMessage());
    }

    @Test
    void twoLateWakeUpsInAHundredBreakTheNinetyNinthPercentile() {
        WakeUpTimes times = new WakeUpTimes("synthetic wake-up times", 100);
        for (int i = 0; i < 98; i++) {
            times.record(2 * MS);
        }
        times.record(150 * MS);
        times.record(150 * MS);
        AssertionError e = assertThrows(AssertionError.class, () -> times.check(100, 1000));
        assertTrue(e.getMessage().contains("99th percentile"), e.getMessage());
        assertTrue(e.getMessage().contains("max 150.00 ms"), e.getMessage());
    }
}
