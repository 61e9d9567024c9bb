// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunTapDevice;

/** The in-memory pair passes the contract: the first end is the device, the second end's ChannelPeer the host. */
class MemoryDevicesContractTest extends TunTapDeviceContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        MemoryDevicePair<TunTapDevice> pair = MemoryDevices.pair(config, DeviceConfig.builder(config.mode()).build());
        MacAddress hostMac = config.mode() == DeviceMode.TAP ? ((TapDevice) pair.first()).macAddress() : null;
        return new DeviceUnderTest(pair.first(), new ChannelPeer(pair.second(), config.mode(), hostMac, REMOTE_MAC),
                pair);
    }
}
