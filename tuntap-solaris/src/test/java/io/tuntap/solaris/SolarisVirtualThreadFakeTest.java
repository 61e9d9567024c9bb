// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.VirtualThreadContract;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

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

    @Test
    void thePollersPipeIsCloseOnExecLikeEveryOtherDescriptor() throws Exception {
        assumeVirtualThreads();
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        TunTapDevice device = new SolarisDeviceOpener(new SunOs(kernel, kernel)).open(DeviceConfig.tun().build());
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread reader = null;
        try {
            long pipesBefore = pipes(kernel);
            Runnable read = () -> {
                try {
                    device.read(ByteBuffer.allocateDirect(2048));
                } catch (Exception e) {
                    ended.set(e);
                }
            };
            reader = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, read);
            awaitParked(reader);
            assertEquals(pipesBefore + 1, pipes(kernel), "the parked read made the poller, and its pipe");
            assertEquals(List.of(), kernel.inheritable(), "no descriptor a child process would inherit");
        } finally {
            device.close();
        }
        reader.join(10_000);
        assertFalse(reader.isAlive(), "close ends the parked read");
        assertInstanceOf(DeviceClosedException.class, ended.get());
    }

    private static long pipes(FakeSunOsKernel kernel) {
        return kernel.calls().stream().filter("pipe"::equals).count();
    }
}
