// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.LinuxLibC;
import java.util.List;
import java.util.Set;

/** A Linux TAP device: whole Ethernet frames (opened with IFF_TAP | IFF_NO_PI). */
final class LinuxTapDevice extends LinuxDeviceImpl implements TapDevice {
    LinuxTapDevice(LinuxLibC libc, Rtnetlink netlink, String name, int index, List<LinuxQueue> queues,
            Set<Capability> capabilities) throws TunTapException {
        super(libc, netlink, DeviceMode.TAP, name, index, queues, capabilities);
    }

    @Override
    public MacAddress macAddress() throws TunTapException {
        return MacAddress.of(link().mac());
    }

    @Override
    public void setMacAddress(MacAddress address) throws TunTapException {
        if (address.isMulticast()) {
            throw new InvalidConfigurationException("setMacAddress", 0, "MAC address " + address + " is a multicast "
                    + "address; an interface needs a unicast one (lowest bit of the first byte clear), e.g. "
                    + MacAddress.randomLocal());
        }
        synchronized (netlink) {
            ensureOpen("setMacAddress");
            int errno = netlink.setMac(index(), address.toByteArray());
            if (errno != 0) {
                throw LinuxErrors.ofCommon("rtnetlink RTM_SETLINK IFLA_ADDRESS", errno, "cannot set the MAC address of "
                        + name() + " to " + address);
            }
        }
    }
}
