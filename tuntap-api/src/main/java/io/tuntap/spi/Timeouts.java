// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The timeout of {@link io.tuntap.PacketChannel#read(java.nio.ByteBuffer, Duration)} as a backend waits on it:
 * in nanoseconds, then in the slices of milliseconds that its {@code poll} calls wait, so that a wait checks
 * for close and interrupt between slices.
 */
public final class Timeouts {
    /** Timeouts from about 146 years up mean no timeout, so that a deadline computed from one cannot overflow. */
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 2;

    private Timeouts() {
    }

    /**
     * {@code timeout} in nanoseconds: 0 (do not wait) for zero or negative, -1 (wait for ever) for one too long
     * to have a deadline, else its length.
     *
     * @param timeout a read's timeout
     * @return the nanoseconds to wait, 0 not to wait, or -1 to wait for ever
     */
    public static long waitNanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            return -1;
        }
        return nanos >= FOREVER_NANOS ? -1 : nanos;
    }

    /**
     * How long the next poll of a wait may block: {@code maxMillis}, or less if the deadline comes first
     * (rounded up, so that a poll never returns just before it).
     *
     * @param deadline the {@link System#nanoTime()} at which the wait ends; ignored if {@code forever}
     * @param forever true if the wait has no deadline
     * @param maxMillis the longest a single poll may block
     * @return the milliseconds to poll, or -1 if the deadline has passed
     */
    public static int pollSlice(long deadline, boolean forever, int maxMillis) {
        if (forever) {
            return maxMillis;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return -1;
        }
        return (int) Math.min(maxMillis, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
    }
    /**
     * Parks the calling thread (a virtual thread's wait) until it is unparked, interrupted, or the deadline
     * passes; may also return spuriously, as {@link LockSupport#park(Object)} does, so the caller looks again.
     *
     * @param blocker what the thread waits for, for thread dumps
     * @param deadline the {@link System#nanoTime()} at which the wait ends; ignored if {@code forever}
     * @param forever true if the wait has no deadline
     * @return false if the deadline had passed already (the thread did not park), else true
     */
    public static boolean park(Object blocker, long deadline, boolean forever) {
        if (forever) {
            LockSupport.park(blocker);
            return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        LockSupport.parkNanos(blocker, left);
        return true;
    }
}
