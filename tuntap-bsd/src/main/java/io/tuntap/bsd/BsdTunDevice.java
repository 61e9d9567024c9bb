// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.TunDevice;
import java.util.Set;

/** A tun or utun device. */
final class BsdTunDevice extends BsdTunTapDevice implements TunDevice {

    BsdTunDevice(BsdContext ctx, BsdSystem system, BsdSystem.Opened opened, DeviceQueue queue, int index,
            int inetSocket, Set<Capability> capabilities) {
        super(DeviceMode.TUN, ctx, system, opened, queue, index, inetSocket, capabilities);
    }
}
