// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.TunTapDevice;

/**
 * What a device of the Solaris and illumos backend offers beyond {@link TunTapDevice}; reach it with
 * {@code device.extension(SolarisDevice.class)}.
 */
public interface SolarisDevice extends TunTapDevice {

    /** The driver's unit (ppa) of this device: 3 for {@code tun3}. */
    int unit();

    /**
     * The control stream's file descriptor, for an application's own {@code poll}: it is readable when a packet
     * is waiting. Owned by the device: do not close it, read or write it only through the device, and do not use
     * it after {@link #close()}.
     */
    int fileDescriptor();
}
