// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.testkit.ChannelPeer;
import io.tuntap.testkit.TunTapDeviceContract;

/** The device contract against the FreeBsd fake kernel: the backend's whole path down to the syscall seam. */
class FreeBsdFakeContractTest extends TunTapDeviceContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return openOnFake(config);
    }

    /** A device on a fresh FreeBSD 15 fake kernel, whose host side is the peer. */
    static DeviceUnderTest openOnFake(DeviceConfig config) throws Exception {
        FakeKernel kernel = new FakeFreeBsd(15);
        BsdTunTapDevice device = Fakes.open(kernel, config);
        MacAddress hostMac = config.mode() == DeviceMode.TAP ? ((TapDevice) device).macAddress() : null;
        return new DeviceUnderTest(device, new ChannelPeer(kernel.host(device.name()), config.mode(), hostMac,
                REMOTE_MAC), null);
    }

}
