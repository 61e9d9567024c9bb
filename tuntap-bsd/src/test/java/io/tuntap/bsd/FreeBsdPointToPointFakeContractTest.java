// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import java.util.EnumSet;
import java.util.Set;

/**
 * The device contract against the FreeBSD fake with a peer in the configuration: the tun then stays
 * point-to-point (no TUNSIFMODE), addresses without a peer get the local address as destination, and the
 * peer tests run.
 */
class FreeBsdPointToPointFakeContractTest extends FreeBsdFakeContractTest {

    @Override
    protected DeviceConfig config(DeviceMode mode) throws Exception {
        return super.config(mode).toBuilder().address(DeviceAddress.parse("10.99.9.1/32 peer 10.99.9.2")).build();
    }

    @Override
    protected Set<DeviceMode> supportedModes() {
        return EnumSet.of(DeviceMode.TUN);
    }
}
