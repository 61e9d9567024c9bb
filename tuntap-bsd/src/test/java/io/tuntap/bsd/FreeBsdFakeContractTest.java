// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.testkit.TunTapDeviceContract;

/** The device contract against the FreeBsd fake kernel: the backend's whole path down to the syscall seam. */
class FreeBsdFakeContractTest extends TunTapDeviceContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return openOnFake(config);
    }

    /** A device on a fresh FreeBSD 15 fake kernel, whose host side is the peer. */
    static DeviceUnderTest openOnFake(DeviceConfig config) throws Exception {
        return Fakes.underTest(new FakeFreeBsd(15), config);
    }

}
