// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import java.time.Duration;

/** The timeout of {@link io.tuntap.PacketChannel#read(java.nio.ByteBuffer, Duration)} as a backend waits on it. */
public final class Timeouts {
    /** Timeouts from about 146 years up mean no timeout, so that a deadline computed from one cannot overflow. */
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 2;

    private Timeouts() {
    }

    /**
     * {@code timeout} in nanoseconds: 0 (do not wait) for zero or negative, -1 (wait for ever) for one too long
     * to have a deadline, else its length.
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
}
