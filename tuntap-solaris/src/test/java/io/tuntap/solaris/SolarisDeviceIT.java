// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.TunTapDevice;
import io.tuntap.posix.PosixLibCDirect;
import io.tuntap.testkit.DatagramSocketPeer;
import io.tuntap.testkit.TunTapDeviceContract;

/**
 * The device contract on a real illumos or Solaris kernel with the tun/tap driver: the peer is the system's
 * own network stack (UDP sockets bound to the device's addresses). After each device closes, its interface
 * must be gone ({@code if_nametoindex} answers 0): nothing is left plumbed.
 */
@SolarisPrivilegedTest
class SolarisDeviceIT extends TunTapDeviceContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        TunTapDevice device = new SolarisTunTapProvider().open(config);
        String name = device.name();
        assertTrue(PosixLibCDirect.INSTANCE.if_nametoindex(name) > 0, name + " is plumbed");
        return new DeviceUnderTest(device, new DatagramSocketPeer(), () -> {
            device.close();
            assertEquals(0, PosixLibCDirect.INSTANCE.if_nametoindex(name), name + " is unplumbed after close");
        });
    }
}
