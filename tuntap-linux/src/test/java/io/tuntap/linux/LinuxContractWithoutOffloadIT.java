// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.Offload;

/**
 * The contract again with kernel offload switched off, the setting for kernels whose offload misbehaves:
 * TUN devices then have no virtio-net header at all (the default run has one on TUN).
 */
@LinuxPrivilegedTest
class LinuxContractWithoutOffloadIT extends LinuxContractIT {
    @Override
    protected DeviceConfig config(DeviceMode mode) throws Exception {
        return super.config(mode).toBuilder().offload(Offload.OFF).build();
    }
}
