// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.DeviceConfig;
import io.tuntap.OpenPolicy;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;

/**
 * Run by {@link AttachIT} in a JVM of its own, as an unprivileged user: attaches to the named device exactly as
 * the README's without-root example does, and prints {@code OK ...} or {@code ExceptionClass: message}.
 */
public final class OpenAsUser {
    private OpenAsUser() {
    }

    public static void main(String[] args) {
        try (TunTapDevice device = TunTap.open(DeviceConfig.tun().name(args[0]).openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
            System.out.println("OK index=" + device.index() + " up=" + device.isUp() + " mtu=" + device.mtu());
        } catch (TunTapException e) {
            System.out.println(e.getClass().getSimpleName() + " errorCode=" + e.errorCode() + ": " + e.getMessage());
        }
    }
}
