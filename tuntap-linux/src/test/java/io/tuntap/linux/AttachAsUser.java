// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.DeviceConfig;
import io.tuntap.OpenPolicy;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;

/**
 * Run by {@link OwnerIT} in a JVM of its own, as an unprivileged user: tries to attach to each named
 * device and prints one line per device, {@code NAME OK} or {@code NAME ExceptionClass: message}.
 */
public final class AttachAsUser {
    private AttachAsUser() {
    }

    public static void main(String[] names) {
        for (String name : names) {
            try (TunTapDevice device = TunTap.open(DeviceConfig.tun().name(name).up(false)
                    .openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
                System.out.println(name + " OK index=" + device.index());
            } catch (TunTapException e) {
                System.out.println(name + " " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
