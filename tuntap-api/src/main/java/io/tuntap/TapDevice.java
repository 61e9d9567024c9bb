// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * A layer-2 device: every packet read or written is a whole Ethernet frame (without FCS). Open one with
 * {@link TunTap#openTap(String)} or {@link TunTap#open(DeviceConfig)}.
 */
public interface TapDevice extends TunTapDevice {

    /**
     * {@return the device's MAC address}
     *
     * @throws TunTapException if the system cannot be asked, or the device is closed
     */
    MacAddress macAddress() throws TunTapException;

    /**
     * Sets the device's MAC address.
     *
     * @param address the new address, unicast
     * @throws InvalidConfigurationException if the address is a multicast address
     * @throws TunTapException if the system refuses it (no privilege, the link up where it must be down)
     */
    void setMacAddress(MacAddress address) throws TunTapException;
}
