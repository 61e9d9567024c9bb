// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.VirtualThreadContract;
import org.junit.jupiter.api.Tag;

/**
 * Reads on virtual threads on real Linux devices, each in a fresh namespace: they park with the epoll poller
 * instead of pinning a carrier in poll. Runs on Java 21 and later (the java22 Failsafe execution); skipped before.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class LinuxVirtualThreadIT extends VirtualThreadContract {
    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return LinuxContractIT.openInNamespace(config);
    }
}
