// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.testkit.RealKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables {@link SolarisPrivilegedTest}s only on Solaris or illumos, as root, with the driver; says why not
 * otherwise, or fails them with {@code -Dtuntap.requireRealKernel=true} (the illumos workflow sets it).
 */
final class SolarisPrivilegedCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String os = System.getProperty("os.name", "");
        if (!SolarisProbe.isSunOs(os)) {
            return RealKernel.cannotRun("not Solaris or illumos (os.name=" + os + "): these tests "
                    + "plumb real tun/tap interfaces; they run in the illumos workflow");
        }
        // The effective uid, not user.name (which a changed environment can say anything in); only reached
        // on SunOS, so the native call never runs elsewhere.
        int euid = io.tuntap.posix.PosixLibCDirect.INSTANCE.geteuid();
        if (euid != 0) {
            return RealKernel.cannotRun("effective uid " + euid + " is not root: plumbing interfaces needs root in "
                    + "the global zone");
        }
        if (!Files.exists(Path.of("/dev/tun")) || !Files.exists(Path.of("/dev/tap"))) {
            return RealKernel.cannotRun("/dev/tun or /dev/tap is missing: " + SolarisErrors.DRIVER_FIX);
        }
        return ConditionEvaluationResult.enabled("root on " + os + " with /dev/tun and /dev/tap");
    }
}
