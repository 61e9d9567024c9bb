// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The times a repeated wake-up took (a blocked reader woken by {@code close()}, say), and the promise about
 * them stated so that a loaded machine cannot break it by chance: the 99th percentile within a bound, and no
 * single wake-up over a hard limit. A scheduler that runs a woken thread late now and then on a busy CI host
 * moves the maximum, not the 99th percentile; a wake-up that really depends on a timer (a 100 ms poll
 * interval, say) moves both.
 *
 * <p>{@link #check} prints the distribution either way, so that a passing run still shows how close it came.
 */
public final class WakeUpTimes {
    private final String what;
    private final long[] nanos;
    private int count;

    /**
     * @param what what is woken, for the messages ("close wakes a blocked reader")
     * @param capacity how many times will be recorded at most
     */
    public WakeUpTimes(String what, int capacity) {
        this.what = what;
        this.nanos = new long[capacity];
    }

    /** Records one wake-up that took {@code elapsedNanos}. */
    public void record(long elapsedNanos) {
        nanos[count++] = elapsedNanos;
    }

    /** The number of wake-ups recorded. */
    public int count() {
        return count;
    }

    /** The {@code p}-th percentile (0 to 100, nearest rank) of the recorded times, in nanoseconds. */
    public long percentileNanos(double p) {
        if (count == 0) {
            throw new IllegalStateException("no wake-up recorded");
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }

    /** One line: count, median, 90th and 99th percentile, and maximum, in milliseconds. */
    public String summary() {
        return String.format(Locale.ROOT, "%s: %d wake-ups, median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                what, count, millis(percentileNanos(50)), millis(percentileNanos(90)),
                millis(percentileNanos(99)), millis(percentileNanos(100)));
    }

    /**
     * Prints {@link #summary()} and fails unless the 99th percentile is within {@code p99Millis} and no wake-up
     * took longer than {@code maxMillis}.
     *
     * @throws AssertionError naming the bound that was broken, with the distribution
     */
    public void check(long p99Millis, long maxMillis) {
        String summary = summary();
        System.out.println(summary);
        if (percentileNanos(99) > TimeUnit.MILLISECONDS.toNanos(p99Millis)) {
            throw new AssertionError("the 99th percentile is over " + p99Millis + " ms; " + summary);
        }
        if (percentileNanos(100) > TimeUnit.MILLISECONDS.toNanos(maxMillis)) {
            throw new AssertionError("a wake-up took over " + maxMillis + " ms; " + summary);
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
