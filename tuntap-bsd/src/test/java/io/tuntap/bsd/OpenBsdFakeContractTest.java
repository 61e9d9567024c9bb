// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.testkit.TunTapDeviceContract;

/** The device contract against the OpenBsd fake kernel: the backend's whole path down to the syscall seam. */
class OpenBsdFakeContractTest extends TunTapDeviceContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return Fakes.underTest(new FakeOpenBsd(), config);
    }

}
