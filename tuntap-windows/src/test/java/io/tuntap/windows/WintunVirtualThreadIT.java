// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.testkit.VirtualThreadContract;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Reads on virtual threads on real Wintun adapters, created and removed by each test (Administrator): they park
 * with the event waiters on the session's read event. Needs {@code wintun.dll} ({@code -Dtuntap.wintun.library});
 * runs only on Windows, on Java 21 and later (the java22 Failsafe execution); skipped, saying why, without the
 * DLL, or failed then under {@code -Dtuntap.requireRealKernel=true}.
 */
@EnabledOnOs(OS.WINDOWS)
class WintunVirtualThreadIT extends VirtualThreadContract {
    private static final WintunProvider PROVIDER = new WintunProvider();

    @BeforeAll
    static void needsWintun() {
        WindowsHost.requireOrSkip(PROVIDER.availability().isAvailable(),
                () -> "wintun: " + PROVIDER.availability().detail());
    }

    @Override
    protected Set<DeviceMode> supportedModes() {
        return EnumSet.of(DeviceMode.TUN);
    }

    @Override
    protected DeviceConfig config(DeviceMode mode) throws Exception {
        return super.config(mode).toBuilder().name("tuntap-vt-" + ProcessHandle.current().pid()).build();
    }

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return new DeviceUnderTest(PROVIDER.open(config), WindowsHost.peer(), null);
    }
}
