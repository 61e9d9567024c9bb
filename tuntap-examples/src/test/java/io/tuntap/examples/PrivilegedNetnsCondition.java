// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The condition behind {@link PrivilegedNetnsTest}; every skip says why. */
final class PrivilegedNetnsCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return ConditionEvaluationResult.disabled("needs Linux network namespaces; this is " + os);
        }
        int uid = Processes.effectiveUid();
        if (uid != 0) {
            return ConditionEvaluationResult.disabled("needs root to create network namespaces and TUN devices; "
                    + "the effective uid is " + uid);
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return ConditionEvaluationResult.disabled("/dev/net/tun is missing (no tun module, or a container "
                    + "without the device)");
        }
        String[] programs = context.getElement()
                .flatMap(e -> AnnotationSupport.findAnnotation(e, PrivilegedNetnsTest.class))
                .map(PrivilegedNetnsTest::programs)
                .orElse(new String[] {"ip", "ping"});
        for (String program : programs) {
            if (Processes.which(program).isEmpty()) {
                return ConditionEvaluationResult.disabled("needs the '" + program + "' program, which is not "
                        + "installed");
            }
        }
        return ConditionEvaluationResult.enabled("root, /dev/net/tun and the programs are present");
    }
}
