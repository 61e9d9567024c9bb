// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.testkit.ContractHarness.DeviceUnderTest;
import io.tuntap.spi.VirtualThreads;
import io.tuntap.testkit.VirtualThreadContract;
import io.tuntap.windows.win32.Kernel32Io;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Reads on virtual threads against the fakes of tap0901 and of {@code wintun.dll}: they park with
 * {@link EventParking} (its group threads wait in the fake kernel32's {@code WaitForMultipleObjects}) instead of
 * pinning a carrier in that wait. After each device closes, the fakes must hold no handle (the group's own event
 * included: its thread ends with the last watch) and have seen no misuse, a handle closed under a pending wait
 * among them. With parking turned off the same reads are not parked: the checks below see them in the fake's
 * native wait. Runs on Java 21 and later (the java22 Surefire execution); skipped before.
 */
class WindowsVirtualThreadFakeTest {
    private static final long SAMPLE_MILLIS = 1500;

    @Nested
    class TapWindows extends VirtualThreadContract {
        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return FakeTapContractTest.openOnFake(config, true);
        }
    }

    @Nested
    class Wintun extends VirtualThreadContract {
        @Override
        protected Set<DeviceMode> supportedModes() {
            return EnumSet.of(DeviceMode.TUN);
        }

        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return WintunContractTest.openOnFake(config, true);
        }
    }

    /** What the contract's "parked" check sees with parking off, and then on, for each backend. */
    @Nested
    class ParkingOff {
        @Test
        void tapWindowsReaderWaitsNativelyWithoutParking() throws Exception {
            readerWaitsNativelyWithoutParking(config -> FakeTapContractTest.openOnFake(config, false),
                    DeviceConfig.tap().build());
        }

        @Test
        void wintunReaderWaitsNativelyWithoutParking() throws Exception {
            readerWaitsNativelyWithoutParking(config -> WintunContractTest.openOnFake(config, false),
                    DeviceConfig.tun().address("10.9.0.2/24").build());
        }

        @Test
        void tapWindowsReaderParksWithParking() throws Exception {
            readerParks(config -> FakeTapContractTest.openOnFake(config, true), DeviceConfig.tap().build());
        }

        @Test
        void wintunReaderParksWithParking() throws Exception {
            readerParks(config -> WintunContractTest.openOnFake(config, true),
                    DeviceConfig.tun().address("10.9.0.2/24").build());
        }
    }

    @FunctionalInterface
    private interface Opener {
        DeviceUnderTest open(DeviceConfig config) throws Exception;
    }

    /** Reads until a read throws. */
    @FunctionalInterface
    private interface Reads {
        void run() throws Exception;
    }

    /** A started virtual thread running {@code reads}, which records what ended them. */
    private static Thread startReader(Reads reads, AtomicReference<Throwable> ended) throws Exception {
        Runnable read = () -> {
            try {
                reads.run();
            } catch (Exception e) {
                ended.set(e);
            }
        };
        return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, read);
    }

    private static Thread startReader(TunTapDevice device, AtomicReference<Throwable> ended) throws Exception {
        return startReader(() -> {
            while (true) {
                device.read(ByteBuffer.allocateDirect(70_000));
            }
        }, ended);
    }

    /** Parked as the contract means it: waiting, with no native frame on the stack. */
    private static boolean parked(Thread.State state, StackTraceElement[] frames) {
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && frames.length > 0
                && Arrays.stream(frames).noneMatch(StackTraceElement::isNativeMethod);
    }

    /** What a test sees of a reader on a virtual thread while the device is open. */
    @FunctionalInterface
    private interface ReaderCheck {
        void check(Thread reader) throws Exception;
    }

    /** Opens a device, reads on a virtual thread, checks the reader, closes: the read ends with the close. */
    private static void readOnFake(Opener opener, DeviceConfig config, ReaderCheck check) throws Exception {
        assumeVirtualThreads();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread reader;
        try (DeviceUnderTest dut = opener.open(config)) {
            reader = startReader(dut.device(), ended);
            check.check(reader);
        }
        reader.join(10_000);
        assertFalse(reader.isAlive(), "close ends the read");
        assertInstanceOf(DeviceClosedException.class, ended.get());
    }

    private static void readerWaitsNativelyWithoutParking(Opener opener, DeviceConfig config) throws Exception {
        readOnFake(opener, config, reader -> {
            int nativeWaits = 0;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS);
            while (System.nanoTime() < end) {
                Thread.State state = reader.getState();
                StackTraceElement[] frames = reader.getStackTrace();
                assertFalse(parked(state, frames), () -> "parked although parking is off: " + Arrays.toString(frames));
                if (Arrays.stream(frames).anyMatch(StackTraceElement::isNativeMethod)
                        && Arrays.stream(frames).anyMatch(f -> f.getMethodName().equals("WaitForMultipleObjects"))) {
                    nativeWaits++;
                }
                Thread.sleep(10);
            }
            assertTrue(nativeWaits > 0, "the reader was seen in the fake's WaitForMultipleObjects");
        });
    }

    private static void readerParks(Opener opener, DeviceConfig config) throws Exception {
        readOnFake(opener, config, VirtualThreadContract::awaitParked);
    }

    /**
     * A wait of a group that fails (here: a handle that is no event, which the fake answers with
     * {@code WAIT_FAILED} and {@code ERROR_INVALID_HANDLE}) wakes the group's readers, which then look for
     * themselves, and does not spin: the failed watches are disarmed, and the group waits on again.
     */
    @Test
    void aFailedWaitWakesItsReadersAndTheGroupGoesOn() throws Exception {
        assumeVirtualThreads();
        FakeTapDriver k32 = new FakeTapDriver("{00000000-0000-0000-0000-000000000003}",
                MacAddress.parse("02:00:00:00:00:03"));
        EventParking parking = EventParking.of(k32);
        long bogus = 0x7fff_0000L;
        EventParking.Watch bad = parking.watch(bogus);
        AtomicReference<Boolean> fired = new AtomicReference<>();
        Thread reader = startReader(() -> {
            bad.waiter(Thread.currentThread());
            try {
                assertEquals(0, bad.arm());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!bad.takeFired() && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(deadline - System.nanoTime());
                }
                fired.set(System.nanoTime() < deadline);
            } finally {
                bad.disarm();
            }
        }, new AtomicReference<>());
        reader.join(20_000);
        assertEquals(Boolean.TRUE, fired.get(), "the reader was woken by the failed wait");
        long event = k32.CreateEvent(true, false);
        EventParking.Watch good = parking.watch(event);
        AtomicReference<Boolean> goodFired = new AtomicReference<>();
        Thread second = startReader(() -> {
            good.waiter(Thread.currentThread());
            try {
                assertEquals(0, good.arm());
                while (!good.takeFired()) {
                    LockSupport.park();
                }
                goodFired.set(true);
            } finally {
                good.disarm();
            }
        }, new AtomicReference<>());
        VirtualThreadContract.awaitParked(second);
        k32.SetEvent(event);
        second.join(10_000);
        assertEquals(Boolean.TRUE, goodFired.get(), "the group waits on after the failure");
        assertEquals(1, k32.violations().stream().filter(v -> v.startsWith("not an event")).count(),
                () -> "one failed wait, not a spin: " + k32.violations());
        bad.remove();
        good.remove();
        assertEquals(0, parking.threads());
        k32.CloseHandle(event);
        assertEquals(0, k32.openHandles());
    }

    /**
     * Close, and interrupt then close, racing reads on virtual threads that are parked, about to park or between
     * two reads (plain, and timed with a 3 ms timeout), 100 times on each backend: each read ends, and after each
     * close the fakes hold no handle and no native memory and saw no misuse (no handle closed under a pending
     * wait, no overlapped operation pending at close).
     */
    @Test
    void closeAndInterruptRaceReadsOnVirtualThreads() throws Exception {
        assumeVirtualThreads();
        for (int i = 0; i < 100; i++) {
            for (int kind = 0; kind < 4; kind++) {
                boolean wintun = kind >= 2;
                DeviceUnderTest dut = wintun
                        ? WintunContractTest.openOnFake(DeviceConfig.tun().address("10.9.0.2/24").build(), true)
                        : FakeTapContractTest.openOnFake(DeviceConfig.tap().build(), true);
                boolean timed = (i & 1) == 0;
                AtomicReference<Throwable> ended = new AtomicReference<>();
                Thread reader = startReader(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(70_000);
                    while (true) {
                        b.clear();
                        if (timed) {
                            dut.device().read(b, Duration.ofMillis(3));
                        } else {
                            dut.device().read(b);
                        }
                    }
                }, ended);
                if (i % 3 == 0) {
                    VirtualThreadContract.awaitParked(reader);
                } else {
                    Thread.sleep(i % 5);
                }
                if ((kind & 1) == 1) {
                    reader.interrupt();
                    reader.join(10_000);
                }
                dut.close();
                reader.join(10_000);
                int iteration = i;
                int k = kind;
                assertFalse(reader.isAlive(), () -> "iteration " + iteration + ", kind " + k + ": the read ended");
                assertTrue(ended.get() instanceof TunTapException, () -> "iteration " + iteration + ": " + ended.get());
            }
        }
    }

    private static void assumeVirtualThreads() {
        assumeTrue(VirtualThreads.exist(), () -> "Java " + Runtime.version().feature() + " has no virtual threads (21+)");
    }

    /**
     * More armed watches than one WaitForMultipleObjects takes (the fake refuses a 65th handle, as Windows does):
     * 100 parked readers make two group threads, every one of them wakes for its own event's signal and for no
     * other, and once every watch is removed the groups end and close their events.
     */
    @Test
    void moreWatchesThanOneWaitTakesMakeGroups() throws Exception {
        assumeVirtualThreads();
        FakeTapDriver k32 = new FakeTapDriver("{00000000-0000-0000-0000-000000000001}",
                MacAddress.parse("02:00:00:00:00:02"));
        try (Memory many = new Memory(8L * (Kernel32Io.MAXIMUM_WAIT_OBJECTS + 1))) {
            for (int i = 0; i <= Kernel32Io.MAXIMUM_WAIT_OBJECTS; i++) {
                many.setLong(8L * i, k32.CreateEvent(true, false));
            }
            assertEquals(Kernel32Io.WAIT_FAILED, k32.WaitForMultipleObjects(Kernel32Io.MAXIMUM_WAIT_OBJECTS + 1,
                    Pointer.nativeValue(many), false, 0), "65 handles are refused");
            assertEquals(WinErrors.ERROR_INVALID_PARAMETER, k32.GetLastError());
            assertEquals(Kernel32Io.WAIT_TIMEOUT, k32.WaitForMultipleObjects(Kernel32Io.MAXIMUM_WAIT_OBJECTS,
                    Pointer.nativeValue(many), false, 0), "64 are taken");
            for (int i = 0; i <= Kernel32Io.MAXIMUM_WAIT_OBJECTS; i++) {
                k32.CloseHandle(many.getLong(8L * i));
            }
        }
        k32.violations.clear();

        EventParking parking = EventParking.of(k32);
        int readers = 100;
        long[] events = new long[readers];
        List<EventParking.Watch> watches = new ArrayList<>();
        AtomicInteger[] wakes = new AtomicInteger[readers];
        Thread[] threads = new Thread[readers];
        for (int i = 0; i < readers; i++) {
            events[i] = k32.CreateEvent(true, false);
            EventParking.Watch w = parking.watch(events[i]);
            watches.add(w);
            AtomicInteger woke = new AtomicInteger();
            wakes[i] = woke;
            threads[i] = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null,
                    (Runnable) () -> {
                        w.waiter(Thread.currentThread());
                        try {
                            if (w.arm() != 0) {
                                return;
                            }
                            while (!w.takeFired()) {
                                LockSupport.park();
                            }
                            woke.incrementAndGet();
                        } finally {
                            w.disarm();
                        }
                    });
        }
        for (Thread t : threads) {
            VirtualThreadContract.awaitParked(t);
        }
        assertEquals(2, parking.threads(), "63 watches a group: 100 need two");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(23));
        for (int i : order) {
            assertEquals(0, wakes[i].get(), "reader " + i + " woke before its event");
            k32.SetEvent(events[i]);
            threads[i].join(10_000);
            assertFalse(threads[i].isAlive(), "reader " + i + " woke for its event");
            assertEquals(1, wakes[i].get());
        }
        for (EventParking.Watch w : watches) {
            w.remove();
        }
        assertEquals(0, parking.threads(), "no watch left: the group threads ended");
        for (long e : events) {
            assertTrue(k32.CloseHandle(e));
        }
        assertEquals(0, k32.openHandles(), "the groups closed their own events");
        assertEquals(List.of(), k32.violations(), "no handle closed under a wait, no wait of more than 64");
    }
}
