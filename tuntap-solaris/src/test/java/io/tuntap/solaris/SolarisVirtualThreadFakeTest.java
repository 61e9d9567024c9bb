// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.ChannelPeer;
import io.tuntap.testkit.VirtualThreadContract;
import java.util.List;

/**
 * Reads on virtual threads against {@link FakeSunOsKernel}: they park with the poll poller instead of pinning a
 * carrier in poll. After each device closes the kernel must hold nothing, the poller's pipe included (its thread
 * ends with the last watch). Runs on Java 21 and later (the virtual-threads Surefire execution); skipped before.
 */
class SolarisVirtualThreadFakeTest extends VirtualThreadContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        TunTapDevice device = new SolarisDeviceOpener(new SunOs(kernel, kernel)).open(config);
        MacAddress hostMac = config.mode() == DeviceMode.TAP ? ((TapDevice) device).macAddress() : null;
        ChannelPeer peer = new ChannelPeer(kernel.stack(device.name()), config.mode(), hostMac, REMOTE_MAC);
        return new DeviceUnderTest(device, peer, () -> {
            device.close();
            List<String> left = kernel.leftovers();
            assertEquals(List.of(), left, "closing " + device.name() + " leaves nothing behind");
        });
    }
}
