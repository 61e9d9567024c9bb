// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether the probe finds CAP_NET_ADMIN, from status files written as proc(5) describes them. The capability sets
 * below are those of root (all 41 capabilities of a 6.x kernel: 0x1ffffffffff), of an ordinary user (none), and of
 * a JVM given only cap_net_admin with setcap (bit 12 alone: 0x1000).
 */
class LinuxProbePrivilegeTest {
    @TempDir
    Path dir;

    private Path status(String capEff) throws Exception {
        return Files.writeString(dir.resolve("status"), "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\n"
                + (capEff == null ? "" : "CapEff:\t" + capEff + "\n") + "CapBnd:\t000001ffffffffff\n");
    }

    @Test
    void rootsFullSetHasTheCapability() throws Exception {
        assertNull(LinuxProbe.netAdminMissing(status("000001ffffffffff"), 0));
    }

    @Test
    void aSetWithOnlyBit12HasItWhateverTheUid() throws Exception {
        assertNull(LinuxProbe.netAdminMissing(status("0000000000001000"), 1000));
    }

    @Test
    void aContainersDefaultSetLacksItEvenForUidZero() throws Exception {
        // Root in a container started without the capability (bits 0, 1, 3-8, 10, 13, 18, 27, 29, 31: no 12): uid 0 is
        // not enough.
        String why = LinuxProbe.netAdminMissing(status("00000000a80425fb"), 0);
        assertTrue(why != null && why.contains("lacks CAP_NET_ADMIN") && why.contains("CapEff 00000000a80425fb")
                && why.contains("ATTACH_EXISTING"), why);
    }

    @Test
    void anOrdinaryUserLacksIt() throws Exception {
        String why = LinuxProbe.netAdminMissing(status("0000000000000000"), 1000);
        assertTrue(why != null && why.contains("effective uid 1000") && why.contains("setcap"), why);
    }

    @Test
    void withoutTheLineTheEffectiveUidDecides() throws Exception {
        assertNull(LinuxProbe.netAdminMissing(status(null), 0));
        String why = LinuxProbe.netAdminMissing(dir.resolve("missing"), 1000);
        assertTrue(why != null && why.contains("not root"), why);
    }
}
