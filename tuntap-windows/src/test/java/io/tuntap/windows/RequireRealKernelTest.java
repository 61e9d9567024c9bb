// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The Windows integration tests skip where their adapter or DLL is missing, except under
 * {@code -Dtuntap.requireRealKernel=true}, which the Windows workflow sets: there a missing driver or DLL is a
 * failure, so that the workflow cannot pass by testing nothing. Their checks are run here, on a machine that
 * has neither.
 */
class RequireRealKernelTest {
    private String saved;

    @BeforeEach
    void noRealAdapterOrDllHere() {
        saved = System.getProperty(WindowsHost.REQUIRE_REAL_KERNEL);
        assumeFalse(new TapWindowsProvider().availability().isAvailable() || new WintunProvider().availability()
                .isAvailable(), "a tap-windows6 adapter or wintun.dll is installed here, so the integration tests "
                + "run for real instead");
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(WindowsHost.REQUIRE_REAL_KERNEL);
        } else {
            System.setProperty(WindowsHost.REQUIRE_REAL_KERNEL, saved);
        }
    }

    private static List<Executable> checks() {
        WindowsPingIT ping = new WindowsPingIT();
        return List.of(TapWindowsContractIT::needsAnAdapter, WintunContractIT::needsWintun, ping::pingsThroughWintun,
                ping::pingsThroughTapWindows6InTunMode, ping::pingsThroughTapWindows6InTapMode,
                TapWindowsVirtualThreadIT::needsAnAdapter, WintunVirtualThreadIT::needsWintun);
    }

    @Test
    void missingAdapterOrDllFailsTheIntegrationTestsWhenRequired() {
        System.setProperty(WindowsHost.REQUIRE_REAL_KERNEL, "true");
        for (Executable check : checks()) {
            assertThrows(AssertionFailedError.class, check);
        }
    }

    @Test
    void missingAdapterOrDllSkipsThemOtherwise() {
        System.clearProperty(WindowsHost.REQUIRE_REAL_KERNEL);
        for (Executable check : checks()) {
            assertThrows(TestAbortedException.class, check);
        }
    }
}
