// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.TunDevice;
import java.util.Set;

/** A tun unit: IPv4 and IPv6 packets. */
final class SolarisTunDevice extends SolarisDeviceImpl implements TunDevice {
    SolarisTunDevice(SunOs os, SolarisLink link, IfConfig config, int index, Set<Capability> capabilities, int[] pipe) {
        super(os, link, config, index, capabilities, pipe, DeviceMode.TUN);
    }
}
