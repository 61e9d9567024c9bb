// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.Offload;
import io.tuntap.OpenPolicy;
import io.tuntap.PacketChannel;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.linux.uring.UringSupport;
import io.tuntap.testkit.Packets;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code close()} returns only once the kernel has let go of the device, whichever path the packets took: a
 * device that was just closed can be created again under the same name at once. The io_uring rings hold the
 * device file as a registered file, and the kernel drops a ring's files from a worker after the ring's fd is
 * closed, tens of milliseconds later, unless they are unregistered first; so every round here sends a batch
 * through the rings (both directions where the path uses both) and then closes and creates the device again
 * with {@link OpenPolicy#CREATE_NEW}, which fails if the old interface is still there.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class CloseReleaseIT {
    private static final int ROUNDS = 1000;
    private static final String HOST = "10.95.0.1";
    private static final String REMOTE = "10.95.0.2";
    private static final int PROTOCOL_TCP = 6;

    @ParameterizedTest(name = "{0} queue(s), offload {1}")
    @CsvSource({"1, OFF", "1, AUTO", "2, OFF", "2, AUTO"})
    void aClosedDeviceCanBeCreatedAgainAtOnce(int queues, Offload offload) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(queues);
        try (TestNetwork ns = TestNetwork.create()) {
            // No IPv6 on new interfaces: the kernel's own solicitations would come between the replies.
            ns.execOrFail("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            long fdsBefore = openFds();
            long start = System.nanoTime();
            // Each round waits for the kernel's replies; a device the kernel still holds fails the next open at
            // once, so only a lost reply could hang, and the time box turns that into a failure.
            assertTimeoutPreemptively(Duration.ofMinutes(5), () -> ns.run(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    oneRound(queues, offload, round, readers);
                }
                return null;
            }));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("CloseReleaseIT: %d rounds, %d queue(s), offload %s: %d ms (%.2f ms a round), "
                    + "batches through %s%n", ROUNDS, queues, offload, millis, (double) millis / ROUNDS,
                    UringSupport.get().enabled() ? "io_uring" : "the plain path");
            assertFalse(Links.exists(ns, "ttr0"), "the last device is gone");
            assertEquals(fdsBefore, openFds(), "no fd left behind (rings included)");
        } finally {
            readers.shutdownNow();
        }
    }

    /**
     * Opens the device, sends two SYNs through each queue with {@code writePackets}, reads the kernel's resets
     * with {@code readPackets} on every queue (a reader per queue: the kernel picks the queue a reply goes
     * to), closes the device while the readers wait for more, and checks that they ended with
     * {@link DeviceClosedException}.
     */
    private static void oneRound(int queues, Offload offload, int round, ExecutorService readers) throws Exception {
        DeviceConfig config = DeviceConfig.tun().name("ttr0").queues(queues).offload(offload)
                .openPolicy(OpenPolicy.CREATE_NEW).address(HOST + "/24").build();
        TunTapDevice tun;
        try {
            tun = TunTap.open(config);
        } catch (IOException e) {
            throw new AssertionError("round " + round + ": the device closed in the round before is still held", e);
        }
        AtomicInteger resets = new AtomicInteger();
        List<Future<?>> reading = new ArrayList<>();
        try (tun) {
            List<? extends PacketChannel> channels = tun.queues();
            for (PacketChannel channel : channels) {
                reading.add(readers.submit(() -> readResets(channel, resets)));
            }
            for (int q = 0; q < channels.size(); q++) {
                // SYNs to a closed port: the kernel answers each with a reset.
                ByteBuffer[] syns = {syn(40000 + 2 * q), syn(40001 + 2 * q)};
                assertEquals(2, channels.get(q).writePackets(syns, 2));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (resets.get() < 2 * queues) {
                assertTrue(System.nanoTime() < deadline, "round " + round + ": " + resets.get() + " of "
                        + 2 * queues + " resets came back");
                Thread.onSpinWait();
            }
            if (UringSupport.get().enabled()) {
                assertTrue(((LinuxDeviceImpl) tun).firstQueue().batchPath().startsWith("io_uring"));
            }
        }
        for (Future<?> f : reading) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertInstanceOf(DeviceClosedException.class, e.getCause(), "round " + round + ": a reader ended so");
        }
        assertEquals(2 * queues, resets.get(), "round " + round + ": nothing but the resets came");
    }

    /** Reads with readPackets until the queue closes, counting TCP resets from HOST; fails on anything else. */
    private static Void readResets(PacketChannel channel, AtomicInteger resets) throws Exception {
        ByteBuffer[] in = {ByteBuffer.allocateDirect(65600), ByteBuffer.allocateDirect(65600)};
        InetAddress host = InetAddress.getByName(HOST);
        while (true) {
            int n = channel.readPackets(in, 2);
            for (int i = 0; i < n; i++) {
                ByteBuffer reply = in[i].flip();
                assertEquals(PROTOCOL_TCP, Packets.protocol(reply), "a TCP reset");
                assertEquals(host, Packets.sourceAddress(reply));
                assertEquals(0x04, reply.get(20 + 13) & 0x04, "the RST flag");
                in[i].clear();
                resets.incrementAndGet();
            }
        }
    }

    /** A TCP SYN from REMOTE:sourcePort to HOST:9 (discard, closed in the namespace), checksums filled in. */
    private static ByteBuffer syn(int sourcePort) throws IOException {
        byte[] tcp = new byte[20];
        ByteBuffer t = ByteBuffer.wrap(tcp);
        t.putShort(0, (short) sourcePort);
        t.putShort(2, (short) 9);
        t.putInt(4, 1000);
        tcp[12] = 5 << 4; // header length 20
        tcp[13] = 0x02; // SYN
        t.putShort(14, (short) 64240);
        Inet4Address src = (Inet4Address) InetAddress.getByName(REMOTE);
        Inet4Address dst = (Inet4Address) InetAddress.getByName(HOST);
        byte[] pseudo = new byte[12 + tcp.length];
        System.arraycopy(src.getAddress(), 0, pseudo, 0, 4);
        System.arraycopy(dst.getAddress(), 0, pseudo, 4, 4);
        pseudo[9] = PROTOCOL_TCP;
        pseudo[11] = (byte) tcp.length;
        System.arraycopy(tcp, 0, pseudo, 12, tcp.length);
        t.putShort(16, (short) Packets.internetChecksum(pseudo, 0, pseudo.length));
        byte[] packet = Packets.ipv4(src, dst, PROTOCOL_TCP, tcp);
        return ByteBuffer.allocateDirect(packet.length).put(packet).flip();
    }

    /** Every fd of this process that the backend could have made: the device, eventfds, sockets and rings. */
    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(CloseReleaseIT::target)
                    .filter(t -> t.equals("/dev/net/tun") || t.startsWith("anon_inode:") || t.startsWith("socket:"))
                    .count();
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
