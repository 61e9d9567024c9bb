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
    void aCallInsideAnotherOnTheSameThreadIsCountedUntilBothLeave() throws Exception {
        CloseGate gate = new CloseGate("nested");
        gate.enterRead(); // takes the side's slot
        gate.enterRead(); // the slot is this thread's already: the slow path's counter
        assertEquals(2, gate.activeCalls());
        gate.exitRead(); // whichever leaves first frees the slot; the count stays right
        assertEquals(1, gate.activeCalls());
        AtomicBoolean released = new AtomicBoolean();
        Thread closer = new Thread(() -> gate.close(() -> { }, () -> released.set(true)));
        closer.start();
        closer.join(300);
        assertFalse(released.get(), "released while a call was still inside");
        assertTrue(closer.isAlive(), "close waits for the call inside");
        gate.exitRead();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertTrue(released.get());
        assertEquals(0, gate.activeCalls());
    }

    @Test
    void closeWaitsForASecondCallOnATakenSideAfterTheFirstLeft() throws Exception {
        CloseGate gate = new CloseGate("two readers");
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch secondInside = new CountDownLatch(1);
        CountDownLatch firstMayLeave = new CountDownLatch(1);
        CountDownLatch secondMayLeave = new CountDownLatch(1);
        AtomicBoolean secondActive = new AtomicBoolean();
        AtomicBoolean releasedWhileInside = new AtomicBoolean();
        Thread first = new Thread(() -> {
            try {
                gate.enterRead();
                firstInside.countDown();
                firstMayLeave.await();
                gate.exitRead();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Thread second = new Thread(() -> {
            try {
                assertTrue(firstInside.await(10, TimeUnit.SECONDS));
                gate.enterRead(); // the slot is the first reader's: the slow path
                secondActive.set(true);
                secondInside.countDown();
                secondMayLeave.await();
                secondActive.set(false);
                gate.exitRead();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        first.start();
        second.start();
        assertTrue(secondInside.await(10, TimeUnit.SECONDS));
        assertEquals(2, gate.activeCalls());
        Thread closer = new Thread(() -> gate.close(() -> { },
                () -> releasedWhileInside.set(secondActive.get())));
        closer.start();
        firstMayLeave.countDown();
        first.join(10_000);
        closer.join(300);
        assertTrue(closer.isAlive(), "close waits for the second reader, on the counter");
        secondMayLeave.countDown();
        closer.join(10_000);
        second.join(10_000);
        assertFalse(closer.isAlive());
        assertFalse(releasedWhileInside.get(), "the handles were released only after the second reader left");
        assertEquals(0, gate.activeCalls());
    }

    /**
     * Both paths at once under close: per side one thread that mostly has the slot, one that competes for it,
     * and calls nested inside calls. Every call checks, while inside, that the handle it stands for has not
     * been released. Nothing here waits on timing: whatever the interleaving, a violation is a broken gate.
     */
    @Test
    void slotAndCounterRacingWithCloseNeverRunInsideAReleasedGate() throws Exception {
        for (int round = 0; round < 200; round++) {
            CloseGate gate = new CloseGate("stress");
            AtomicBoolean released = new AtomicBoolean();
            AtomicBoolean violation = new AtomicBoolean();
            AtomicInteger calls = new AtomicInteger();
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                boolean reading = t < 2;
                boolean nesting = t % 2 == 1;
                threads[t] = new Thread(() -> {
                    while (true) {
                        try {
                            enter(gate, reading);
                        } catch (DeviceClosedException e) {
                            return;
                        }
                        try {
                            if (nesting) {
                                enter(gate, reading);
                                if (released.get()) {
                                    violation.set(true);
                                }
                                exit(gate, reading);
                            }
                            if (released.get()) {
                                violation.set(true);
                            }
                        } catch (DeviceClosedException e) {
                            // the inner call was refused; the outer one is still inside and leaves below
                        } finally {
                            exit(gate, reading);
                        }
                        calls.incrementAndGet();
                    }
                });
                threads[t].start();
            }
            while (calls.get() < 100) {
                Thread.onSpinWait();
            }
            gate.close(() -> { }, () -> released.set(true));
            for (Thread t : threads) {
                t.join(30_000);
                assertFalse(t.isAlive());
            }
            assertFalse(violation.get(), "no call ran inside after release (round " + round + ")");
            assertEquals(0, gate.activeCalls(), "every call left");
        }
    }

    private static void enter(CloseGate gate, boolean reading) throws DeviceClosedException {
        if (reading) {
            gate.enterRead();
        } else {
            gate.enterWrite();
        }
    }

    private static void exit(CloseGate gate, boolean reading) {
        if (reading) {
            gate.exitRead();
        } else {
            gate.exitWrite();
        }
    }
}
