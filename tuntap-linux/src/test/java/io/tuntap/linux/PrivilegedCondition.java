// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables {@link LinuxPrivilegedTest}s only where they can run, and says why not otherwise. */
final class PrivilegedCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return ConditionEvaluationResult.disabled("not Linux");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return ConditionEvaluationResult.disabled("not root: these tests create network namespaces and devices "
                    + "(run the test command as root)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return ConditionEvaluationResult.disabled("/dev/net/tun is missing (modprobe tun)");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            return ConditionEvaluationResult.disabled("the ip command (iproute2) is missing");
        }
        return ConditionEvaluationResult.enabled("root with /dev/net/tun");
    }
}
