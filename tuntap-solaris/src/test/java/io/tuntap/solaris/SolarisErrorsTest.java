// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import org.junit.jupiter.api.Test;

/** The illumos translator: the numbers are illumos sys/errno.h's, written out here on purpose. */
class SolarisErrorsTest {
    @Test
    void theIllumosNumberPicksTheType() {
        assertInstanceOf(DevicePermissionException.class, SolarisErrors.of("f", 1, "x"));     // EPERM
        assertInstanceOf(DeviceBusyException.class, SolarisErrors.of("f", 17, "x"));          // EEXIST
        assertInstanceOf(DeviceNotFoundException.class, SolarisErrors.of("f", 3, "x"));       // ESRCH
        assertInstanceOf(DeviceNotFoundException.class, SolarisErrors.of("f", 126, "x"));     // EADDRNOTAVAIL
        assertInstanceOf(UnsupportedFeatureException.class, SolarisErrors.of("f", 122, "x")); // EOPNOTSUPP
        // 95 is EOPNOTSUPP on Linux, ENOTSOCK here; 49 is EADDRNOTAVAIL on the BSDs, EDQUOT here.
        assertEquals(TunTapException.class, SolarisErrors.of("f", 95, "x").getClass());
        assertEquals(TunTapException.class, SolarisErrors.of("f", 49, "x").getClass());
    }

    @Test
    void messagesHaveTheOneFormat() {
        TunTapException e = SolarisErrors.of("ioctl(I_STR TUNNEWPPA)", 62, "the driver did not answer");
        assertEquals("ioctl(I_STR TUNNEWPPA) failed with ETIME (errno 62): the driver did not answer", e.getMessage());
        assertTrue(SolarisErrors.ofCommon("f", 13, "own").getMessage().endsWith(SolarisErrors.PRIVILEGE_FIX));
    }
}
