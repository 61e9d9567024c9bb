// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapDevice;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads on virtual threads (Java 21 and later): a read that waits parks the virtual thread instead of pinning its
 * carrier in a native wait, and plain, timed and batch reads keep the contract of platform threads: they get the
 * packet, a timed read returns 0 at its deadline, close wakes them with {@link DeviceClosedException}, an
 * interrupt with {@link DeviceInterruptedException} and the device stays open. A backend's test extends this class
 * and implements {@link #open}, as for {@link TunTapDeviceContract}; on an older JDK every case is skipped.
 *
 * <p>"Parked" is checked from outside: the waiting thread's state is {@code WAITING} or {@code TIMED_WAITING}, and
 * none of its stack frames is a native method. A virtual thread blocked in {@code poll}, or parked while pinned to
 * its carrier, has a native frame on its stack.
 */
public abstract class VirtualThreadContract extends ContractHarness {
    private static final ThreadFactory VIRTUAL = virtualThreadFactory();
    private static final long PARK_WAIT_SECONDS = 10;
    private static final long END_WAIT_SECONDS = 10;

    /** For a backend's test. */
    protected VirtualThreadContract() {
    }

    /** {@code Thread.ofVirtual().factory()}, found reflectively so that the kit compiles for Java 17; or null. */
    private static ThreadFactory virtualThreadFactory() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (NoSuchMethodException | ClassNotFoundException | IllegalAccessException
                | InvocationTargetException e) {
            return null;
        }
    }

    /**
     * {@code Thread.ofVirtual().factory()}, for a backend's own tests of its poller.
     *
     * @return the factory, or null on a JDK without virtual threads (before 21)
     */
    public static ThreadFactory virtualThreads() {
        return VIRTUAL;
    }

    /** Skips the test where the JDK has no virtual threads. */
    protected static void assumeVirtualThreads() {
        assumeTrue(VIRTUAL != null, () -> "Java " + Runtime.version().feature() + " has no virtual threads (21+)");
    }

    /** A started virtual thread running {@code body}, which records what it threw. */
    private static final class Worker {
        final Thread thread;
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AtomicBoolean interruptFlagSet = new AtomicBoolean();

        Worker(String name, ThrowingRunnable body) {
            thread = VIRTUAL.newThread(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    interruptFlagSet.set(Thread.currentThread().isInterrupted());
                    thrown.set(t);
                }
            });
            thread.setName(name);
            thread.start();
        }

        void join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(END_WAIT_SECONDS));
            assertFalse(thread.isAlive(), () -> thread.getName() + " still runs " + END_WAIT_SECONDS + " s later: " + stack(thread));
        }

        /** Rethrows what the body threw, if anything. */
        void check() throws Exception {
            Throwable t = thrown.get();
            if (t instanceof Exception e) {
                throw e;
            }
            if (t != null) {
                throw new AssertionError(t);
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static String stack(Thread t) {
        return Arrays.toString(t.getStackTrace());
    }

    /**
     * Waits until {@code t} is parked: its state WAITING or TIMED_WAITING with no native frame on its stack.
     * Fails if it is not within {@value #PARK_WAIT_SECONDS} s.
     *
     * @param t a started virtual thread about to wait
     * @throws InterruptedException if the calling thread is interrupted
     */
    public static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PARK_WAIT_SECONDS);
        String last = "";
        while (System.nanoTime() < deadline) {
            Thread.State state = t.getState();
            StackTraceElement[] frames = t.getStackTrace();
            if ((state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && frames.length > 0
                    && Arrays.stream(frames).noneMatch(StackTraceElement::isNativeMethod)) {
                return;
            }
            last = state + " " + Arrays.toString(frames);
            Thread.sleep(5);
        }
        fail(t.getName() + " did not park within " + PARK_WAIT_SECONDS + " s (a native wait pins the carrier): "
                + last);
    }

    /** Reads until a UDP datagram to {@code port} comes (answering ARP and ND), on the calling thread. */
    private static byte[] receiveUdp(TunTapDevice d, ByteBuffer dst, int port, Duration timeout) throws Exception {
        EchoResponder responder = ContractTraffic.remoteResponder(d.mode());
        ByteBuffer reply = ByteBuffer.allocate(MAX_PACKET + 64);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return fail("no UDP datagram to port " + port + " came from " + d.name() + " within " + timeout);
            }
            dst.clear();
            if (d.read(dst, Duration.ofNanos(left)) == 0) {
                continue;
            }
            byte[] payload = udpPayload(d, dst.flip(), responder, reply, port);
            if (payload != null) {
                return payload;
            }
        }
    }

    /** The payload of {@code packet} if it is a datagram to {@code port}; answers ARP and ND; null otherwise. */
    private static byte[] udpPayload(TunTapDevice d, ByteBuffer packet, EchoResponder responder, ByteBuffer reply,
            int port) throws Exception {
        if (ContractTraffic.answered(d, responder, packet, reply)) {
            return null;
        }
        Packets.Udp udp = ContractTraffic.udpOrNull(d, packet);
        return udp != null && udp.destination().getPort() == port ? udp.payload() : null;
    }

    /** A host socket, with a first datagram read so that a TAP device's ARP is settled. */
    private PeerSocket settledSocket(DeviceUnderTest dut) throws Exception {
        PeerSocket socket = dut.peer().bindUdp(new InetSocketAddress(HOST_V4.address(), HOST_PORT));
        try {
            socket.send(new InetSocketAddress(REMOTE_V4, REMOTE_PORT), payload(10, 90));
            receiveUdp(dut.device(), ByteBuffer.allocate(MAX_PACKET), REMOTE_PORT, packetTimeout());
            return socket;
        } catch (Exception | Error e) {
            socket.close();
            throw e;
        }
    }

    /** A plain read on a virtual thread parks, then returns the datagram that the peer sends. */
    @EachMode
    public void plainReadParksAndGetsThePacket(DeviceMode mode) throws Exception {
        readParksAndGetsThePacket(mode, false);
    }

    /** A timed read on a virtual thread parks, then returns the datagram that comes before its deadline. */
    @EachMode
    public void timedReadParksAndGetsThePacket(DeviceMode mode) throws Exception {
        readParksAndGetsThePacket(mode, true);
    }

    private void readParksAndGetsThePacket(DeviceMode mode, boolean timed) throws Exception {
        assumeVirtualThreads();
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = settledSocket(dut)) {
            TunTapDevice d = dut.device();
            byte[] payload = payload(77, 91);
            AtomicReference<byte[]> got = new AtomicReference<>();
            Worker reader = new Worker("virtual-reader", () -> {
                ByteBuffer dst = ByteBuffer.allocateDirect(MAX_PACKET);
                EchoResponder responder = ContractTraffic.remoteResponder(d.mode());
                ByteBuffer reply = ByteBuffer.allocate(MAX_PACKET + 64);
                while (got.get() == null) {
                    dst.clear();
                    int n = timed ? d.read(dst, Duration.ofSeconds(60)) : d.read(dst);
                    if (n > 0) {
                        got.set(udpPayload(d, dst.flip(), responder, reply, REMOTE_PORT));
                    }
                }
            });
            awaitParked(reader.thread);
            socket.send(new InetSocketAddress(REMOTE_V4, REMOTE_PORT), payload);
            reader.join();
            reader.check();
            assertArrayEquals(payload, got.get());
        }
    }

    /** readPackets on a virtual thread parks for the first packet, then returns the datagrams that came. */
    @EachMode
    public void batchReadParksAndGetsThePackets(DeviceMode mode) throws Exception {
        assumeVirtualThreads();
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = settledSocket(dut)) {
            TunTapDevice d = dut.device();
            int count = 3;
            byte[][] received = new byte[count][];
            Worker reader = new Worker("virtual-batch-reader", () -> {
                ByteBuffer[] dsts = new ByteBuffer[8];
                for (int i = 0; i < dsts.length; i++) {
                    dsts[i] = ByteBuffer.allocateDirect(MAX_PACKET);
                }
                EchoResponder responder = ContractTraffic.remoteResponder(d.mode());
                ByteBuffer reply = ByteBuffer.allocate(MAX_PACKET + 64);
                int have = 0;
                while (have < count) {
                    for (ByteBuffer dst : dsts) {
                        dst.clear();
                    }
                    int n = d.readPackets(dsts, dsts.length);
                    for (int i = 0; i < n && have < count; i++) {
                        byte[] p = udpPayload(d, dsts[i].flip(), responder, reply, REMOTE_PORT);
                        if (p != null) {
                            received[have++] = p;
                        }
                    }
                }
            });
            awaitParked(reader.thread);
            for (int i = 0; i < count; i++) {
                socket.send(new InetSocketAddress(REMOTE_V4, REMOTE_PORT), payload(50 + i, 92 + i));
            }
            reader.join();
            reader.check();
            for (int i = 0; i < count; i++) {
                assertArrayEquals(payload(50 + i, 92 + i), received[i], "datagram " + i);
            }
        }
    }

    /**
     * A timed read on a virtual thread with nothing coming returns 0 at its deadline, not before, and soon after.
     * (A packet the system sends on its own, a router solicitation say, ends a read early: then it reads again.)
     */
    @EachMode
    public void timedReadReturnsZeroAtTheDeadline(DeviceMode mode) throws Exception {
        assumeVirtualThreads();
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            long timeoutMillis = 300;
            AtomicReference<Long> tookMillis = new AtomicReference<>();
            Worker reader = new Worker("virtual-timed-reader", () -> {
                ByteBuffer dst = ByteBuffer.allocateDirect(MAX_PACKET);
                for (int attempt = 0; attempt < 20; attempt++) {
                    dst.clear();
                    long start = System.nanoTime();
                    int n = d.read(dst, Duration.ofMillis(timeoutMillis));
                    if (n == 0) {
                        tookMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                        assertEquals(0, dst.position(), "nothing was read into the buffer");
                        return;
                    }
                }
            });
            reader.join();
            reader.check();
            assertTrue(tookMillis.get() != null, "every timed read got a packet");
            assertTrue(tookMillis.get() >= timeoutMillis - 1, "returned after " + tookMillis.get() + " ms");
            assertTrue(tookMillis.get() < timeoutMillis + 5000, "returned after " + tookMillis.get() + " ms");
        }
    }

    /** Closing the device wakes a parked plain read on a virtual thread with DeviceClosedException. */
    @EachMode
    public void closeWakesParkedPlainRead(DeviceMode mode) throws Exception {
        closeWakesParkedReader(mode, "read", (d, dsts) -> d.read(dsts[0]));
    }

    /** Closing the device wakes a parked timed read on a virtual thread with DeviceClosedException. */
    @EachMode
    public void closeWakesParkedTimedRead(DeviceMode mode) throws Exception {
        closeWakesParkedReader(mode, "timed read", (d, dsts) -> d.read(dsts[0], Duration.ofSeconds(60)));
    }

    /** Closing the device wakes a parked readPackets on a virtual thread with DeviceClosedException. */
    @EachMode
    public void closeWakesParkedBatchRead(DeviceMode mode) throws Exception {
        closeWakesParkedReader(mode, "readPackets", (d, dsts) -> d.readPackets(dsts, dsts.length));
    }

    /** One read on a device into the given buffers. */
    @FunctionalInterface
    private interface ReadCall {
        void run(TunTapDevice d, ByteBuffer[] dsts) throws Exception;
    }

    /** Reads over and over on a virtual thread (skipping what the system sends) until a read throws. */
    private static Worker reader(TunTapDevice d, String name, ReadCall call) {
        return new Worker(name, () -> {
            ByteBuffer[] dsts = new ByteBuffer[4];
            for (int i = 0; i < dsts.length; i++) {
                dsts[i] = ByteBuffer.allocateDirect(MAX_PACKET);
            }
            while (true) {
                for (ByteBuffer dst : dsts) {
                    dst.clear();
                }
                call.run(d, dsts);
            }
        });
    }

    private void closeWakesParkedReader(DeviceMode mode, String what, ReadCall call) throws Exception {
        assumeVirtualThreads();
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            Worker reader = reader(d, "virtual-" + what.replace(' ', '-'), call);
            awaitParked(reader.thread);
            d.close();
            reader.join();
            assertInstanceOf(DeviceClosedException.class, reader.thrown.get(), what + " ends with DeviceClosedException");
            assertFalse(d.isOpen());
        }
    }

    /**
     * Interrupting a parked virtual thread ends its plain, timed or batch read with DeviceInterruptedException and
     * the interrupt status set; the device stays open and a read on a new virtual thread gets the next datagram.
     */
    @EachMode
    public void interruptEndsParkedReadsAndDeviceStaysUsable(DeviceMode mode) throws Exception {
        assumeVirtualThreads();
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = settledSocket(dut)) {
            TunTapDevice d = dut.device();
            ReadCall[] calls = {
                (dev, dsts) -> dev.read(dsts[0]),
                (dev, dsts) -> dev.read(dsts[0], Duration.ofSeconds(60)),
                (dev, dsts) -> dev.readPackets(dsts, dsts.length),
            };
            for (int i = 0; i < calls.length; i++) {
                Worker reader = reader(d, "virtual-interrupted-" + i, calls[i]);
                awaitParked(reader.thread);
                reader.thread.interrupt();
                reader.join();
                assertInstanceOf(DeviceInterruptedException.class, reader.thrown.get(), "read " + i);
                assertTrue(reader.interruptFlagSet.get(), "read " + i + ": the interrupt status is set");
                assertTrue(d.isOpen(), "an interrupt does not close the device");
            }
            byte[] payload = payload(33, 99);
            AtomicReference<byte[]> got = new AtomicReference<>();
            Worker reader = new Worker("virtual-reader-after-interrupts", () -> got.set(
                    receiveUdp(d, ByteBuffer.allocateDirect(MAX_PACKET), REMOTE_PORT, packetTimeout())));
            awaitParked(reader.thread);
            socket.send(new InetSocketAddress(REMOTE_V4, REMOTE_PORT), payload);
            reader.join();
            reader.check();
            assertArrayEquals(payload, got.get(), "reads still work");
        }
    }
}
