// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.testkit.TunTapDeviceContract;
import java.util.EnumSet;
import java.util.Set;

/** The device contract against the Darwin fake kernel: the backend's whole path down to the syscall seam. */
class DarwinFakeContractTest extends TunTapDeviceContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return Fakes.underTest(new FakeDarwin(), config);
    }


    @Override
    protected Set<DeviceMode> supportedModes() {
        return EnumSet.of(DeviceMode.TUN, DeviceMode.TAP);
    }
}
