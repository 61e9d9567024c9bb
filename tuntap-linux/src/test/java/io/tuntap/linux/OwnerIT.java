// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The unprivileged workflow: root makes a persistent device owned by a user once, and that user's program
 * attaches to it without CAP_NET_ADMIN. The user's side runs in a separate JVM as uid 65534 (nobody).
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class OwnerIT {
    private static final int NOBODY = UserJvm.NOBODY;

    @Test
    void aNonRootUserAttachesToDevicesOfItsUidOrGroupAndToNoOther() throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            ns.run(() -> {
                TunTap.open(DeviceConfig.tun().name("tto0").persistent(true).owner(NOBODY).up(false).build()).close();
                // The kernel checks ownership only where an owner or group is set: a device with neither is
                // open to anyone who can open /dev/net/tun. So the device this user must not get has one.
                TunTap.open(DeviceConfig.tun().name("tto1").persistent(true).owner(0).up(false).build()).close();
                // Group membership alone also opens the door (TUNSETGROUP).
                TunTap.open(DeviceConfig.tun().name("tto2").persistent(true).group(NOBODY).up(false).build()).close();
                return null;
            });
            try (UserJvm jvm = new UserJvm()) {
                                // dac_override only to open /dev/net/tun, which is mode 0600 on some systems (0666 on most).
                // No CAP_NET_ADMIN: attaching must rest on ownership alone.
                TestNetwork.Result result = ns.exec(jvm.command("+dac_override", AttachAsUser.class, "tto0", "tto1",
                        "tto2").toArray(String[]::new));
                assertEquals(0, result.exitCode(), result.output());
                assertTrue(result.output().contains("tto0 OK"), result.output());
                assertTrue(result.output().contains("tto1 DevicePermissionException"), result.output());
                assertTrue(result.output().contains("tto2 OK"), result.output());
                assertTrue(result.output().contains("CAP_NET_ADMIN"), result.output());
            }
        }
    }
}
