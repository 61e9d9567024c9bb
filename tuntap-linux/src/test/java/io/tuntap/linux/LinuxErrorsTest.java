// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.linux.jna.Errno;
import org.junit.jupiter.api.Test;

class LinuxErrorsTest {
    @Test
    void errnoPicksTheExceptionType() {
        assertInstanceOf(DevicePermissionException.class, LinuxErrors.of("f", Errno.EPERM, "x"));
        assertInstanceOf(DevicePermissionException.class, LinuxErrors.of("f", Errno.EACCES, "x"));
        assertInstanceOf(DeviceBusyException.class, LinuxErrors.of("f", Errno.EBUSY, "x"));
        assertInstanceOf(DeviceBusyException.class, LinuxErrors.of("f", Errno.EEXIST, "x"));
        assertInstanceOf(DeviceNotFoundException.class, LinuxErrors.of("f", Errno.ENOENT, "x"));
        assertInstanceOf(DeviceNotFoundException.class, LinuxErrors.of("f", Errno.ENODEV, "x"));
        assertInstanceOf(UnsupportedFeatureException.class, LinuxErrors.of("f", Errno.EOPNOTSUPP, "x"));
        assertEquals(TunTapException.class, LinuxErrors.of("f", Errno.EINVAL, "x").getClass());
    }

    @Test
    void messageNamesTheCallTheErrnoAndTheExplanation() {
        TunTapException e = LinuxErrors.of("ioctl(TUNSETIFF) on tun0", Errno.EBUSY, "tun0 is in use");
        assertEquals("ioctl(TUNSETIFF) on tun0 failed with EBUSY (errno 16): tun0 is in use", e.getMessage());
        assertEquals("ioctl(TUNSETIFF) on tun0", e.function());
        assertEquals(16, e.errorCode());
    }

    @Test
    void permissionErrorsExplainHowToGetThePrivilege() {
        TunTapException e = LinuxErrors.ofCommon("rtnetlink RTM_NEWADDR", Errno.EPERM, "ignored");
        assertTrue(e.getMessage().contains("CAP_NET_ADMIN") && e.getMessage().contains("owner"), e.getMessage());
        assertTrue(LinuxErrors.ofCommon("f", Errno.EMFILE, "ignored").getMessage().contains("ulimit -n"));
        assertTrue(LinuxErrors.ofCommon("f", Errno.EINVAL, "own words").getMessage().endsWith("own words"));
    }

    @Test
    void checksWithoutTheKernelCarryErrorCodeZeroAndOneFormat() {
        TunTapException[] checks = {
            LinuxErrors.invalidName("a/b", "it contains '/'"),
            LinuxErrors.nameIsAPattern("tun%d"),
            LinuxErrors.tooManyQueues(300, 256),
            LinuxErrors.noMultiQueue(),
            LinuxErrors.noVnetHeader(),
            LinuxErrors.modeNotOffered(DeviceMode.TAP),
            LinuxErrors.nothingToAttach("tun7"),
            LinuxErrors.nameTaken("tun7"),
            LinuxErrors.nameOfAnotherKind("lo", DeviceMode.TUN, null),
            LinuxErrors.otherMode("tun7", DeviceMode.TAP, DeviceMode.TUN),
            LinuxErrors.singleQueueDevice("tun7", 4),
            LinuxErrors.negativeTxQueueLength("tun7", -1),
            LinuxErrors.mtuOutOfRange("tun7", 70000, 68, 65535),
            LinuxErrors.addressMissing("rtnetlink RTM_DELADDR", "tun7", IpPrefix.parse("10.0.0.1/24"), 0),
            LinuxErrors.macNotUnicast("tap7", MacAddress.parse("01:00:5e:00:00:01"), "a multicast address"),
            LinuxErrors.invalidNamespaceName("a/b"),
            LinuxErrors.namespacesUnavailable("not Linux"),
            LinuxErrors.emptyWrite("tun7"),
            LinuxErrors.writeTooLarge("tun7", true, 70000, 65535, 65535, 0),
            LinuxErrors.interrupted("tun7", 0),
        };
        for (TunTapException e : checks) {
            assertEquals(0, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().startsWith(e.function()) && e.getMessage().contains(" failed: "),
                    e.getMessage());
        }
        assertInstanceOf(InvalidConfigurationException.class, checks[1]);
        assertTrue(checks[1].getMessage().contains("ATTACH_EXISTING"), checks[1].getMessage());
        assertInstanceOf(DeviceNotFoundException.class, checks[6]);
        assertInstanceOf(DeviceBusyException.class, checks[9]);
        assertTrue(checks[9].getMessage().contains("DeviceConfig.tun()"), checks[9].getMessage());
        assertInstanceOf(PacketTooLargeException.class, checks[18]);
        assertTrue(checks[18].getMessage().contains("IPv6 packets of at most 65575"), checks[18].getMessage());
        assertInstanceOf(DeviceInterruptedException.class, checks[19]);
    }

    @Test
    void answersFromTheKernelCarryTheirErrnoInTheSameFormat() {
        TunTapException gone = LinuxErrors.linkGone("tun7", "no longer exists");
        assertInstanceOf(DeviceNotFoundException.class, gone);
        assertEquals(Errno.ENODEV, gone.errorCode());
        assertTrue(gone.getMessage().startsWith("rtnetlink RTM_GETLINK failed with ENODEV (errno "),
                gone.getMessage());
        TunTapException missing = LinuxErrors.addressMissing("rtnetlink RTM_DELADDR", "tun7",
                IpPrefix.parse("10.0.0.1/24"), Errno.EADDRNOTAVAIL);
        assertEquals(Errno.EADDRNOTAVAIL, missing.errorCode());
        assertTrue(missing.getMessage().contains("failed with EADDRNOTAVAIL (errno "), missing.getMessage());
        TunTapException mac = LinuxErrors.macRefused("tap7", MacAddress.parse("00:00:00:00:00:00"),
                Errno.EADDRNOTAVAIL);
        assertInstanceOf(InvalidConfigurationException.class, mac);
        assertInstanceOf(DeviceNotFoundException.class, LinuxErrors.noSuchNamespace("/run/netns/x", Errno.ENOENT));
        assertInstanceOf(DeviceBusyException.class, LinuxErrors.addressExists("c", "tun7",
                IpPrefix.parse("10.0.0.1/24"), Errno.EEXIST));
        assertInstanceOf(UnsupportedFeatureException.class, LinuxErrors.ipv6Disabled("c", "tun7", Errno.EACCES));
    }
}
