// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import org.junit.jupiter.api.Test;

/** The BSD translator: the numbers are the BSD headers' (sys/errno.h), written out here on purpose. */
class BsdErrorsTest {
    @Test
    void theBsdNumberPicksTheType() {
        assertInstanceOf(DevicePermissionException.class, BsdErrors.of("f", 1, "x"));       // EPERM
        assertInstanceOf(DevicePermissionException.class, BsdErrors.of("f", 13, "x"));      // EACCES
        assertInstanceOf(DeviceBusyException.class, BsdErrors.of("f", 16, "x"));            // EBUSY
        assertInstanceOf(DeviceBusyException.class, BsdErrors.of("f", 17, "x"));            // EEXIST
        assertInstanceOf(DeviceNotFoundException.class, BsdErrors.of("f", 6, "x"));         // ENXIO
        assertInstanceOf(DeviceNotFoundException.class, BsdErrors.of("f", 3, "x"));         // ESRCH
        assertInstanceOf(DeviceNotFoundException.class, BsdErrors.of("f", 49, "x"));        // EADDRNOTAVAIL
        assertInstanceOf(UnsupportedFeatureException.class, BsdErrors.of("f", 25, "x"));    // ENOTTY
        // 35 is EAGAIN here; on Linux it would be EDEADLK. 99 is EADDRNOTAVAIL on Linux, nothing here.
        assertEquals(TunTapException.class, BsdErrors.of("f", 35, "x").getClass());
        assertEquals(TunTapException.class, BsdErrors.of("f", 99, "x").getClass());
    }

    @Test
    void messagesHaveTheOneFormat() {
        TunTapException e = BsdErrors.of("ioctl(SIOCIFCREATE2) on tun0", 17, "tun0 exists; choose another name");
        assertEquals("ioctl(SIOCIFCREATE2) on tun0 failed with EEXIST (errno 17): tun0 exists; choose another name",
                e.getMessage());
        assertEquals(17, e.errorCode());
        assertEquals("write(tun0) failed with errno 1234: x", BsdErrors.of("write(tun0)", 1234, "x").getMessage());
    }

    @Test
    void sharedCausesExplainPrivilegeAndFileLimits() {
        assertTrue(BsdErrors.ofCommon("f", 1, "own").getMessage().endsWith(BsdErrors.PRIVILEGE_FIX));
        assertTrue(BsdErrors.ofCommon("f", 24, "own").getMessage().contains("ulimit -n"));   // EMFILE
        assertTrue(BsdErrors.ofCommon("f", 22, "own words").getMessage().endsWith("own words"));
    }
}
