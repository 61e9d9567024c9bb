// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.testkit.TunTapDeviceContract;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The device contract on real Wintun adapters, created and removed by each test (Administrator), with
 * Windows' own stack as the peer. Needs {@code wintun.dll} ({@code -Dtuntap.wintun.library}); runs only on
 * Windows; skipped, saying why, without the DLL, or failed then under {@code -Dtuntap.requireRealKernel=true}.
 */
@EnabledOnOs(OS.WINDOWS)
class WintunContractIT extends TunTapDeviceContract {
    private static final WintunProvider PROVIDER = new WintunProvider();

    @BeforeAll
    static void needsWintun() {
        WindowsHost.requireOrSkip(PROVIDER.availability().isAvailable(), () -> "wintun: " + PROVIDER.availability().detail());
    }

    @Override
    protected Set<DeviceMode> supportedModes() {
        return EnumSet.of(DeviceMode.TUN);
    }

    @Override
    protected int closeWakeRepetitions() {
        return 20; // each repetition creates and removes an adapter
    }

    @Override
    protected DeviceConfig config(DeviceMode mode) throws Exception {
        return super.config(mode).toBuilder().name("tuntap-it-" + ProcessHandle.current().pid()).build();
    }

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return new DeviceUnderTest(PROVIDER.open(config), WindowsHost.peer(), null);
    }
}
