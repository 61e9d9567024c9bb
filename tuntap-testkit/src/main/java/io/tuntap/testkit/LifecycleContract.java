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
                BlockedReader reader = new BlockedReader(d, "contract-reader-" + i);
                Thread.sleep(1); // let it block
                long start = System.nanoTime();
                d.close();
                reader.thread.join(5000);
                // Up to the reader's exception, not to the end of close(), which may go on tearing the
                // device down after it has woken the reader.
                times.record(reader.endedAt.get() - start);
                assertFalse(reader.thread.isAlive(),
                        "repetition " + i + ": the reader is still blocked 5 s after close");
                assertInstanceOf(DeviceClosedException.class, reader.thrown.get(), "repetition " + i);
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
            BlockedReader reader = new BlockedReader(d, "contract-interrupted-reader");
            Thread.sleep(20);
            reader.thread.interrupt();
            reader.thread.join(2000);
            assertFalse(reader.thread.isAlive(), "the interrupted reader returned");
            assertInstanceOf(DeviceInterruptedException.class, reader.thrown.get());
            assertTrue(reader.interruptFlagSet.get(), "the interrupt status is set again");
            assertTrue(d.isOpen(), "an interrupt does not close the device");

            byte[] payload = payload(40, 7);
            d.write(packet(d, REMOTE_V4, host.getAddress(), payload));
            assertArrayEquals(payload, socket.receive(packetTimeout()), "writes still work");
            socket.send(new InetSocketAddress(REMOTE_V4, REMOTE_PORT), payload);
            assertArrayEquals(payload, readUdp(d, REMOTE_PORT).payload(), "reads still work");
        }
    }


    /**
     * A read on a thread that is already interrupted throws DeviceInterruptedException at once, even with a packet
     * waiting, and leaves the interrupt status set, the device open and the packet queued; so does readPackets.
     */
    @EachMode
    public void readOnInterruptedThreadThrowsAtOnce(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        InetSocketAddress remote = new InetSocketAddress(REMOTE_V4, REMOTE_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            socket.send(remote, payload(10, 50));
            readUdp(d, REMOTE_PORT); // settles a TAP device's ARP first
            byte[] payload = payload(30, 51);
            socket.send(remote, payload);
            Thread.sleep(50); // the datagram is queued on the device by now
            ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
            Thread.currentThread().interrupt();
            try {
                assertThrows(DeviceInterruptedException.class, () -> d.read(dst), "read");
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set after read");
                assertThrows(DeviceInterruptedException.class, () -> d.read(dst, Duration.ofSeconds(5)), "timed read");
                assertThrows(DeviceInterruptedException.class, () -> d.readPackets(new ByteBuffer[] {dst}, 1),
                        "readPackets");
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
            } finally {
                Thread.interrupted();
            }
            assertEquals(0, dst.position(), "nothing was read into the buffer");
            assertTrue(d.isOpen(), "an interrupt does not close the device");
            assertArrayEquals(payload, readUdp(d, REMOTE_PORT).payload(), "the waiting packet was not consumed");
        }
    }

    /** Closing the device wakes a reader blocked in a timed read with DeviceClosedException. */
    @EachMode
    public void closeDuringTimedReadThrowsDeviceClosed(DeviceMode mode) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
        closeDuring(mode, "a timed read", d -> {
            dst.clear();
            d.read(dst, Duration.ofSeconds(30));
        });
    }

    /** Closing the device wakes a reader blocked in readPackets with DeviceClosedException. */
    @EachMode
    public void closeDuringBatchReadThrowsDeviceClosed(DeviceMode mode) throws Exception {
        ByteBuffer[] dsts = new ByteBuffer[8];
        for (int i = 0; i < dsts.length; i++) {
            dsts[i] = ByteBuffer.allocateDirect(MAX_PACKET);
        }
        closeDuring(mode, "readPackets", d -> {
            for (ByteBuffer dst : dsts) {
                dst.clear();
            }
            d.readPackets(dsts, dsts.length);
        });
    }

    /** Closing the device while another thread writes batches makes the writer's next call throw DeviceClosed. */
    @EachMode
    public void closeDuringBatchWriteThrowsDeviceClosed(DeviceMode mode) throws Exception {
        AtomicReference<ByteBuffer[]> batch = new AtomicReference<>();
        closeDuring(mode, "writePackets", d -> {
            ByteBuffer[] srcs = batch.get();
            if (srcs == null) {
                srcs = new ByteBuffer[32];
                byte[] p = packet(d, REMOTE_V4, HOST_V4.address(), payload(64, 52));
                for (int i = 0; i < srcs.length; i++) {
                    srcs[i] = ByteBuffer.allocateDirect(p.length).put(p).flip();
                }
                batch.set(srcs);
            }
            for (ByteBuffer src : srcs) {
                src.rewind();
            }
            d.writePackets(srcs, srcs.length);
        });
    }

    /** One call on a device, repeated by {@link #closeDuring} until it throws. */
    @FunctionalInterface
    private interface DeviceCall {
        void run(TunTapDevice d) throws Exception;
    }

    /**
     * Runs {@code call} over and over on another thread, closes the device while it does, and checks that the
     * thread ends soon with DeviceClosedException and that close returns.
     */
    private void closeDuring(DeviceMode mode, String what, DeviceCall call) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            CountDownLatch running = new CountDownLatch(1);
            Thread worker = new Thread(() -> {
                running.countDown();
                try {
                    while (true) {
                        call.run(d);
                    }
                } catch (Throwable t) {
                    thrown.set(t);
                }
            }, "contract-close-during");
            worker.start();
            assertTrue(running.await(5, TimeUnit.SECONDS));
            Thread.sleep(50); // inside the call, blocked or looping
            long start = System.nanoTime();
            d.close();
            long closeMillis = (System.nanoTime() - start) / 1_000_000;
            worker.join(5000);
            assertFalse(worker.isAlive(), what + " still runs 5 s after close");
            assertInstanceOf(DeviceClosedException.class, thrown.get(), what + " ends with DeviceClosedException");
            assertTrue(closeMillis < 5000, "close during " + what + " took " + closeMillis + " ms");
            assertFalse(d.isOpen());
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

    /** A thread that reads from the device until a read throws, and records how that read ended. */
    private static final class BlockedReader {
        final Thread thread;
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AtomicLong endedAt = new AtomicLong();
        final AtomicBoolean interruptFlagSet = new AtomicBoolean();

        /** Starts the thread and returns once it is about to read. */
        BlockedReader(TunTapDevice device, String name) throws InterruptedException {
            CountDownLatch reading = new CountDownLatch(1);
            thread = new Thread(() -> {
                ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
                reading.countDown();
                try {
                    while (true) {
                        dst.clear();
                        device.read(dst);
                    }
                } catch (Throwable t) {
                    endedAt.set(System.nanoTime());
                    interruptFlagSet.set(Thread.currentThread().isInterrupted());
                    thrown.set(t);
                }
            }, name);
            thread.start();
            assertTrue(reading.await(5, TimeUnit.SECONDS));
        }
    }
}
