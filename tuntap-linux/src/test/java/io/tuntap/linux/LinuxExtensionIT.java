// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The public Linux extension on real devices, with {@code ip} and /proc as witnesses. */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class LinuxExtensionIT {
    private TestNetwork ns;

    @BeforeEach
    void createNamespace() throws Exception {
        ns = TestNetwork.create();
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        ns.close();
    }

    @Test
    void theExtensionReachesQueuesCarrierAndQueueLength() throws Exception {
        TunTapDevice device = ns.run(() -> TunTap.open(DeviceConfig.tun().name("tx0").queues(2).build()));
        try {
            LinuxDevice linux = device.extension(LinuxDevice.class).orElseThrow();
            int fd0 = linux.fileDescriptor(0);
            int fd1 = linux.fileDescriptor(1);
            assertNotEquals(fd0, fd1);
            assertEquals("/dev/net/tun", Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd0)).toString());
            assertThrows(IndexOutOfBoundsException.class, () -> linux.fileDescriptor(2));

            linux.setTxQueueLength(1234);
            assertEquals(1234, linux.txQueueLength());
            assertTrue(ns.exec("ip", "link", "show", "tx0").output().contains("qlen 1234"));
            assertThrows(InvalidConfigurationException.class, () -> linux.setTxQueueLength(-1));

            assertTrue(linux.hasCarrier(), "a fresh device has its carrier on");
            linux.setCarrier(false);
            assertFalse(linux.hasCarrier());
            assertTrue(ns.exec("ip", "link", "show", "tx0").output().contains("NO-CARRIER"));
            linux.setCarrier(true);
            assertTrue(linux.hasCarrier());

            linux.setQueueEnabled(1, false);
            assertThrows(InvalidConfigurationException.class, () -> linux.setQueueEnabled(1, false),
                    "detaching a detached queue is refused");
            linux.setQueueEnabled(1, true);

            assertTrue(linux.offloadStatistics().enabled(), "AUTO turns offload on for TUN where the kernel has it");
            assertEquals(0, linux.offloadStatistics().malformedDropped());
            device.close();
            assertThrows(DeviceClosedException.class, () -> linux.fileDescriptor(0));
        } finally {
            device.close();
        }
    }

    @Test
    void aSingleQueueDeviceRefusesQueueDetach() throws Exception {
        try (TunTapDevice device = ns.run(() -> TunTap.open(DeviceConfig.tap().name("tx1").build()))) {
            LinuxDevice linux = device.extension(LinuxDevice.class).orElseThrow();
            assertThrows(InvalidConfigurationException.class, () -> linux.setQueueEnabled(0, false));
            assertFalse(linux.offloadStatistics().enabled(), "TAP goes without offload under AUTO");
        }
    }
}
