// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
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
}
