// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.ChannelPeer;
import io.tuntap.testkit.TunTapDeviceContract;
import java.util.List;

/**
 * The device contract against the backend over {@link FakeSunOsKernel}: the whole backend runs (plumbing,
 * getmsg/putmsg, poll with the wake-up pipe, SIOCSLIF* configuration); only the kernel is simulated. After each
 * device closes, the kernel must hold nothing: no descriptor, unit, interface or link.
 */
class SolarisFakeKernelContractTest extends TunTapDeviceContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return openOnFake(config);
    }

    /** A device on a fresh fake kernel, whose stack is the peer; closing it checks that nothing is left. */
    static DeviceUnderTest openOnFake(DeviceConfig config) throws Exception {
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
