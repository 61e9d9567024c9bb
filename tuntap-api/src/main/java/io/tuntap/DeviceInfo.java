// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import java.util.Objects;

/**
 * A TUN or TAP device that exists on the system, as listed by {@link TunTap#devices()}: made by this library
 * or by any other program.
 *
 * @param name the interface name at the time of listing
 * @param index the interface index: the identity, since names may change
 * @param mode TUN or TAP
 * @param provider the name of the provider that listed it and can attach to it
 */
public record DeviceInfo(String name, int index, DeviceMode mode, String provider) {

    /**
     * Checks that no component is null.
     *
     * @param name the interface name
     * @param index the interface index
     * @param mode TUN or TAP
     * @param provider the name of the provider that lists it
     */
    public DeviceInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(provider, "provider");
    }
}
