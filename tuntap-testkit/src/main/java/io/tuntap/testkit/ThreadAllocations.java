// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * The bytes the current thread has allocated, from the JVM's per-thread counters, for tests that show a path
 * allocates nothing: read {@link #bytes()} before and after the loop.
 */
public final class ThreadAllocations {
    private final com.sun.management.ThreadMXBean threads;

    private ThreadAllocations(com.sun.management.ThreadMXBean threads) {
        this.threads = threads;
    }

    /**
     * The counters, switched on; the test is skipped (a JUnit assumption, saying why) on a JVM without them.
     *
     * @return the counters of this JVM
     */
    public static ThreadAllocations orSkip() {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(plain instanceof com.sun.management.ThreadMXBean,
                "this JVM has no com.sun.management.ThreadMXBean: no per-thread allocation counters");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) plain;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counters "
                + "unsupported by this JVM");
        threads.setThreadAllocatedMemoryEnabled(true);
        return new ThreadAllocations(threads);
    }

    /** {@return the bytes the calling thread has allocated so far} */
    public long bytes() {
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
