// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The condition behind {@link RequiresRealDevice}: enabled where {@link RealDevices#whyUnavailable} finds nothing
 * missing, else disabled with its reason (or failed, with {@code -Dtuntap.requireRealKernel=true}: see
 * {@link RealKernel}). Public only because JUnit reaches it through the annotation.
 */
public final class RealDeviceCondition implements ExecutionCondition {
    /** Made by JUnit, for {@link RequiresRealDevice}. */
    public RealDeviceCondition() {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresRealDevice> wanted = context.getElement()
                .flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresRealDevice.class));
        if (wanted.isEmpty()) {
            return ConditionEvaluationResult.enabled("no @RequiresRealDevice here");
        }
        RequiresRealDevice r = wanted.get();
        Optional<String> why = RealDevices.whyUnavailable(List.of(r.value()), List.of(r.capabilities()),
                List.of(r.programs()));
        return why.map(RealKernel::cannotRun).orElseGet(() -> ConditionEvaluationResult.enabled(
                "this process can open " + Arrays.toString(r.value()) + " devices here"));
    }
}
