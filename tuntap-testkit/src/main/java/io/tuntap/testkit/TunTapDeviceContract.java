// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.EventSubscription;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.PacketTooLargeException;
import io.tuntap.Route;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every {@link TunTapDevice} implementation shares, as an abstract JUnit 5 test class. A backend's
 * test extends it and implements {@link #open(DeviceConfig)}, returning the device and a {@link Peer}: the other
 * side of the device, which for a real device is the operating system's network stack.
 *
 * <h2>Traffic: UDP between fixed addresses</h2>
 *
 * The peer of a real TUN device is the kernel, which a test can drive only through sockets. So the traffic tests
 * speak UDP: the contract assigns {@link #HOST_V4} and {@link #HOST_V6} to the device (in the configuration it
 * passes to {@code open}); the peer binds its sockets to those addresses ({@link Peer#bindUdp}); and the test code
 * on the device plays the far end, {@link #REMOTE_V4} and {@link #REMOTE_V6}, on the same subnets. A datagram the
 * peer sends to the remote address is routed through the device, and the test reads it there; a datagram the test
 * writes to the device, from the remote address to the host address, the peer receives on its socket.
 *
 * <p>For a real device, {@link DatagramSocketPeer} is such a peer; for the in-memory pair, {@link ChannelPeer}
 * plays the kernel on the other end.
 *
 * <h2>TAP: ARP and neighbour discovery</h2>
 *
 * On a TAP device the kernel must resolve the remote address before it sends to it: it writes an ARP request
 * (IPv4) or a neighbour solicitation (IPv6) to the device. Whenever the contract reads from a TAP device it
 * answers those with {@link EchoResponder} logic, giving {@link #REMOTE_MAC}, and then reads on; the kernel then
 * sends its queued datagram to that MAC address. Frames the contract writes go from {@link #REMOTE_MAC} to the
 * device's own MAC address ({@link TapDevice#macAddress()}), which is what the host stack accepts.
 *
 * <p>Packets the contract does not expect (a kernel's router solicitations or MLD reports, say) are skipped.
 * Tests of optional features check {@link TunTapDevice#capabilities()} and are skipped, with the reason, where the
 * device lacks them; {@link #supportedModes()} limits the modes tried.
 *
 * <p>Longer than 400 lines on purpose: a backend extends one class to get every behaviour, each a short test;
 * the packet plumbing they share is in {@code ContractTraffic}.
 */
public abstract class TunTapDeviceContract {
    /** For subclasses: one per backend (or per backend setting). */
    protected TunTapDeviceContract() {
    }

    /** How many packets of its own a real kernel may slip in (router solicitations, MLD) before a test's. */
    private static final int MAX_UNRELATED_PACKETS = 20;
    /** The device's IPv4 address and subnet, assigned in the configuration; the peer binds to this address. */
    public static final IpPrefix HOST_V4 = IpPrefix.parse("10.99.0.1/24");
    /** The device's IPv6 address and subnet, assigned in the configuration; the peer binds to this address. */
    public static final IpPrefix HOST_V6 = IpPrefix.parse("fd99::1/64");
    /** The far end's IPv4 address, which the test code on the device plays. */
    public static final InetAddress REMOTE_V4 = IpPrefix.parse("10.99.0.2").address();
    /** The far end's IPv6 address, which the test code on the device plays. */
    public static final InetAddress REMOTE_V6 = IpPrefix.parse("fd99::2").address();
    /** The far end's MAC address on a TAP device: the contract answers ARP and neighbour solicitations with it. */
    public static final MacAddress REMOTE_MAC = MacAddress.parse("02:00:00:99:00:02");
    /** The UDP port the peer's sockets use. */
    public static final int HOST_PORT = 47001;
    /** The UDP port of the far end. */
    public static final int REMOTE_PORT = 47002;

    /** Room for any packet: the largest MTU plus an Ethernet header. */
    private static final int MAX_PACKET = 65535 + Frames.ETHERNET_HEADER_LENGTH;

    /**
     * Opens the device to test with this configuration, and its peer.
     *
     * @param config made by {@link #config(DeviceMode)}: the mode, {@link #HOST_V4}, {@link #HOST_V6}, MTU 1500, up
     */
    protected abstract DeviceUnderTest open(DeviceConfig config) throws Exception;

    /**
     * The configuration each test opens. Override to add settings a backend needs (a name, say), keeping the
     * addresses, the MTU of 1500 and the link up.
     */
    protected DeviceConfig config(DeviceMode mode) throws Exception {
        return DeviceConfig.builder(mode).address(HOST_V4).address(HOST_V6).mtu(1500).up(true).build();
    }

    /** The modes this backend supports; tests of other modes are skipped. Both by default. */
    protected Set<DeviceMode> supportedModes() {
        return EnumSet.allOf(DeviceMode.class);
    }

    /** How often {@link #closeWakesBlockedReaderPromptly} repeats, per mode. 200 by default. */
    protected int closeWakeRepetitions() {
        return 200;
    }

    /** How long to wait for a packet that should arrive. 5 seconds by default. */
    protected Duration packetTimeout() {
        return Duration.ofSeconds(5);
    }

    // ---------------------------------------------------------------- the harness

    /** The other side of the device under test: what the device writes arrives here, and what it sends the device reads. */
    public interface Peer extends AutoCloseable {
        /**
         * Opens a UDP endpoint on the host side at {@code local}: {@link #HOST_V4} or {@link #HOST_V6}'s address
         * and a port. It must be ready to receive when this returns.
         */
        PeerSocket bindUdp(InetSocketAddress local) throws Exception;

        /** Releases what the peer holds. Does nothing by default. */
        @Override
        default void close() throws IOException {
        }
    }

    /** A UDP endpoint of the {@link Peer}, bound to an address of the device. */
    public interface PeerSocket extends AutoCloseable {
        /** Sends one datagram from this endpoint to {@code to} (a remote address): the device must then read it. */
        void send(InetSocketAddress to, byte[] payload) throws Exception;

        /**
         * The payload of the next datagram that the device wrote to this endpoint's address and port.
         *
         * @return the payload, or null if none came within {@code timeout}
         */
        byte[] receive(Duration timeout) throws Exception;

        /** Closes the endpoint. */
        @Override
        void close() throws IOException;
    }

    /** A device under test, its peer, and what to close after the test. */
    public static final class DeviceUnderTest implements AutoCloseable {
        private final TunTapDevice device;
        private final Peer peer;
        private final AutoCloseable cleanup;

        /**
         * @param device the device to test
         * @param peer its other side
         * @param cleanup closed after the peer and the device (null for nothing), e.g. a pair or a namespace
         */
        public DeviceUnderTest(TunTapDevice device, Peer peer, AutoCloseable cleanup) {
            this.device = Objects.requireNonNull(device, "device");
            this.peer = Objects.requireNonNull(peer, "peer");
            this.cleanup = cleanup;
        }

        /** The device to test. */
        public TunTapDevice device() {
            return device;
        }

        /** The device's other side. */
        public Peer peer() {
            return peer;
        }

        /**
         * Closes the peer, the device and the cleanup, in that order. A checked failure of the cleanup other than
         * an {@link IOException} comes wrapped in one.
         */
        @Override
        public void close() throws IOException {
            try {
                peer.close();
            } finally {
                try {
                    device.close();
                } finally {
                    if (cleanup != null) {
                        closeCleanup();
                    }
                }
            }
        }

        private void closeCleanup() throws IOException {
            try {
                cleanup.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("closing " + cleanup + " was interrupted", e);
            } catch (Exception e) {
                throw new IOException("closing " + cleanup + " failed: " + e, e);
            }
        }
    }

    // ---------------------------------------------------------------- tests: lifecycle and identity

    /** A device opens, reports itself open, and closes. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
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
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
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

    // ---------------------------------------------------------------- tests: traffic

    /** An IPv4 UDP datagram written to the device reaches the peer with the exact payload. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void writtenIpv4DatagramReachesPeer(DeviceMode mode) throws Exception {
        writtenDatagramReachesPeer(mode, HOST_V4.address(), REMOTE_V4);
    }

    /** An IPv6 UDP datagram written to the device reaches the peer with the exact payload. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void writtenIpv6DatagramReachesPeer(DeviceMode mode) throws Exception {
        writtenDatagramReachesPeer(mode, HOST_V6.address(), REMOTE_V6);
    }

    private void writtenDatagramReachesPeer(DeviceMode mode, InetAddress host, InetAddress remote) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode);
                PeerSocket socket = dut.peer().bindUdp(new InetSocketAddress(host, HOST_PORT))) {
            byte[] payload = payload(300, 1);
            dut.device().write(packet(dut.device(), remote, host, payload));
            assertArrayEquals(payload, socket.receive(packetTimeout()), "the peer receives exactly the payload");
        }
    }

    /** A datagram the peer sends over IPv4 is read from the device with its payload and valid checksums. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void peerIpv4DatagramIsReadWithValidChecksums(DeviceMode mode) throws Exception {
        peerDatagramIsRead(mode, HOST_V4.address(), REMOTE_V4);
    }

    /** A datagram the peer sends over IPv6 is read from the device with its payload and a valid checksum. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void peerIpv6DatagramIsReadWithValidChecksums(DeviceMode mode) throws Exception {
        peerDatagramIsRead(mode, HOST_V6.address(), REMOTE_V6);
    }

    private void peerDatagramIsRead(DeviceMode mode, InetAddress host, InetAddress remote) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode);
                PeerSocket socket = dut.peer().bindUdp(new InetSocketAddress(host, HOST_PORT))) {
            byte[] payload = payload(500, 2);
            socket.send(new InetSocketAddress(remote, REMOTE_PORT), payload);
            Packets.Udp udp = readUdp(dut.device(), REMOTE_PORT);
            assertArrayEquals(payload, udp.payload());
            assertEquals(new InetSocketAddress(host, HOST_PORT), udp.source());
            assertEquals(new InetSocketAddress(remote, REMOTE_PORT), udp.destination());
        }
    }

    /** Direct buffers, heap buffers and arrays carry packets in both directions. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void directHeapAndArrayBuffersAllWork(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        InetSocketAddress remote = new InetSocketAddress(REMOTE_V4, REMOTE_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            byte[][] payloads = {payload(64, 3), payload(65, 4), payload(66, 5)};
            byte[] p0 = packet(d, REMOTE_V4, host.getAddress(), payloads[0]);
            ByteBuffer direct = ByteBuffer.allocateDirect(p0.length).put(p0).flip();
            assertEquals(p0.length, d.write(direct));
            byte[] p1 = packet(d, REMOTE_V4, host.getAddress(), payloads[1]);
            assertEquals(p1.length, d.write(ByteBuffer.wrap(p1)));
            byte[] p2 = packet(d, REMOTE_V4, host.getAddress(), payloads[2]);
            byte[] padded = new byte[p2.length + 10];
            System.arraycopy(p2, 0, padded, 4, p2.length);
            assertEquals(p2.length, d.write(padded, 4, p2.length));
            for (byte[] p : payloads) {
                assertArrayEquals(p, socket.receive(packetTimeout()));
            }

            socket.send(remote, payloads[0]);
            ByteBuffer directIn = ByteBuffer.allocateDirect(MAX_PACKET);
            readMatching(d, directIn, REMOTE_PORT, d::read);
            assertArrayEquals(payloads[0], ContractTraffic.udpOf(d, directIn.flip()).payload());
            socket.send(remote, payloads[1]);
            ByteBuffer heapIn = ByteBuffer.allocate(MAX_PACKET);
            readMatching(d, heapIn, REMOTE_PORT, d::read);
            assertArrayEquals(payloads[1], ContractTraffic.udpOf(d, heapIn.flip()).payload());
            socket.send(remote, payloads[2]);
            byte[] array = new byte[MAX_PACKET];
            ByteBuffer arrayIn = ByteBuffer.allocate(MAX_PACKET);
            readMatching(d, arrayIn, REMOTE_PORT, (dst, timeout) -> {
                int n = d.read(array); // blocks: the whole test runs under a timeout
                dst.put(array, 0, n);
                return n;
            });
            assertArrayEquals(payloads[2], ContractTraffic.udpOf(d, arrayIn.flip()).payload());
        }
    }

    /** A write sends position to limit and moves the position to the limit; a read fills from the position. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void readAndWriteRespectPositionAndLimit(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            byte[] payload = payload(100, 6);
            byte[] p = packet(d, REMOTE_V4, host.getAddress(), payload);
            ByteBuffer out = ByteBuffer.allocate(p.length + 8);
            out.position(5);
            out.put(p).put((byte) 1).put((byte) 2).put((byte) 3);
            out.position(5).limit(5 + p.length);
            assertEquals(p.length, d.write(out));
            assertEquals(5 + p.length, out.position(), "the position moved to the limit");
            assertEquals(5 + p.length, out.limit(), "the limit is unchanged");
            assertArrayEquals(payload, socket.receive(packetTimeout()), "bytes past the limit were not sent");

            socket.send(new InetSocketAddress(REMOTE_V4, REMOTE_PORT), payload);
            ByteBuffer in = ByteBuffer.allocate(MAX_PACKET + 7);
            for (int i = 0; i < 7; i++) {
                in.put((byte) 0x55);
            }
            int n = readMatching(d, in, REMOTE_PORT, d::read);
            assertEquals(7 + n, in.position(), "the position advanced by the packet's length");
            assertEquals(in.capacity(), in.limit(), "the limit is unchanged");
            for (int i = 0; i < 7; i++) {
                assertEquals((byte) 0x55, in.get(i), "bytes before the position are untouched");
            }
            assertArrayEquals(payload, ContractTraffic.udpOf(d, in.flip().position(7)).payload());
        }
    }

    /** A timed read returns 0, leaving the buffer alone, when no packet comes. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void timedReadReturnsZeroWhenIdle(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
            // A real kernel may send unrelated packets early on (router solicitations, MLD): tolerate a few.
            for (int attempt = 0; attempt < MAX_UNRELATED_PACKETS; attempt++) {
                dst.clear();
                long start = System.nanoTime();
                int n = dut.device().read(dst, Duration.ofMillis(50));
                if (n == 0) {
                    assertEquals(0, dst.position(), "a timed-out read leaves the position alone");
                    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40),
                            "the read waited about the timeout");
                    assertEquals(0, dut.device().read(dst, Duration.ZERO), "a zero timeout polls");
                    return;
                }
            }
            fail("read(dst, 50 ms) never returned 0: the device kept delivering packets");
        }
    }

    /** Closing the device from another thread wakes a blocked reader with DeviceClosedException within 100 ms. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
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
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
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

    /** A buffer too small for the packet gives PacketTooLargeException with the sizes; the next read works. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void tooSmallBufferThrowsAndNextReadWorks(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        InetSocketAddress remote = new InetSocketAddress(REMOTE_V4, REMOTE_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            // First a whole exchange, so that a TAP device's ARP is settled before the small read.
            socket.send(remote, payload(10, 8));
            readUdp(d, REMOTE_PORT);

            socket.send(remote, payload(200, 9));
            ByteBuffer small = ByteBuffer.allocate(20);
            // IPv4 + UDP headers around the payload, plus Ethernet on TAP. A real kernel may slip its own
            // packets (IPv6 router solicitations, MLD reports) in first; they are too large as well.
            int expected = 20 + 8 + 200 + (mode == DeviceMode.TAP ? 14 : 0);
            PacketTooLargeException e = null;
            for (int i = 0; i < MAX_UNRELATED_PACKETS && (e == null || e.packetLength() != expected); i++) {
                e = assertTimeoutPreemptively(packetTimeout(),
                        () -> assertThrows(PacketTooLargeException.class, () -> d.read(small)));
                assertEquals(20, e.bufferCapacity());
                assertEquals(0, small.position(), "nothing is copied into a buffer that is too small");
            }
            assertEquals(expected, e.packetLength(), "the packet length is reported");

            byte[] next = payload(30, 10);
            socket.send(remote, next);
            assertArrayEquals(next, readUdp(d, REMOTE_PORT).payload(), "the next packet is read whole");
        }
    }

    /** Close is idempotent, and reads, writes and queries afterwards throw DeviceClosedException. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
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

    // ---------------------------------------------------------------- tests: configuration

    /** The MTU can be set and read back; values outside 68..65535 are refused. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void mtuCanBeSetAndRead(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.MTU);
            assertEquals(1500, d.mtu(), "the configured MTU");
            d.setMtu(1400);
            assertEquals(1400, d.mtu());
            assertThrows(InvalidConfigurationException.class, () -> d.setMtu(DeviceConfig.MIN_MTU - 1));
            assertThrows(InvalidConfigurationException.class, () -> d.setMtu(DeviceConfig.MAX_MTU + 1));
            assertEquals(1400, d.mtu(), "a refused MTU changes nothing");
        }
    }

    /** Writes fail while the link is down and work again once it is up. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void writeFailsWhileLinkIsDown(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.LINK_STATE);
            assertTrue(d.isUp(), "configured up");
            byte[] payload = payload(50, 12);
            byte[] p = packet(d, REMOTE_V4, host.getAddress(), payload);
            d.setUp(false);
            assertFalse(d.isUp());
            TunTapException e = assertThrows(TunTapException.class, () -> d.write(p));
            assertFalse(e instanceof PacketTooLargeException, "the failure is the link, not the size: " + e);
            d.setUp(true);
            assertTrue(d.isUp());
            d.write(p);
            assertArrayEquals(payload, socket.receive(packetTimeout()), "writes work again once the link is up");
        }
    }

    /** Addresses can be listed, added and removed; duplicates and missing ones are reported. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void addressesCanBeAddedListedAndRemoved(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            List<IpPrefix> wanted = new ArrayList<>();
            if (d.capabilities().contains(Capability.IPV4_ADDRESSES)) {
                assertTrue(d.addresses().contains(DeviceAddress.of(HOST_V4)), "configured address listed: "
                        + d.addresses());
                wanted.add(IpPrefix.parse("10.99.1.1/24"));
            }
            if (d.capabilities().contains(Capability.IPV6_ADDRESSES)) {
                assertTrue(d.addresses().contains(DeviceAddress.of(HOST_V6)), "configured address listed: "
                        + d.addresses());
                wanted.add(IpPrefix.parse("fd99:1::1/64"));
            }
            assumeTrue(!wanted.isEmpty(), "the device manages no addresses");
            for (IpPrefix a : wanted) {
                d.addAddress(a);
                assertTrue(d.addresses().contains(DeviceAddress.of(a)), a + " listed after adding: " + d.addresses());
                assertThrows(DeviceBusyException.class, () -> d.addAddress(a));
                d.removeAddress(a);
                assertFalse(d.addresses().contains(DeviceAddress.of(a)), a + " gone after removing: " + d.addresses());
                assertThrows(DeviceNotFoundException.class, () -> d.removeAddress(a));
            }
        }
    }

    /** An address with a point-to-point peer is listed with its peer and removed by its local address. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void peerAddressesAreListedWithTheirPeer(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.PEER_ADDRESSES);
            List<DeviceAddress> wanted = new ArrayList<>();
            if (d.capabilities().contains(Capability.IPV4_ADDRESSES)) {
                wanted.add(DeviceAddress.parse("10.99.2.1/32 peer 10.99.2.2"));
            }
            if (d.capabilities().contains(Capability.IPV6_ADDRESSES)) {
                wanted.add(DeviceAddress.parse("fd99:2::1/128 peer fd99:2::2"));
            }
            for (DeviceAddress a : wanted) {
                d.addAddress(a);
                assertTrue(d.addresses().contains(a), a + " listed with its peer: " + d.addresses());
                d.removeAddress(a.local());
                assertFalse(d.addresses().stream().anyMatch(x -> x.local().equals(a.local())), a + " gone: "
                        + d.addresses());
            }
        }
    }

    /**
     * Routes through the device can be added, listed and removed; duplicates and missing ones are reported; a
     * metric is kept where the system has route metrics and refused where it has none.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void routesCanBeAddedListedAndRemoved(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.ROUTES);
            int metric = d.capabilities().contains(Capability.ROUTE_METRICS) ? 7 : 0;
            List<Route> wanted = new ArrayList<>();
            if (d.capabilities().contains(Capability.IPV4_ADDRESSES)) {
                wanted.add(Route.onLink(IpPrefix.parse("10.98.7.0/24")));
                wanted.add(Route.via(IpPrefix.parse("10.98.8.0/24"), REMOTE_V4).withMetric(metric));
                if (metric == 0) {
                    Route withMetric = Route.via(IpPrefix.parse("10.98.9.0/24"), REMOTE_V4).withMetric(7);
                    assertThrows(UnsupportedFeatureException.class, () -> d.addRoute(withMetric));
                    assertFalse(d.routes().contains(withMetric.withMetric(0)), "a refused route is not added");
                }
            }
            if (d.capabilities().contains(Capability.IPV6_ADDRESSES)) {
                wanted.add(Route.via(IpPrefix.parse("fd98:8::/64"), REMOTE_V6).withMetric(metric));
            }
            for (Route r : wanted) {
                d.addRoute(r);
                assertTrue(d.routes().contains(r), r + " listed after adding: " + d.routes());
                assertThrows(DeviceBusyException.class, () -> d.addRoute(r));
                d.removeRoute(r);
                assertFalse(d.routes().contains(r), r + " gone after removing: " + d.routes());
                assertThrows(DeviceNotFoundException.class, () -> d.removeRoute(r));
            }
        }
    }

    /** Changes arrive as events, in order, on the given executor, and stop once the subscription closes. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void changesArriveAsEventsInOrder(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.EVENTS);
            BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            EventSubscription subscription = d.subscribe(executor, events::add);
            try {
                assertTrue(subscription.isOpen());
                List<DeviceEvent> expected = new ArrayList<>();
                if (d.capabilities().contains(Capability.MTU)) {
                    d.setMtu(1400);
                    expected.add(new DeviceEvent.MtuChanged(1400));
                }
                if (d.capabilities().contains(Capability.IPV4_ADDRESSES)) {
                    DeviceAddress a = DeviceAddress.parse("10.99.3.1/24");
                    d.addAddress(a);
                    expected.add(new DeviceEvent.AddressAdded(a));
                    d.removeAddress(a.local());
                    expected.add(new DeviceEvent.AddressRemoved(a));
                }
                if (d.capabilities().contains(Capability.LINK_STATE)) {
                    d.setUp(false);
                    expected.add(new DeviceEvent.LinkChanged(false));
                }
                assertEventsInOrder(events, expected);
                subscription.close();
                assertFalse(subscription.isOpen());
                if (d.capabilities().contains(Capability.MTU)) {
                    d.setMtu(1300);
                    DeviceEvent late = events.poll(200, TimeUnit.MILLISECONDS);
                    assertFalse(late instanceof DeviceEvent.MtuChanged, "no event after close: " + late);
                }
            } finally {
                subscription.close();
                executor.shutdownNow();
            }
        }
    }

    /**
     * Waits until each expected event has arrived, in this order; other events (a kernel's own, such as IPv6
     * addresses leaving with the link) may come in between.
     */
    private void assertEventsInOrder(BlockingQueue<DeviceEvent> events, List<DeviceEvent> expected)
            throws InterruptedException {
        List<DeviceEvent> seen = new ArrayList<>();
        long deadline = System.nanoTime() + packetTimeout().toNanos();
        for (DeviceEvent want : expected) {
            while (true) {
                DeviceEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null) {
                    fail("event " + want + " did not arrive; saw " + seen + ", expected in order " + expected);
                }
                seen.add(e);
                if (e.equals(want)) {
                    break;
                }
            }
        }
    }

    /** Extensions are found by type, and a type the device does not offer is empty, not an error. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void extensionsAreFoundByType(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assertSame(d, d.extension(TunTapDevice.class).orElseThrow(), "every device is its own TunTapDevice");
            assertTrue(d.extension(Runnable.class).isEmpty(), "an extension the device lacks is empty");
        }
    }

    /** A TAP device's MAC address can be set and read; a multicast one is refused. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DeviceMode.class, names = "TAP")
    public void tapMacAddressCanBeSetAndRead(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TapDevice d = (TapDevice) dut.device();
            assumeCapability(d, Capability.SET_MAC_ADDRESS);
            assertFalse(d.macAddress().isMulticast(), "a device has a unicast address");
            MacAddress mac = MacAddress.parse("02:00:00:99:00:10");
            d.setMacAddress(mac);
            assertEquals(mac, d.macAddress());
            assertThrows(InvalidConfigurationException.class,
                    () -> d.setMacAddress(MacAddress.parse("01:00:5e:00:00:01")));
            assertEquals(mac, d.macAddress(), "a refused address changes nothing");
        }
    }

    // ---------------------------------------------------------------- tests: batches

    /** writePackets sends every buffer as one packet, in order. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void writePacketsSendsEveryBuffer(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            int count = 8;
            byte[][] payloads = new byte[count][];
            ByteBuffer[] srcs = new ByteBuffer[count + 1];
            for (int i = 0; i < count; i++) {
                payloads[i] = payload(20 + i, 20 + i);
                srcs[i] = ByteBuffer.wrap(packet(d, REMOTE_V4, host.getAddress(), payloads[i]));
            }
            srcs[count] = ByteBuffer.allocate(0); // beyond count: must not be sent
            assertEquals(count, d.writePackets(srcs, count));
            for (int i = 0; i < count; i++) {
                assertFalse(srcs[i].hasRemaining(), "buffer " + i + " consumed");
                assertArrayEquals(payloads[i], socket.receive(packetTimeout()), "datagram " + i);
            }
        }
    }

    /** readPackets fills buffers from their positions with waiting packets, in order. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceMode.class)
    public void readPacketsReadsWaitingPackets(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        InetSocketAddress remote = new InetSocketAddress(REMOTE_V4, REMOTE_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            socket.send(remote, payload(10, 30));
            readUdp(d, REMOTE_PORT); // settles a TAP device's ARP first
            int count = 8;
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(payload(30 + i, 31 + i));
                socket.send(remote, sent.get(i));
            }
            List<byte[]> got = new ArrayList<>();
            ByteBuffer[] dsts = new ByteBuffer[count];
            EchoResponder responder = ContractTraffic.remoteResponder(mode);
            ByteBuffer reply = ByteBuffer.allocate(MAX_PACKET + 64);
            assertTimeoutPreemptively(packetTimeout(), () -> {
                while (got.size() < count) {
                    for (int i = 0; i < count; i++) {
                        dsts[i] = ByteBuffer.allocate(MAX_PACKET + 3).position(3); // 3 bytes of headroom
                    }
                    int n = d.readPackets(dsts, count);
                    assertTrue(n >= 1 && n <= count, "readPackets returned " + n);
                    for (int i = 0; i < count; i++) {
                        if (i >= n) {
                            assertEquals(3, dsts[i].position(), "buffer " + i + " past the count is untouched");
                            continue;
                        }
                        ByteBuffer packet = dsts[i].flip().position(3);
                        if (ContractTraffic.answered(d, responder, packet, reply)) {
                            continue;
                        }
                        Packets.Udp udp = ContractTraffic.udpOrNull(d, packet);
                        if (udp != null && udp.destination().getPort() == REMOTE_PORT) {
                            got.add(udp.payload());
                        }
                    }
                }
            });
            for (int i = 0; i < count; i++) {
                assertArrayEquals(sent.get(i), got.get(i), "datagram " + i);
            }
        }
    }

    // ---------------------------------------------------------------- helpers for subclasses and tests

    /** Opens a device of {@code mode} with {@link #config(DeviceMode)}, skipping the test if the mode is unsupported. */
    protected final DeviceUnderTest openUnderTest(DeviceMode mode) throws Exception {
        assumeMode(mode);
        DeviceUnderTest dut = open(config(mode));
        assertNotNull(dut, "open returned null");
        return dut;
    }

    private void assumeMode(DeviceMode mode) {
        assumeTrue(supportedModes().contains(mode), () -> "this backend does not support " + mode + " devices");
    }

    private static void assumeCapability(TunTapDevice d, Capability c) {
        assumeTrue(d.capabilities().contains(c), () -> d.name() + " lacks " + c + ": " + d.capabilities());
    }

    /** A payload of {@code length} bytes, different for each seed. */
    protected static byte[] payload(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seed * 31 + i * 7);
        }
        return p;
    }

    /**
     * A UDP packet from the far end ({@code remote}, {@link #REMOTE_PORT}) to the host ({@code host},
     * {@link #HOST_PORT}), as {@code d} takes it: bare IP on TUN, an Ethernet frame from {@link #REMOTE_MAC} to the
     * device's MAC address on TAP.
     */
    protected static byte[] packet(TunTapDevice d, InetAddress remote, InetAddress host, byte[] payload)
            throws TunTapException {
        byte[] ip = Packets.udp(new InetSocketAddress(remote, REMOTE_PORT), new InetSocketAddress(host, HOST_PORT),
                payload);
        return d.mode() == DeviceMode.TAP ? Frames.ethernet(((TapDevice) d).macAddress(), REMOTE_MAC, ip) : ip;
    }

    /** Reads from {@code d} until a UDP datagram to {@code port} comes, answering ARP and ND on the way. */
    protected final Packets.Udp readUdp(TunTapDevice d, int port) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
        readMatching(d, dst, port, d::read);
        return ContractTraffic.udpOf(d, dst.flip());
    }

    /** One way of reading a packet into a buffer, waiting at most a timeout. */
    @FunctionalInterface
    protected interface Reader {
        /** Reads one packet into {@code dst} at its position, waiting at most {@code timeout}; 0 if none came. */
        int read(ByteBuffer dst, Duration timeout) throws TunTapException;
    }

    /**
     * Reads packets into {@code dst} at its position until one is a UDP datagram to {@code port} with valid
     * checksums, which is left there (the position after it), answering ARP and neighbour solicitations for the
     * far end and skipping anything else. Fails after {@link #packetTimeout()}.
     *
     * @return the datagram's packet length
     */
    protected final int readMatching(TunTapDevice d, ByteBuffer dst, int port, Reader reader) throws Exception {
        int start = dst.position();
        EchoResponder responder = ContractTraffic.remoteResponder(d.mode());
        ByteBuffer reply = ByteBuffer.allocate(MAX_PACKET + 64);
        long deadline = System.nanoTime() + packetTimeout().toNanos();
        return assertTimeoutPreemptively(packetTimeout().plusSeconds(1), () -> {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return fail("no UDP datagram to port " + port + " came from " + d.name() + " within "
                            + packetTimeout());
                }
                dst.position(start);
                int n = reader.read(dst, Duration.ofNanos(left));
                if (n == 0) {
                    continue;
                }
                ByteBuffer packet = dst.duplicate().limit(start + n).position(start);
                if (ContractTraffic.answered(d, responder, packet, reply)) {
                    continue;
                }
                Packets.Udp udp = ContractTraffic.udpOrNull(d, packet);
                if (udp != null && udp.destination().getPort() == port) {
                    return n;
                }
            }
        });
    }
}
