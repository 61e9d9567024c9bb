// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * A layer-2 device: every packet read or written is a whole Ethernet frame (without FCS). Open one with
 * {@link TunTap#openTap(String)} or {@link TunTap#open(DeviceConfig)}.
 */
public interface TapDevice extends TunTapDevice {

    /** The device's MAC address. */
    MacAddress macAddress() throws TunTapException;

    /**
     * Sets the device's MAC address.
     *
     * @throws InvalidConfigurationException if the address is a multicast address
     */
    void setMacAddress(MacAddress address) throws TunTapException;
}
