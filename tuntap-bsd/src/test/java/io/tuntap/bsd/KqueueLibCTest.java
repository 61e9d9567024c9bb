// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.posix.ParkingPoller;
import io.tuntap.posix.PollParkingPoller;
import io.tuntap.posix.PosixCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The real binding's choice, on this Linux host, whose C library has no kqueue: binding it fails where the poller
 * is chosen, and the poll poller takes over, through JNA on Java 17 and through the foreign function API on the
 * JDK 22+ execution.
 */
class KqueueLibCTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void withoutKqueueInTheCLibraryThePollPollerTakesOver() {
        KqueueLibC libc = new KqueueLibC(PosixCalls.libc(), BsdAbi.FREEBSD);
        ParkingPoller poller = libc.parkingPoller();
        assertInstanceOf(PollParkingPoller.class, poller, "glibc has no kqueue(2): " + PosixCalls.binding());
        assertSame(poller, libc.parkingPoller(), "chosen once");
        assertTrue(KqueueParkingPoller.describe(poller).startsWith("poll"), KqueueParkingPoller.describe(poller));
    }
}
