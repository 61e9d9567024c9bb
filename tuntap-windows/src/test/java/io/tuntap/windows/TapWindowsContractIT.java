// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceConfig;
import io.tuntap.testkit.TunTapDeviceContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The device contract on a real tap-windows6 adapter (OpenVPN's tap0901, installed by the Windows workflow),
 * as Administrator, with Windows' own stack as the peer; TAP, and TUN through CONFIG_TUN. Runs only on
 * Windows; skipped, saying why, where no adapter is installed, or failed there under
 * {@code -Dtuntap.requireRealKernel=true}.
 */
@EnabledOnOs(OS.WINDOWS)
class TapWindowsContractIT extends TunTapDeviceContract {
    private static final TapWindowsProvider PROVIDER = new TapWindowsProvider();

    @BeforeAll
    static void needsAnAdapter() {
        WindowsHost.requireOrSkip(PROVIDER.availability().isAvailable(), () -> "tap-windows6: " + PROVIDER.availability().detail());
    }

    @Override
    protected int closeWakeRepetitions() {
        return 50; // each repetition opens the adapter and sets its addresses through IP Helper
    }

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return new DeviceUnderTest(PROVIDER.open(config), WindowsHost.peer(), null);
    }
}
