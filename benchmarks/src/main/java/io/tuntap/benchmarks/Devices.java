// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.tuntap.DeviceConfig;
import io.tuntap.Offload;
import io.tuntap.OpenPolicy;
import io.tuntap.TunDevice;
import io.tuntap.TunTap;
import io.tuntap.TunTapException;

/** Opens the devices the harness created, the same way for every scenario. */
final class Devices {
    private Devices() {
    }

    /**
     * Attaches to the existing TUN device {@code dev}. The harness made it persistent and configured address,
     * queue length and link, so that every library (and the C baseline) meets the same device.
     */
    static TunDevice attach(String dev, Offload offload) throws TunTapException {
        return TunTap.openTun(DeviceConfig.tun().name(dev).openPolicy(OpenPolicy.ATTACH_EXISTING).offload(offload).build());
    }
}
