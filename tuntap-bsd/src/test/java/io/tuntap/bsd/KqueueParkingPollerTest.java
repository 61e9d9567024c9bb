// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.Kevent;
import io.tuntap.posix.Parking;
import io.tuntap.posix.ParkingPoller;
import io.tuntap.posix.PollParkingPoller;
import org.junit.jupiter.api.Test;

/** How the kqueue poller reads events, and the poll poller as the fallback where kqueue cannot be bound. */
class KqueueParkingPollerTest {

    @Test
    void eachFilterWakesItsSideAndEofOrErrorWakeBoth() {
        for (BsdAbi.Os os : BsdAbi.Os.values()) {
            Kevent k = Kevent.of(os);
            assertEquals(Parking.READABLE, KqueueParkingPoller.bits(k, k.evfiltRead, Kevent.EV_ONESHOT), os + "");
            assertEquals(Parking.WRITABLE, KqueueParkingPoller.bits(k, k.evfiltWrite, 0), os + "");
            int both = Parking.READABLE | Parking.WRITABLE;
            assertEquals(both, KqueueParkingPoller.bits(k, k.evfiltRead, Kevent.EV_EOF | Kevent.EV_ONESHOT), os + "");
            assertEquals(both, KqueueParkingPoller.bits(k, k.evfiltRead, Kevent.EV_ERROR), os + "");
        }
    }

    @Test
    void oneKqueuePollerPerBindingAndThePollOneWhenKqueueCannotBeBound() {
        FakeKernel k = new FakeOpenBsd();
        ParkingPoller chosen = KqueueParkingPoller.choose(k, () -> k, k.abi);
        assertSame(KqueueParkingPoller.of(k, k, k.abi), chosen, "one per kqueue binding");
        assertEquals("kqueue (thread tuntap-kqueue-poller)", KqueueParkingPoller.describe(chosen));
        ParkingPoller fallback = KqueueParkingPoller.choose(k, () -> {
            throw new UnsatisfiedLinkError("no kevent in this C library");
        }, k.abi);
        assertInstanceOf(PollParkingPoller.class, fallback);
        assertTrue(KqueueParkingPoller.describe(fallback).startsWith("poll"), KqueueParkingPoller.describe(fallback));
        assertEquals(false, ((KqueueParkingPoller) chosen).started(), "nothing is made before the first wait");
        assertEquals(0, k.openFds());
    }
}
