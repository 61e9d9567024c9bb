// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/** A real-kernel test that cannot run is skipped, or fails where the workflow requires real kernels. */
class RealKernelTest {

    @Test
    void skippedSayingWhyByDefaultAndFailedWhenRequired() {
        String before = System.getProperty(RealKernel.REQUIRE);
        try {
            System.clearProperty(RealKernel.REQUIRE);
            ConditionEvaluationResult r = RealKernel.cannotRun("not root");
            assertTrue(r.isDisabled());
            assertEquals(Optional.of("not root"), r.getReason());

            System.setProperty(RealKernel.REQUIRE, "true");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RealKernel.cannotRun("not root"));
            assertTrue(e.getMessage().startsWith("not root"), e.getMessage());
            assertTrue(e.getMessage().contains("-Dtuntap.requireRealKernel=true"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(RealKernel.REQUIRE);
            } else {
                System.setProperty(RealKernel.REQUIRE, before);
            }
        }
    }
}
