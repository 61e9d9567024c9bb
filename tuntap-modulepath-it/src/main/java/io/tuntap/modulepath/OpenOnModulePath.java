// SPDX-License-Identifier: Apache-2.0
package io.tuntap.modulepath;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.linux.LinuxNetworkNamespace;
import java.util.List;

/**
 * Opens a TUN device in a network namespace through {@link TunTap} and prints what it found, one
 * {@code key=value} per line: where the provider came from, the device, and whether {@link TunTap#devices()}
 * lists it.
 */
public final class OpenOnModulePath {
    private OpenOnModulePath() {
    }

    /**
     * Runs the check.
     *
     * @param args the network namespace to open the device in, and the device's name
     * @throws Exception if opening fails
     */
    public static void main(String[] args) throws Exception {
        String namespace = args[0];
        String name = args[1];
        System.out.println("app-module=" + OpenOnModulePath.class.getModule().getName());
        System.out.println("provider-module=" + TunTap.provider(DeviceMode.TUN).getClass().getModule().getName());
        System.out.println("availability=" + TunTap.provider(DeviceMode.TUN).availability().detail());
        LinuxNetworkNamespace.call(namespace, () -> {
            try (TunTapDevice device = TunTap.open(DeviceConfig.tun().name(name).address("10.97.0.1/24").build())) {
                System.out.println("device=" + device.name() + " index=" + device.index());
                System.out.println("device-module=" + device.getClass().getModule().getName());
                List<DeviceInfo> listed = TunTap.devices();
                System.out.println("listed=" + listed.stream().anyMatch(d -> d.index() == device.index()));
            }
            return null;
        });
    }
}
