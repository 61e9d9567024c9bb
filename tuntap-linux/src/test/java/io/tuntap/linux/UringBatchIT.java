// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.LinkDownException;
import io.tuntap.Offload;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TapDevice;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.uring.BatchChoice;
import io.tuntap.linux.uring.BatchChoice.Mechanism;
import io.tuntap.linux.uring.UringSupport;
import io.tuntap.testkit.Packets;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The batch calls on a real TUN device, on whichever path this JVM takes: io_uring by default where the
 * kernel allows it, the plain loop with {@code -Dtuntap.linux.io_uring=false} (the build runs this class both
 * ways). Order, per-packet errors, short buffers, close, interrupt and allocation must be the same on both.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class UringBatchIT {
    private static final String HOST = "10.93.0.1";
    private static final String REMOTE = "10.93.0.2";
    private static final int PORT = 7100;

    private TestNetwork ns;
    private TunTapDevice tun;

    @BeforeEach
    void open() throws Exception {
        ns = TestNetwork.create();
        tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("ttu0").offload(Offload.OFF)
                .address(HOST + "/24").build()));
        // The ring's own behaviour, batch after batch (where there is a ring); the measured choice between the
        // two mechanisms has a test of its own below.
        queue().fixBatchMechanism(Mechanism.IO_URING);
        ns.execOrFail("ip", "link", "set", "ttu0", "txqueuelen", "10000");
        // No IPv6 on the device: the kernel's own solicitations would come between the test's packets.
        ns.execOrFail("sysctl", "-q", "-w", "net.ipv6.conf.ttu0.disable_ipv6=1");
        ByteBuffer scratch = ByteBuffer.allocateDirect(65600);
        while (tun.read(scratch.clear(), java.time.Duration.ofMillis(50)) > 0) {
            // whatever the kernel sent before
        }
    }

    @AfterEach
    void close() throws Exception {
        tun.close();
        ns.close();
    }

    private LinuxQueue queue() {
        return ((LinuxDeviceImpl) tun).firstQueue();
    }

    @Test
    void thePathInUseIsTheOneTheProbeFound() throws Exception {
        boolean switchedOff = "false".equals(System.getProperty(UringSupport.PROPERTY));
        Path disabled = Path.of("/proc/sys/kernel/io_uring_disabled");
        boolean forbidden = Files.exists(disabled) && !Files.readString(disabled).trim().equals("0");
        UringSupport support = UringSupport.get();
        if (switchedOff) {
            assertFalse(support.enabled());
            assertTrue(support.description().contains("switched off"), support.description());
        } else if (!forbidden) {
            assertTrue(support.enabled(), "this kernel runs io_uring, so batches should use it: " + support);
        }
        assertEquals(support.enabled() ? "io_uring" : "plain", queue().batchPath());
        assertTrue(new LinuxTunTapProvider().availability().detail().contains("packet batches: "
                + support.description()), new LinuxTunTapProvider().availability().detail());
    }

    @Test
    void theLinuxOptionTurnsTheRingOffForOneDevice() throws Exception {
        try (TunTapDevice plain = ns.run(() -> TunTap.open(DeviceConfig.tun().name("ttu1").offload(Offload.OFF)
                .option(LinuxOptions.IO_URING, false).build()))) {
            assertEquals("plain", ((LinuxDeviceImpl) plain).firstQueue().batchPath());
        }
        assertEquals(UringSupport.get().enabled() ? "io_uring" : "plain", queue().batchPath(),
                "the other device keeps the process-wide choice");
    }

    @Test
    void writePacketsKeepsOrderAcrossBatchesAndRings() throws Exception {
        // The namespace forwards what is written for 10.93.0.3 back out through the device, in the order it was
        // written (forwarding runs inside each write), so reading the device back shows the order.
        ns.execOrFail("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        ns.execOrFail("sysctl", "-q", "-w", "net.ipv4.conf.all.send_redirects=0");
        ns.execOrFail("sysctl", "-q", "-w", "net.ipv4.conf.ttu0.send_redirects=0");
        int total = 300; // more than one ring's worth in one call, and several calls
        ByteBuffer[] batch = new ByteBuffer[total];
        for (int i = 0; i < total; i++) {
            batch[i] = direct(Packets.udp(new InetSocketAddress(REMOTE, 5000), new InetSocketAddress("10.93.0.3", 9),
                    sequencePayload(i)));
        }
        assertEquals(200, tun.writePackets(batch, 200));
        ByteBuffer[] rest = new ByteBuffer[total - 200];
        System.arraycopy(batch, 200, rest, 0, rest.length);
        assertEquals(rest.length, tun.writePackets(rest, rest.length));
        for (ByteBuffer b : batch) {
            assertFalse(b.hasRemaining(), "every buffer's position is at its limit");
        }
        ByteBuffer in = ByteBuffer.allocateDirect(65600);
        for (int i = 0; i < total; i++) {
            in.clear();
            assertTrue(tun.read(in, java.time.Duration.ofSeconds(2)) > 0, "packet " + i + " came back");
            assertEquals(i, sequenceOf(in.flip()), "packet " + i + " in order");
        }
    }

    @Test
    void batchesMeasureBothMechanismsChooseOneAndKeepEveryPacketInOrder() throws Exception {
        queue().fixBatchMechanism(null); // measured, as a device opens by default
        ns.execOrFail("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        ns.execOrFail("sysctl", "-q", "-w", "net.ipv4.conf.all.send_redirects=0");
        ns.execOrFail("sysctl", "-q", "-w", "net.ipv4.conf.ttu0.send_redirects=0");
        int perBatch = 8;
        // Past the warm-up, through one probe, and on: the batches switch between the mechanisms on the way.
        int batches = BatchChoice.WARM_UP + BatchChoice.PROBE + 64;
        ByteBuffer[] out = new ByteBuffer[perBatch];
        ByteBuffer[] in = new ByteBuffer[perBatch];
        for (int i = 0; i < perBatch; i++) {
            out[i] = ByteBuffer.allocateDirect(128);
            in[i] = ByteBuffer.allocateDirect(2048);
        }
        InetSocketAddress from = new InetSocketAddress(REMOTE, 5000);
        InetSocketAddress to = new InetSocketAddress("10.93.0.3", 9);
        int next = 0;
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < perBatch; i++) {
                out[i].clear().put(Packets.udp(from, to, sequencePayload(b * perBatch + i))).flip();
            }
            assertEquals(perBatch, tun.writePackets(out, perBatch));
            // Forwarding runs inside each write: the packets are queued on the device when the batch returns.
            int got = 0;
            while (got < perBatch) {
                for (ByteBuffer d : in) {
                    d.clear();
                }
                int n = tun.readPackets(in, perBatch - got);
                for (int i = 0; i < n; i++) {
                    assertEquals(next++, sequenceOf(in[i].flip()), "batch " + b + ": every packet, in order");
                }
                got += n;
            }
        }
        String mechanism = queue().batchMechanism();
        if (UringSupport.get().enabled()) {
            assertTrue(mechanism.contains("reads: ") && mechanism.contains("writes: "), mechanism);
            assertEquals(2, mechanism.split("measured ", -1).length - 1,
                    "both directions chose from their own timings: " + mechanism);
        } else {
            assertEquals("plain", mechanism);
        }
        assertTrue(((LinuxDevice) tun).batchMechanism(0).equals(mechanism), "the device reports it");
    }

    @Test
    void aPacketTheKernelRefusesForWhatItHoldsEndsTheBatchBeforeIt() throws Exception {
        try (DatagramChannel sink = ns.run(() -> DatagramChannel.open().bind(new InetSocketAddress(HOST, PORT)))) {
            byte[] bad = datagram(2, 32);
            bad[0] = 0x55; // IP version 5: neither 4 nor 6
            assertEquals(Errno.EINVAL, kernelRefusal(queue(), bad), "the kernel itself refuses the packet");
            ByteBuffer[] batch = {direct(datagram(0, 32)), direct(datagram(1, 32)), direct(bad), direct(datagram(3, 32))};
            TunTapException e = assertBatchEndsAtPacket2(tun, batch, sink);
            assertEquals(0, e.errorCode(), "refused before any system call: " + e.getMessage());
            assertTrue(e.getMessage().contains("IP version") && e.getMessage().contains("is 5"), e.getMessage());
        }
    }

    @Test
    void aTapFrameShorterThanAnEthernetHeaderEndsTheBatchBeforeIt() throws Exception {
        try (TunTapDevice tap = ns.run(() -> TunTap.open(DeviceConfig.tap().name("ttu2").offload(Offload.OFF)
                .address("10.94.0.1/24").build()));
                DatagramChannel sink = ns.run(() -> DatagramChannel.open().bind(new InetSocketAddress("10.94.0.1",
                        PORT)))) {
            LinuxQueue queue = ((LinuxDeviceImpl) tap).firstQueue();
            queue.fixBatchMechanism(Mechanism.IO_URING);
            byte[] mac = ((TapDevice) tap).macAddress().toByteArray();
            byte[] shortFrame = java.util.Arrays.copyOf(frame(mac, 2), 13); // one byte short of the Ethernet header
            assertEquals(Errno.EINVAL, kernelRefusal(queue, shortFrame), "the kernel itself refuses the frame");
            ByteBuffer[] batch = {direct(frame(mac, 0)), direct(frame(mac, 1)), direct(shortFrame),
                direct(frame(mac, 3))};
            TunTapException e = assertBatchEndsAtPacket2(tap, batch, sink);
            assertEquals(0, e.errorCode(), "refused before any system call: " + e.getMessage());
            assertTrue(e.getMessage().contains("13 bytes") && e.getMessage().contains("Ethernet"), e.getMessage());
        }
    }

    @Test
    void aVirtioHeaderTheKernelRefusesEndsTheBatchBeforeIt() throws Exception {
        // The caller's own virtio_net_hdr (Offload.VIRTIO_NET_HDR): whether the kernel takes one depends on what
        // it parses in the packet, so these writes go as a linked chain and the kernel's refusal ends it.
        try (TunTapDevice raw = ns.run(() -> TunTap.open(DeviceConfig.tun().name("ttu3")
                .offload(Offload.VIRTIO_NET_HDR).address("10.95.0.1/24").build()));
                DatagramChannel sink = ns.run(() -> DatagramChannel.open().bind(new InetSocketAddress("10.95.0.1",
                        PORT)))) {
            LinuxQueue queue = ((LinuxDeviceImpl) raw).firstQueue();
            queue.fixBatchMechanism(Mechanism.IO_URING);
            byte[] bad = withHeader(2);
            bad[1] = 2; // gso_type 2: no VIRTIO_NET_HDR_GSO_* value
            assertEquals(Errno.EINVAL, kernelRefusal(queue, bad), "the kernel itself refuses the header");
            ByteBuffer[] batch = {direct(withHeader(0)), direct(withHeader(1)), direct(bad), direct(withHeader(3))};
            TunTapException e = assertBatchEndsAtPacket2(raw, batch, sink);
            assertEquals(Errno.EINVAL, e.errorCode(), "the kernel's refusal: " + e.getMessage());
            if (queue.batchPath().equals("io_uring")) {
                assertTrue(e.getMessage().contains("stopped at packet 2 of 4"), e.getMessage());
            }
        }
    }

    /**
     * Writes the 4-packet {@code batch}, whose packet 2 is refused, and checks that exactly packets 0 and 1 went
     * (their positions, and the sequence numbers {@code sink} receives), that packet 3 goes alone afterwards, and
     * returns the exception.
     */
    private static TunTapException assertBatchEndsAtPacket2(TunTapDevice device, ByteBuffer[] batch,
            DatagramChannel sink) throws Exception {
        sink.socket().setSoTimeout(500);
        TunTapException e = assertThrows(TunTapException.class, () -> device.writePackets(batch, 4));
        assertFalse(batch[0].hasRemaining());
        assertFalse(batch[1].hasRemaining());
        assertEquals(0, batch[2].position(), "the refused packet keeps its position");
        assertEquals(0, batch[3].position(), "the packet after it was not sent");
        assertEquals(0, receiveSequence(sink));
        assertEquals(1, receiveSequence(sink));
        assertThrows(SocketTimeoutException.class, () -> receiveSequence(sink), "nothing after the refused packet");
        // The channel works on: send the rest.
        assertEquals(1, device.writePackets(new ByteBuffer[] {batch[3]}, 1));
        assertEquals(3, receiveSequence(sink));
        return e;
    }

    @Test
    void aBatchWrittenWhileTheLinkIsDownSendsNothingAndSaysSo() throws Exception {
        tun.setUp(false);
        ByteBuffer[] batch = new ByteBuffer[200]; // more than one submission's worth
        for (int i = 0; i < batch.length; i++) {
            batch[i] = direct(datagram(i, 32));
        }
        TunTapException e = assertThrows(LinkDownException.class, () -> tun.writePackets(batch, batch.length));
        assertEquals(Errno.EIO, e.errorCode(), "the kernel's own refusal");
        for (int i = 0; i < batch.length; i++) {
            assertEquals(0, batch[i].position(), "packet " + i + " was not sent: its position is kept");
        }
        if (queue().batchPath().equals("io_uring")) {
            assertTrue(e.getMessage().contains("stopped at packet 0 of 200") && e.getMessage().contains(" 0 packets "
                    + "were sent"), e.getMessage());
        }
        tun.setUp(true);
        try (DatagramChannel sink = ns.run(() -> DatagramChannel.open().bind(new InetSocketAddress(HOST, PORT)))) {
            sink.socket().setSoTimeout(2000);
            assertEquals(batch.length, tun.writePackets(batch, batch.length), "the same buffers go once it is up");
            for (int i = 0; i < batch.length; i++) {
                assertEquals(i, receiveSequence(sink), "packet " + i + ", in order");
            }
        }
    }

    @Test
    void readPacketsReturnsQueuedPacketsInOrderKeepingHeadroom() throws Exception {
        for (int size : new int[] {2048, 65600}) { // readv with an overflow segment, and plain read
            int total = 250;
            send(0, total);
            ByteBuffer[] dsts = new ByteBuffer[64];
            for (int i = 0; i < dsts.length; i++) {
                dsts[i] = ByteBuffer.allocateDirect(size);
            }
            int next = 0;
            while (next < total) {
                for (ByteBuffer d : dsts) {
                    d.clear().position(16); // headroom the caller keeps
                }
                int n = tun.readPackets(dsts, Math.min(dsts.length, total - next));
                assertTrue(n >= 1);
                for (int i = 0; i < n; i++) {
                    ByteBuffer p = dsts[i].flip().position(16);
                    assertEquals(next++, sequenceOf(p), "packet " + i + " of the batch, " + size + "-byte buffers");
                }
                for (int i = n; i < dsts.length; i++) {
                    assertEquals(16, dsts[i].position(), "buffers after the last packet are untouched");
                }
            }
        }
    }

    @Test
    void aPacketTooLargeForItsBufferIsReportedAndNoOtherPacketIsLost() throws Exception {
        send(0, 1, 16);
        send(1, 1, 1200); // too large for the 200-byte buffer below
        send(2, 1, 16);
        send(3, 1, 16);
        Thread.sleep(50);
        ByteBuffer[] dsts = {ByteBuffer.allocateDirect(2048), ByteBuffer.allocateDirect(200), ByteBuffer.allocateDirect(2048)};
        java.util.List<Integer> read = new java.util.ArrayList<>();
        int tooLarge = 0;
        // io_uring reads three at once and returns 0 and 2, the exception next, then 3; the plain loop stops at
        // the dropped packet and reads 2 and 3 after the exception. Either way 0, 2 and 3 arrive in order and 1
        // is reported once.
        while (read.size() < 3) {
            for (ByteBuffer d : dsts) {
                d.clear();
            }
            try {
                int n = tun.readPackets(dsts, 3);
                for (int i = 0; i < n; i++) {
                    read.add(sequenceOf(dsts[i].flip()));
                }
            } catch (PacketTooLargeException e) {
                assertTrue(e.getMessage().contains("room for 200"), e.getMessage());
                tooLarge++;
            }
        }
        assertEquals(java.util.List.of(0, 2, 3), read);
        assertEquals(1, tooLarge, "the dropped packet is reported once");
    }

    @Test
    void closeWakesABlockedReadPackets() throws Exception {
        ByteBuffer[] dsts = {ByteBuffer.allocateDirect(2048), ByteBuffer.allocateDirect(2048)};
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                tun.readPackets(dsts, 2);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(300);
        assertFalse(reader.isDone(), "readPackets waits while no packet comes");
        long t0 = System.nanoTime();
        tun.close();
        Throwable thrown = reader.get(10, TimeUnit.SECONDS);
        assertInstanceOf(DeviceClosedException.class, thrown);
        // Woken, not timed out: the read had no deadline. The bound leaves room for a loaded machine and for
        // close's wait until the kernel lets go of the ring's registered file.
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "woke within 5 s");
    }

    @Test
    void interruptStopsABlockedReadPacketsAndTheDeviceStaysUsable() throws Exception {
        ByteBuffer[] dsts = {ByteBuffer.allocateDirect(2048), ByteBuffer.allocateDirect(2048)};
        Throwable[] thrown = new Throwable[1];
        boolean[] flagKept = new boolean[1];
        Thread reader = new Thread(() -> {
            try {
                tun.readPackets(dsts, 2);
            } catch (Throwable t) {
                thrown[0] = t;
                flagKept[0] = Thread.currentThread().isInterrupted();
            }
        });
        reader.start();
        Thread.sleep(300);
        reader.interrupt();
        reader.join(2000);
        assertFalse(reader.isAlive());
        assertInstanceOf(DeviceInterruptedException.class, thrown[0]);
        assertTrue(flagKept[0], "the interrupt status stays set");
        assertTrue(tun.isOpen());
        send(7, 1);
        assertTrue(tun.readPackets(dsts, 2) >= 1);
        assertEquals(7, sequenceOf(dsts[0].flip()));
    }

    @Test
    void batchesAllocateNothingPerPacket() throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] packet = multicast();
        ByteBuffer[] out = new ByteBuffer[64];
        ByteBuffer[] in = new ByteBuffer[64];
        for (int i = 0; i < out.length; i++) {
            out[i] = direct(packet);
            in[i] = ByteBuffer.allocateDirect(2048);
        }
        // Code the JIT has not yet fully compiled may allocate (on Java 22+ the foreign-function call stubs box
        // until C2 compiles them, after some 10^5 calls): the steady state is what must not. So warm up, then
        // measure passes of 300 calls until one allocates nothing, for at most 60 passes; a path that allocates
        // per packet or per call never gets there.
        // Warm-up with one-packet batches: the same calls, 64 times cheaper, enough of them for C2.
        for (int w = 0; w < 150_000; w++) {
            out[0].rewind();
            tun.writePackets(out, 1);
        }
        int rounds = 300; // 19 200 packets a pass
        long written = Long.MAX_VALUE;
        for (int pass = 0; pass < 60 && written >= rounds * 64 / 4; pass++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int r = 0; r < rounds; r++) {
                for (ByteBuffer b : out) {
                    b.rewind();
                }
                tun.writePackets(out, out.length);
            }
            written = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(written < rounds * 64 / 4, "writePackets allocated " + written + " bytes for " + rounds * 64
                + " packets after warm-up");
        long readBytes = Long.MAX_VALUE;
        for (int pass = 0; pass < 10 && readBytes >= rounds * 16 / 4; pass++) {
            send(0, rounds * 16);
            Thread.sleep(50);
            long before = threads.getCurrentThreadAllocatedBytes();
            int read = 0;
            while (read < rounds * 16) {
                for (ByteBuffer b : in) {
                    b.clear();
                }
                read += tun.readPackets(in, Math.min(in.length, rounds * 16 - read));
            }
            readBytes = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(readBytes < rounds * 16 / 4, "readPackets allocated " + readBytes + " bytes for " + rounds * 16
                + " packets after warm-up");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static byte[] sequencePayload(int sequence) {
        byte[] payload = new byte[32];
        ByteBuffer.wrap(payload).putInt(sequence);
        return payload;
    }

    /** An IPv4/UDP packet (Packets.udp makes the IP header too) from REMOTE to HOST:PORT whose payload starts with {@code sequence}. */
    private static byte[] datagram(int sequence, int payloadLength) throws Exception {
        byte[] payload = new byte[payloadLength];
        ByteBuffer.wrap(payload).putInt(sequence);
        InetSocketAddress from = new InetSocketAddress(REMOTE, 5000);
        InetSocketAddress to = new InetSocketAddress(HOST, PORT);
        return Packets.udp(from, to, payload);
    }

    /**
     * An Ethernet frame to the TAP device's own address carrying an IPv4/UDP datagram for 10.94.0.1:PORT whose
     * payload starts with {@code sequence}.
     */
    private static byte[] frame(byte[] mac, int sequence) {
        byte[] payload = new byte[32];
        ByteBuffer.wrap(payload).putInt(sequence);
        byte[] ip = Packets.udp(new InetSocketAddress("10.94.0.2", 5000), new InetSocketAddress("10.94.0.1", PORT),
                payload);
        ByteBuffer frame = ByteBuffer.allocate(14 + ip.length);
        frame.put(mac).put(new byte[] {0x02, 0, 0, 0, 0, 0x09}).putShort((short) 0x0800).put(ip);
        return frame.array();
    }

    /**
     * An all-zero virtio_net_hdr (no offload asked) in front of an IPv4/UDP datagram for 10.95.0.1:PORT whose
     * payload starts with {@code sequence}.
     */
    private static byte[] withHeader(int sequence) {
        byte[] payload = new byte[32];
        ByteBuffer.wrap(payload).putInt(sequence);
        byte[] ip = Packets.udp(new InetSocketAddress("10.95.0.2", 5000), new InetSocketAddress("10.95.0.1", PORT),
                payload);
        return ByteBuffer.allocate(10 + ip.length).position(10).put(ip).array();
    }

    /** The errno of a plain write(2) of {@code packet} on the queue's own fd, past the library's checks; 0 if taken. */
    private static int kernelRefusal(LinuxQueue queue, byte[] packet) {
        ByteBuffer b = direct(packet);
        long address = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(b));
        io.tuntap.linux.jna.LinuxLibC libc = io.tuntap.linux.jna.NativeCalls.libc();
        return libc.write(queue.fd(), address, packet.length) < 0 ? libc.errno() : 0;
    }

    /** A packet to a multicast group nobody joined: the cheapest one for the kernel to take. */
    private static byte[] multicast() throws Exception {
        InetSocketAddress from = new InetSocketAddress(REMOTE, 5000);
        InetSocketAddress to = new InetSocketAddress("239.1.1.1", 5000);
        return Packets.udp(from, to, new byte[32]);
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    private static int receiveSequence(DatagramChannel sink) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2048);
        sink.socket().receive(new java.net.DatagramPacket(b.array(), b.capacity()));
        return b.getInt(0);
    }

    /** The sequence number in a UDP/IPv4 packet read from the device. */
    private static int sequenceOf(ByteBuffer ip) {
        int start = ip.position();
        assertEquals(4, (ip.get(start) >> 4) & 0xf, "an IPv4 packet");
        int headerLength = (ip.get(start) & 0xf) * 4;
        return ip.getInt(start + headerLength + Packets.UDP_HEADER_LENGTH);
    }

    /** Sends {@code count} datagrams with sequence numbers from {@code first}, from the namespace to REMOTE. */
    private void send(int first, int count) throws Exception {
        send(first, count, 16);
    }

    private void send(int first, int count, int payloadLength) throws Exception {
        ns.run(() -> {
            try (DatagramChannel udp = DatagramChannel.open()) {
                udp.bind(new InetSocketAddress(HOST, 0));
                ByteBuffer payload = ByteBuffer.allocate(payloadLength);
                InetSocketAddress target = new InetSocketAddress(REMOTE, 9);
                for (int i = 0; i < count; i++) {
                    payload.clear();
                    payload.putInt(0, first + i);
                    udp.send(payload, target);
                }
            }
            return null;
        });
    }
}
