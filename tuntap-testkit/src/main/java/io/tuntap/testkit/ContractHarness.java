// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The harness of the device contract: what a backend's test supplies ({@link #open(DeviceConfig)} and the
 * settings it may override), the {@link Peer} on the device's other side, the fixed addresses the traffic uses,
 * and the helpers the cases share. The cases themselves are in the themed classes that end in
 * {@link TunTapDeviceContract}, which is what a backend's test extends.
 */
public abstract class ContractHarness {
    /** For the contract's classes only. */
    ContractHarness() {
    }

    /** How many packets of its own a real kernel may slip in (router solicitations, MLD) before a test's. */
    static final int MAX_UNRELATED_PACKETS = 20;
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
    static final int MAX_PACKET = 65535 + Frames.ETHERNET_HEADER_LENGTH;

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

    /** How often {@link LifecycleContract#closeWakesBlockedReaderPromptly} repeats, per mode. 200 by default. */
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


    // ---------------------------------------------------------------- helpers for the cases and subclasses

    /** Opens a device of {@code mode} with {@link #config(DeviceMode)}, skipping the test if the mode is unsupported. */
    protected final DeviceUnderTest openUnderTest(DeviceMode mode) throws Exception {
        assumeMode(mode);
        DeviceUnderTest dut = open(config(mode));
        assertNotNull(dut, "open returned null");
        return dut;
    }

    final void assumeMode(DeviceMode mode) {
        assumeTrue(supportedModes().contains(mode), () -> "this backend does not support " + mode + " devices");
    }

    static void assumeCapability(TunTapDevice d, Capability c) {
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
