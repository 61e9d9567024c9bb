// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.Offload;
import io.tuntap.testkit.RequiresRealDevice;
import org.junit.jupiter.api.Tag;

/**
 * The contract again with kernel offload switched off, the setting for kernels whose offload misbehaves:
 * TUN devices then have no virtio-net header at all (the default run has one on TUN).
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class LinuxContractWithoutOffloadIT extends LinuxContractIT {
    @Override
    protected DeviceConfig config(DeviceMode mode) throws Exception {
        return super.config(mode).toBuilder().offload(Offload.OFF).build();
    }
}
