// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceConfig;
import io.tuntap.testkit.VirtualThreadContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * Reads on virtual threads through the project's own driver: the tap-windows6 backend over the driver
 * simulation, as in {@link SimDriverContractTest}. A parked reader's read is an IRP pending in the driver's read
 * queue; the event waiter's {@code WaitForMultipleObjects} sees it complete (a packet, or the cancel at close),
 * and after each close the simulation holds no handle and the driver broke no kernel rule. Runs on Java 21 and
 * later (the java22 Surefire execution); skipped before, and where the simulation is not built.
 */
class SimDriverVirtualThreadTest extends VirtualThreadContract {
    @BeforeAll
    static void bind() {
        SimDriverContractTest.bind();
    }

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        return SimDriverContractTest.openOnSim(config);
    }
}
