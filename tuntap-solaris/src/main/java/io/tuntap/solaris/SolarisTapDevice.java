// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import java.util.Set;

/**
 * A tap unit: Ethernet frames. Its MAC address is the one the driver reported when the unit was made; the
 * driver gives every unit the same address, generated when it was loaded ({@code tun_generate_mac_addr}).
 */
final class SolarisTapDevice extends SolarisDeviceImpl implements TapDevice {
    private final MacAddress mac;

    SolarisTapDevice(SunOs os, SolarisLink link, IfConfig config, int index, Set<Capability> capabilities, int[] pipe,
            MacAddress mac) {
        super(os, link, config, index, capabilities, pipe, DeviceMode.TAP);
        this.mac = mac;
    }

    @Override
    public MacAddress macAddress() throws TunTapException {
        return query("macAddress", () -> mac);
    }

    @Override
    public void setMacAddress(MacAddress address) throws TunTapException {
        change("setMacAddress", () -> {
            throw ErrorMessages.unsupported("setMacAddress", name(), Capability.SET_MAC_ADDRESS, "the tap driver "
                    + "changes its address only through DL_SET_PHYS_ADDR_REQ, which IP's copy of the address on a "
                    + "plumbed interface does not follow");
        });
    }
}
