// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.testkit.ChannelPeer;
import io.tuntap.testkit.TunTapDeviceContract;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The device contract on the Wintun backend, over a fake {@code wintun.dll} with real rings in native memory
 * and the IP Helper fake. TUN only, as Wintun is. The peer is the host side of the rings.
 */
class WintunContractTest extends TunTapDeviceContract {

    @Override
    protected Set<DeviceMode> supportedModes() {
        return EnumSet.of(DeviceMode.TUN);
    }

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return openOnFake(config, true);
    }

    /**
     * A device over a new fake {@code wintun.dll}, with the checks made after it closes.
     *
     * @param parking false to have virtual-thread readers wait in {@code WaitForMultipleObjects} as platform
     *     threads do ({@link EventParking#turnOffFor})
     */
    static DeviceUnderTest openOnFake(DeviceConfig config, boolean parking) throws Exception {
        FakeTapDriver k32 = new FakeTapDriver("{00000000-0000-0000-0000-000000000000}", io.tuntap.MacAddress.parse("02:00:00:00:00:01"));
        FakeIpHelper ip = new FakeIpHelper();
        FakeWintun wintun = new FakeWintun(k32, ip);
        if (!parking) {
            EventParking.turnOffFor(k32);
        }
        long memory = NativeMemory.live();
        WintunProvider provider = new WintunProvider(new WindowsPlatform(k32, ip, new FakeNetAdapterRegistry(), null),
                wintun);
        var device = provider.open(config);
        ChannelPeer peer = new ChannelPeer(wintun.host(), DeviceMode.TUN, null, null);
        return new DeviceUnderTest(device, peer, () -> {
            assertEquals(0, wintun.openHandles(), "the adapter handle closed");
            assertEquals(0, wintun.openSessions(), "the session ended");
            assertEquals(List.of(), wintun.violations, "Wintun saw no misuse");
            assertEquals(0, k32.openHandles(), "every event closed");
            assertEquals(memory, NativeMemory.live(), "every native block freed");
            assertEquals(0, ip.liveTables(), "every IP Helper table freed");
            assertEquals(0, ip.liveNotifications(), "every change notification cancelled");
        });
    }
}
