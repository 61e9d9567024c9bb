// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
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
            throw new InvalidConfigurationException("setMacAddress", 0, "MAC address " + address + " is a "
                    + (address.equals(BROADCAST) ? "broadcast" : "multicast") + " address; an interface needs a "
                    + "unicast one (lowest bit of the first byte clear), e.g. " + MacAddress.randomLocal());
        }
        if (address.equals(ZERO)) {
            throw new InvalidConfigurationException("setMacAddress", 0, "MAC address " + address + " names no "
                    + "interface; use a unicast, non-zero one, e.g. " + MacAddress.randomLocal());
        }
        synchronized (netlink) {
            ensureOpen("setMacAddress");
            int errno = netlink.setMac(index(), address.toByteArray());
            if (errno != 0) {
                throw setMacError(name(), address, errno);
            }
        }
    }

    private static final MacAddress ZERO = MacAddress.of(new byte[MacAddress.LENGTH]);
    private static final MacAddress BROADCAST = MacAddress.parse("ff:ff:ff:ff:ff:ff");

    /** The exception for the kernel's answer {@code errno} to setting {@code address} on {@code name}. */
    static TunTapException setMacError(String name, MacAddress address, int errno) {
        String call = "rtnetlink RTM_SETLINK IFLA_ADDRESS";
        if (errno == Errno.EADDRNOTAVAIL) {
            // eth_prepare_mac_addr_change: the kernel takes only valid unicast Ethernet addresses.
            return new InvalidConfigurationException(call, errno, call + " failed with EADDRNOTAVAIL (errno " + errno
                    + "): the kernel refused " + address + " for " + name + " as no valid unicast Ethernet address "
                    + "(all-zero, multicast or broadcast); use a unicast, non-zero one, e.g. " + MacAddress.randomLocal());
        }
        return LinuxErrors.ofCommon(call, errno, "cannot set the MAC address of " + name + " to " + address);
    }
}
