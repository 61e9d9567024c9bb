// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.testkit.VirtualThreadContract;

/**
 * Reads on virtual threads against the FreeBsd fake kernel: they park with the poll poller (its thread polls the
 * fake's fds and pipe) instead of pinning a carrier in poll. Runs on Java 21 and later (the virtual-threads
 * Surefire execution); skipped before.
 */
class FreeBsdVirtualThreadFakeTest extends VirtualThreadContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return FreeBsdFakeContractTest.openOnFake(config);
    }
}
