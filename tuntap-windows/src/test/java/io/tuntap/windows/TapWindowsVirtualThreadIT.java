// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceConfig;
import io.tuntap.testkit.VirtualThreadContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Reads on virtual threads on a real tap-windows6 adapter (the Windows workflow's tap0901), as Administrator:
 * they park with the event waiters while their overlapped read is pending in the driver; TAP, and TUN through
 * CONFIG_TUN. Runs only on Windows, on Java 21 and later (the java22 Failsafe execution); skipped, saying why,
 * where no adapter is installed, or failed there under {@code -Dtuntap.requireRealKernel=true}.
 */
@EnabledOnOs(OS.WINDOWS)
class TapWindowsVirtualThreadIT extends VirtualThreadContract {
    private static final TapWindowsProvider PROVIDER = new TapWindowsProvider();

    @BeforeAll
    static void needsAnAdapter() {
        WindowsHost.requireOrSkip(PROVIDER.availability().isAvailable(),
                () -> "tap-windows6: " + PROVIDER.availability().detail());
    }

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return new DeviceUnderTest(PROVIDER.open(config), WindowsHost.peer(), null);
    }
}
