// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The device contract's cases for open and close, identity, waking and interrupting blocked readers, and calls after
 * close. One of the themed classes that {@link TunTapDeviceContract} is made of; a backend's test extends {@link
 * TunTapDeviceContract} and so runs these with all the others. The harness (opening the device, the peer, the
 * addresses) is {@link ContractHarness}.
 */
public abstract class LifecycleContract extends ContractHarness {
    /** For the next class in the contract. */
    protected LifecycleContract() {
    }

    /** A device opens, reports itself open, and closes. */
    @EachMode
    public void opensAndCloses(DeviceMode mode) throws Exception {
        DeviceUnderTest dut = openUnderTest(mode);
        try {
            assertTrue(dut.device().isOpen(), "a freshly opened device is open");
        } finally {
            dut.close();
        }
        assertFalse(dut.device().isOpen(), "a closed device reports isOpen() false");
    }

    /** Name, index, mode, type, capabilities and queues are as configured. */
    @EachMode
    public void reportsNameIndexModeAndQueues(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assertNotNull(d.name());
            assertFalse(d.name().isEmpty(), "the name is not empty");
            assertTrue(d.index() > 0, "the interface index is positive: " + d.index());
            assertEquals(mode, d.mode());
            Class<?> type = mode == DeviceMode.TUN ? TunDevice.class : TapDevice.class;
            assertTrue(type.isInstance(d), d + " implements " + type.getSimpleName());
            assertTrue(d.capabilities().contains(mode == DeviceMode.TUN ? Capability.TUN : Capability.TAP),
                    "capabilities " + d.capabilities() + " include the device's mode");
            assertEquals(1, d.queues().size(), "one queue by default");
            assertSame(d, d.queues().get(0), "queue 0 is the device itself");
        }
    }

    /** Closing the device from another thread wakes a blocked reader with DeviceClosedException within 100 ms. */
    @EachMode
    public void closeWakesBlockedReaderPromptly(DeviceMode mode) throws Exception {
        assumeMode(mode);
        WakeUpTimes times = new WakeUpTimes("close wakes a blocked " + mode + " reader", closeWakeRepetitions());
        for (int i = 0; i < closeWakeRepetitions(); i++) {
            try (DeviceUnderTest dut = openUnderTest(mode)) {
                TunTapDevice d = dut.device();
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                AtomicLong wokeAt = new AtomicLong();
                CountDownLatch reading = new CountDownLatch(1);
                Thread reader = new Thread(() -> {
                    ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
                    reading.countDown();
                    try {
                        while (true) {
                            dst.clear();
                            d.read(dst);
                        }
                    } catch (Throwable t) {
                        wokeAt.set(System.nanoTime());
                        thrown.set(t);
                    }
                }, "contract-reader-" + i);
                reader.start();
                assertTrue(reading.await(5, TimeUnit.SECONDS));
                Thread.sleep(1); // let it block
                long start = System.nanoTime();
                d.close();
                reader.join(5000);
                // Up to the reader's exception, not to the end of close(), which may go on tearing the
                // device down after it has woken the reader.
                times.record(wokeAt.get() - start);
                assertFalse(reader.isAlive(), "repetition " + i + ": the reader is still blocked 5 s after close");
                assertInstanceOf(DeviceClosedException.class, thrown.get(), "repetition " + i);
            }
        }
        times.check(100, 1000);
    }

    /** Interrupting a blocked reader throws DeviceInterruptedException with the flag set; the device stays usable. */
    @EachMode
    public void interruptStopsBlockedReaderAndDeviceStaysUsable(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagSet = new AtomicBoolean();
            CountDownLatch reading = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
                reading.countDown();
                try {
                    while (true) {
                        dst.clear();
                        d.read(dst);
                    }
                } catch (Throwable t) {
                    flagSet.set(Thread.currentThread().isInterrupted());
                    thrown.set(t);
                }
            }, "contract-interrupted-reader");
            reader.start();
            assertTrue(reading.await(5, TimeUnit.SECONDS));
            Thread.sleep(20);
            reader.interrupt();
            reader.join(2000);
            assertFalse(reader.isAlive(), "the interrupted reader returned");
            assertInstanceOf(DeviceInterruptedException.class, thrown.get());
            assertTrue(flagSet.get(), "the interrupt status is set again");
            assertTrue(d.isOpen(), "an interrupt does not close the device");

            byte[] payload = payload(40, 7);
            d.write(packet(d, REMOTE_V4, host.getAddress(), payload));
            assertArrayEquals(payload, socket.receive(packetTimeout()), "writes still work");
            socket.send(new InetSocketAddress(REMOTE_V4, REMOTE_PORT), payload);
            assertArrayEquals(payload, readUdp(d, REMOTE_PORT).payload(), "reads still work");
        }
    }


    /** Close is idempotent, and reads, writes and queries afterwards throw DeviceClosedException. */
    @EachMode
    public void closeIsIdempotentAndLaterCallsThrowDeviceClosed(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            byte[] p = packet(d, REMOTE_V4, HOST_V4.address(), payload(10, 11));
            d.close();
            d.close();
            assertFalse(d.isOpen());
            ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
            assertThrows(DeviceClosedException.class, () -> d.read(dst));
            assertThrows(DeviceClosedException.class, () -> d.read(dst, Duration.ofMillis(10)));
            assertThrows(DeviceClosedException.class, () -> d.write(p));
            assertThrows(DeviceClosedException.class, () -> d.readPackets(new ByteBuffer[] {dst}, 1));
            assertThrows(DeviceClosedException.class, () -> d.writePackets(new ByteBuffer[] {ByteBuffer.wrap(p)}, 1));
            assertThrows(DeviceClosedException.class, d::mtu);
        }
    }

    /** Extensions are found by type, and a type the device does not offer is empty, not an error. */
    @EachMode
    public void extensionsAreFoundByType(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assertSame(d, d.extension(TunTapDevice.class).orElseThrow(), "every device is its own TunTapDevice");
            assertTrue(d.extension(Runnable.class).isEmpty(), "an extension the device lacks is empty");
        }
    }
}
