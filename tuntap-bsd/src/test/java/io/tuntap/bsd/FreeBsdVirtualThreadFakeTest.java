// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.testkit.ChannelPeer;
import io.tuntap.testkit.VirtualThreadContract;

/**
 * Reads on virtual threads against the FreeBsd fake kernel: they park with the poll poller (its thread polls the
 * fake's fds and pipe) instead of pinning a carrier in poll. Runs on Java 21 and later (the virtual-threads
 * Surefire execution); skipped before.
 */
class FreeBsdVirtualThreadFakeTest extends VirtualThreadContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        FakeKernel kernel = new FakeFreeBsd(15);
        BsdTunTapDevice device = Fakes.open(kernel, config);
        MacAddress hostMac = config.mode() == DeviceMode.TAP ? ((TapDevice) device).macAddress() : null;
        return new DeviceUnderTest(device, new ChannelPeer(kernel.host(device.name()), config.mode(), hostMac,
                REMOTE_MAC), null);
    }
}
