// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.testkit.ChannelPeer;
import io.tuntap.testkit.TunTapDeviceContract;
import java.util.UUID;

/**
 * The device contract, on the tap-windows6 backend over a behavioural fake of tap0901 and of IP Helper:
 * TAP mode, and TUN mode through {@code CONFIG_TUN}. The peer is the host stack's side of the fake driver,
 * which sees Ethernet frames in both modes, as NDIS does.
 */
class FakeTapContractTest extends TunTapDeviceContract {
    static final UUID GUID = UUID.fromString("6f1e0c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b");

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return openOnFake(config, true);
    }

    /**
     * A device over a new fake tap0901, with the checks made after it closes.
     *
     * @param parking false to have virtual-thread readers wait in {@code WaitForMultipleObjects} as platform
     *     threads do ({@link EventParking#turnOffFor})
     */
    static DeviceUnderTest openOnFake(DeviceConfig config, boolean parking) throws Exception {
        FakeTapDriver driver = new FakeTapDriver(new TapAdapter(GUID, "tap0901", null).guidText(),
                MacAddress.parse("00:ff:6f:1e:0c:2a"));
        FakeIpHelper ip = new FakeIpHelper();
        FakeIpHelper.Interface ipi = ip.add(GUID, 0x0006_0000_0000_0001L, 17, "Ethernet 7");
        ipi.connected = driver::mediaConnected;
        driver.mediaListener = () -> ip.mediaChanged(ipi.luid);
        if (!parking) {
            EventParking.turnOffFor(driver);
        }
        long memory = NativeMemory.live();
        TapWindowsDevice device = TapWindowsDevice.open(driver, ip, new TapAdapter(GUID, "tap0901", null), config);
        ChannelPeer peer = new ChannelPeer(driver.host(), DeviceMode.TAP, driver.mac,
                config.mode() == DeviceMode.TUN ? driver.peerMac : REMOTE_MAC);
        return new DeviceUnderTest(device, peer, () -> {
            assertEquals(0, driver.openHandles(), "every handle closed");
            assertEquals(java.util.List.of(), driver.violations(), "the driver saw no misuse");
            assertEquals(memory, NativeMemory.live(), "every native block freed");
            assertEquals(0, ip.liveTables(), "every IP Helper table freed");
            assertEquals(0, ip.liveNotifications(), "every change notification cancelled");
        });
    }
}
