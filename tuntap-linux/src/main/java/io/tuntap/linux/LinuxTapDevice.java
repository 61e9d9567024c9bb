// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
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
            throw LinuxErrors.macNotUnicast(name(), address, address.equals(BROADCAST) ? "the broadcast address"
                    : "a multicast address");
        }
        if (address.equals(ZERO)) {
            throw LinuxErrors.macNotUnicast(name(), address, "all-zero, which names no interface");
        }
        change("setMacAddress", () -> {
            int errno = netlink.setMac(index(), address.toByteArray());
            if (errno != 0) {
                throw setMacError(name(), address, errno);
            }
        });
    }

    private static final MacAddress ZERO = MacAddress.of(new byte[MacAddress.LENGTH]);
    private static final MacAddress BROADCAST = MacAddress.parse("ff:ff:ff:ff:ff:ff");

    /** The exception for the kernel's answer {@code errno} to setting {@code address} on {@code name}. */
    static TunTapException setMacError(String name, MacAddress address, int errno) {
        return LinuxErrors.macRefused(name, address, errno);
    }
}
