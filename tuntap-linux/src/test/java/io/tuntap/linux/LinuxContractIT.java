// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.DatagramSocketPeer;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import io.tuntap.testkit.TunTapDeviceContract;
import org.junit.jupiter.api.Tag;

/**
 * The contract every backend passes, on real Linux devices: each test gets a fresh namespace, a device
 * opened in it, and the namespace's own kernel stack as the peer (UDP sockets made inside it).
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class LinuxContractIT extends TunTapDeviceContract {
    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return openInNamespace(config);
    }

    /** A device opened in a fresh namespace, whose kernel stack is the peer; closing it deletes the namespace. */
    static DeviceUnderTest openInNamespace(DeviceConfig config) throws Exception {
        TestNetwork ns = TestNetwork.create();
        try {
            TunTapDevice device = ns.run(() -> TunTap.open(config));
            DatagramSocketPeer sockets = new DatagramSocketPeer();
            Peer peer = local -> ns.run(() -> sockets.bindUdp(local));
            return new DeviceUnderTest(device, peer, ns);
        } catch (Exception e) {
            ns.close();
            throw e;
        }
    }
}
