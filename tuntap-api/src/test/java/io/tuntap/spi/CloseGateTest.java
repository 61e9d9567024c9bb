// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceClosedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CloseGateTest {
    @Test
    void callsEnterWhileOpenAndFailAfterClose() throws Exception {
        CloseGate gate = new CloseGate("tun9 queue 1");
        gate.enterRead();
        gate.enterWrite();
        assertEquals(2, gate.activeCalls());
        gate.exitRead();
        gate.exitWrite();
        assertTrue(gate.close(() -> { }, () -> { }));
        assertFalse(gate.isOpen());
        DeviceClosedException e = assertThrows(DeviceClosedException.class, gate::enterRead);
        assertEquals("read on tun9 queue 1 failed: tun9 queue 1 is closed (possibly by another thread); open the "
                + "device again to go on", e.getMessage());
        assertEquals(0, e.errorCode(), "no OS error code is invented");
        assertThrows(DeviceClosedException.class, gate::enterWrite);
        assertEquals(0, gate.activeCalls(), "a refused call leaves no registration behind");
    }

    @Test
    void releaseWaitsForTheCallsInsideAndRunsOnce() throws Exception {
        CloseGate gate = new CloseGate("q");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch woken = new CountDownLatch(1);
        AtomicBoolean releasedWhileInside = new AtomicBoolean();
        AtomicBoolean callActive = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                gate.enterRead();
                callActive.set(true);
                inside.countDown();
                woken.await(); // a blocked read that close() wakes
                Thread.sleep(20); // still using the handle a little after the wake-up
                callActive.set(false);
                gate.exitRead();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        reader.start();
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        AtomicInteger releases = new AtomicInteger();
        Runnable release = () -> {
            releasedWhileInside.compareAndSet(false, callActive.get());
            releases.incrementAndGet();
        };
        // Two closers at once: both return only after the release, and it runs once.
        Thread second = new Thread(() -> gate.close(woken::countDown, release));
        second.start();
        gate.close(woken::countDown, release);
        second.join(5000);
        reader.join(5000);
        assertFalse(releasedWhileInside.get(), "the handles were released only after the call left");
        assertEquals(1, releases.get(), "release runs exactly once");
        assertFalse(gate.close(() -> { }, () -> releases.incrementAndGet()), "a later close is a no-op");
        assertEquals(1, releases.get());
    }

    @Test
    void manyThreadsRacingWithCloseNeverRunInsideAReleasedGate() throws Exception {
        for (int round = 0; round < 50; round++) {
            CloseGate gate = new CloseGate("race");
            AtomicBoolean released = new AtomicBoolean();
            AtomicBoolean violation = new AtomicBoolean();
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                boolean reading = t % 2 == 0;
                threads[t] = new Thread(() -> {
                    while (true) {
                        try {
                            if (reading) {
                                gate.enterRead();
                            } else {
                                gate.enterWrite();
                            }
                        } catch (DeviceClosedException e) {
                            return;
                        }
                        if (released.get()) {
                            violation.set(true);
                        }
                        if (reading) {
                            gate.exitRead();
                        } else {
                            gate.exitWrite();
                        }
                    }
                });
                threads[t].start();
            }
            Thread.sleep(1);
            gate.close(() -> { }, () -> released.set(true));
            for (Thread t : threads) {
                t.join(5000);
                assertFalse(t.isAlive());
            }
            assertFalse(violation.get(), "no call ran inside after release (round " + round + ")");
        }
    }
}
