// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.testkit.ChannelPeer;
import io.tuntap.testkit.TunTapDeviceContract;
import java.util.EnumSet;
import java.util.Set;

/** The device contract against the Darwin fake kernel: the backend's whole path down to the syscall seam. */
class DarwinFakeContractTest extends TunTapDeviceContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        FakeKernel kernel = new FakeDarwin();
        BsdTunTapDevice device = Fakes.open(kernel, config);
        MacAddress hostMac = config.mode() == DeviceMode.TAP ? ((TapDevice) device).macAddress() : null;
        return new DeviceUnderTest(device, new ChannelPeer(kernel.host(device.name()), config.mode(), hostMac,
                REMOTE_MAC), null);
    }


    @Override
    protected Set<DeviceMode> supportedModes() {
        return EnumSet.of(DeviceMode.TUN, DeviceMode.TAP);
    }
}
