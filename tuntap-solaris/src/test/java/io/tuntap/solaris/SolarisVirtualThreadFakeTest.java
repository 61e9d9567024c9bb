// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.DeviceConfig;
import io.tuntap.testkit.VirtualThreadContract;

/**
 * Reads on virtual threads against {@link FakeSunOsKernel}: they park with the poll poller instead of pinning a
 * carrier in poll. After each device closes the kernel must hold nothing, the poller's pipe included (its thread
 * ends with the last watch). Runs on Java 21 and later (the virtual-threads Surefire execution); skipped before.
 */
class SolarisVirtualThreadFakeTest extends VirtualThreadContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return SolarisFakeKernelContractTest.openOnFake(config);
    }
}
