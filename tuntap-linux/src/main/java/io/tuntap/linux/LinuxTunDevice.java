// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.TunDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.LinuxLibC;
import java.util.List;
import java.util.Set;

/** A Linux TUN device: bare IP packets (opened with IFF_TUN | IFF_NO_PI). */
final class LinuxTunDevice extends LinuxDeviceImpl implements TunDevice {
    LinuxTunDevice(LinuxLibC libc, Rtnetlink netlink, String name, int index, List<LinuxQueue> queues,
            Set<Capability> capabilities) throws TunTapException {
        super(libc, netlink, DeviceMode.TUN, name, index, queues, capabilities);
    }
}
