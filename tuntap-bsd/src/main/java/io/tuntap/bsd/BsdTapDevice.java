// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.Ifaddrs;
import io.tuntap.bsd.jna.Ifreq;
import io.tuntap.spi.ErrorMessages;
import java.util.Set;

/** A tap device: Ethernet frames, and a MAC address read from the AF_LINK entry of getifaddrs. */
final class BsdTapDevice extends BsdTunTapDevice implements TapDevice {

    BsdTapDevice(BsdContext ctx, BsdSystem system, BsdSystem.Opened opened, DeviceQueue queue, int index,
            int inetSocket, Set<Capability> capabilities) {
        super(DeviceMode.TAP, ctx, system, opened, queue, index, inetSocket, capabilities);
    }

    @Override
    public synchronized MacAddress macAddress() throws TunTapException {
        for (Ifaddrs.Entry e : interfaceEntries()) {
            if (e.linkAddress() != null && e.linkAddress().length == 6) {
                return MacAddress.of(e.linkAddress());
            }
        }
        throw new TunTapException("getifaddrs", 0, ErrorMessages.failed("macAddress() on " + name(),
                name() + " has no link-level address in getifaddrs (was the interface replaced?); close the device and "
                + "open it again"));
    }

    @Override
    public synchronized void setMacAddress(MacAddress address) throws TunTapException {
        String call = "setMacAddress(" + address + ") on " + name();
        if (address.isMulticast()) {
            throw new InvalidConfigurationException("setMacAddress", 0, ErrorMessages.failed(call, address + " is a "
                    + "multicast address; an interface needs a unicast one (lowest bit of the first byte clear)"));
        }
        if (!capabilities().contains(Capability.SET_MAC_ADDRESS)) {
            throw new UnsupportedFeatureException("setMacAddress", 0, ErrorMessages.failed(call, "this backend "
                    + "cannot set a MAC address on " + context().abi));
        }
        try (BsdContext.Request r = new BsdContext.Request(context().abi.ifreqSize)) {
            Ifreq.putLinkAddress(r.view, context().abi, name(), address.toByteArray());
            ifIoctl(inetSocket(), context().abi.siocsiflladdr, r, "SIOCSIFLLADDR", "cannot set the MAC address");
        }
    }
}
