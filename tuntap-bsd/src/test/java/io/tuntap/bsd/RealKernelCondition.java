// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.spi.HostOs;
import io.tuntap.testkit.RealKernel;
import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs real-kernel tests only on FreeBSD, OpenBSD, NetBSD or macOS, as root, with
 * {@code -Dtuntap.realKernel=true} (they create interfaces and addresses on the machine); otherwise skips them
 * and says which condition is missing, or fails them with {@code -Dtuntap.requireRealKernel=true} (the
 * workflows that run on those kernels set it).
 */
final class RealKernelCondition implements ExecutionCondition {
    private static final Set<HostOs> SYSTEMS = Set.of(HostOs.FREEBSD, HostOs.OPENBSD, HostOs.NETBSD, HostOs.MACOS);

    /** Made by JUnit through {@code @ExtendWith}. */
    RealKernelCondition() {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        HostOs os = HostOs.current();
        if (!SYSTEMS.contains(os)) {
            return RealKernel.cannotRun("real-kernel BSD/macOS test: this is " + os
                    + " (os.name=" + System.getProperty("os.name") + "); it runs on FreeBSD, OpenBSD, NetBSD and macOS");
        }
        if (!Boolean.getBoolean("tuntap.realKernel")) {
            return RealKernel.cannotRun("real-kernel test: it creates interfaces and addresses on this "
                    + "machine; run with -Dtuntap.realKernel=true (as root, on a throwaway machine or CI VM)");
        }
        long uid = io.tuntap.posix.PosixLibCDirect.INSTANCE.geteuid(); // only reached on a BSD or macOS
        if (uid != 0) {
            return RealKernel.cannotRun("real-kernel test: uid " + uid + " is not root; creating tun, "
                    + "tap and utun interfaces needs root");
        }
        return ConditionEvaluationResult.enabled("root on " + os + " with -Dtuntap.realKernel=true");
    }
}
