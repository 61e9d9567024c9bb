// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/**
 * What a real-kernel test's condition does when the test cannot run here. By default it is skipped, saying
 * why, so that a build on a machine without that kernel stays green and honest. With
 * {@code -Dtuntap.requireRealKernel=true}, set by the workflows that run on those kernels, the skip becomes a
 * failure: a workflow then cannot go green by skipping the tests it exists to run.
 */
public final class RealKernel {
    /** The system property that turns each skip into a failure. */
    public static final String REQUIRE = "tuntap.requireRealKernel";

    private RealKernel() {
    }

    /** Whether real-kernel tests must run ({@code -Dtuntap.requireRealKernel=true}). */
    public static boolean required() {
        return Boolean.getBoolean(REQUIRE);
    }

    /**
     * The result for a real-kernel test that cannot run.
     *
     * @param reason why it cannot run, and how to make it run
     * @return the test disabled with {@code reason}
     * @throws IllegalStateException with {@code reason} when real-kernel tests are required; JUnit reports the
     *     test as failed
     */
    public static ConditionEvaluationResult cannotRun(String reason) {
        if (required()) {
            throw new IllegalStateException(reason + " (-D" + REQUIRE + "=true: a real-kernel test that cannot "
                    + "run fails)");
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
