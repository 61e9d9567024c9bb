// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.IpPrefix;
import io.tuntap.Offload;
import io.tuntap.PacketChannel;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import io.tuntap.testkit.VirtualThreadContract;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1,000 virtual threads read 1,000 queues (four TUN devices of 250 queues each, in a namespace of their own) on
 * two carrier threads: run by the Failsafe execution {@code virtual-threads-2-carriers}, whose JVM has
 * {@code -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2}; skipped in any
 * other JVM. Every reader must park (were a reader to block a carrier in poll, at most two could ever wait and the
 * others would never run), every one of the datagrams sent through the devices must be read exactly once, close
 * must end every reader with DeviceClosedException, and JFR must record no {@code jdk.VirtualThreadPinned}
 * event (threshold 0) meanwhile.
 */
@Tag("privileged")
@RequiresRealDevice(value = DeviceMode.TUN, programs = {"ip", "nsenter"})
class VirtualThreadScaleIT {
    private static final int DEVICES = 4;
    private static final int QUEUES = 250;
    private static final int READERS = DEVICES * QUEUES;
    private static final int DATAGRAMS = 20_000;
    private static final int FIRST_PORT = 20_000;
    private static final long WAIT_SECONDS = 120;

    @Test
    void thousandVirtualThreadsReadThousandQueuesOnTwoCarriers() throws Exception {
        assumeTrue("2".equals(System.getProperty("jdk.virtualThreadScheduler.parallelism")),
                "runs in the JVM of the virtual-threads-2-carriers execution (2 carrier threads)");
        ThreadFactory virtual = (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory")
                .invoke(Thread.class.getMethod("ofVirtual").invoke(null));
        Path jfr = Files.createTempFile("tuntap-pinned", ".jfr");
        try (TestNetwork ns = TestNetwork.create(); Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            List<TunTapDevice> devices = new ArrayList<>();
            AtomicIntegerArray seen = new AtomicIntegerArray(DATAGRAMS);
            AtomicLong delivered = new AtomicLong();
            AtomicIntegerArray perReader = new AtomicIntegerArray(READERS);
            AtomicReferenceArray<Throwable> ended = new AtomicReferenceArray<>(READERS);
            List<Thread> readers = new ArrayList<>();
            try {
                for (int i = 0; i < DEVICES; i++) {
                    // One on-link /24 per device, so that each gets its share of the destinations below by route.
                    DeviceConfig config = DeviceConfig.tun().name("vts" + i).queues(QUEUES).offload(Offload.OFF)
                            .address(IpPrefix.parse("10.77." + i + ".1/24")).mtu(1500).build();
                    devices.add(ns.run(() -> TunTap.open(config)));
                }
                for (TunTapDevice d : devices) {
                    for (PacketChannel queue : d.queues()) {
                        int id = readers.size();
                        Thread t = virtual.newThread(() -> read(queue, id, seen, delivered, perReader, ended));
                        t.setName("scale-reader-" + id);
                        readers.add(t);
                        t.start();
                    }
                }
                assertEquals(READERS, readers.size());
                for (Thread t : readers) {
                    VirtualThreadContract.awaitParked(t);
                }
                ns.run(() -> {
                    send();
                    return null;
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                while (delivered.get() < DATAGRAMS && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                List<Integer> missing = new ArrayList<>();
                for (int i = 0; i < DATAGRAMS; i++) {
                    if (seen.get(i) != 1) {
                        missing.add(i);
                    }
                }
                assertEquals(List.of(), missing.stream().limit(20).collect(Collectors.toList()),
                        "datagrams not read exactly once (first 20 of " + missing.size() + ")");
                int idle = 0;
                for (int i = 0; i < READERS; i++) {
                    idle += perReader.get(i) == 0 ? 1 : 0;
                }
                System.out.printf("%d datagrams read by %d virtual threads on 2 carriers; %d queues got none%n",
                        delivered.get(), READERS, idle);
            } finally {
                for (TunTapDevice d : devices) {
                    d.close();
                }
            }
            for (int i = 0; i < readers.size(); i++) {
                Thread t = readers.get(i);
                t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                assertFalse(t.isAlive(), t.getName() + " still reads after close");
                assertInstanceOf(DeviceClosedException.class, ended.get(i), t.getName() + " ends on close");
            }
            recording.stop();
            recording.dump(jfr);
            List<RecordedEvent> pinned = RecordingFile.readAllEvents(jfr);
            assertEquals(List.of(), pinned.stream().map(e -> String.valueOf(e.getStackTrace()))
                    .collect(Collectors.toList()), "virtual threads pinned to their carrier");
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    /** Reads until the queue closes, marking each datagram's index (its destination port minus FIRST_PORT). */
    private static void read(PacketChannel queue, int id, AtomicIntegerArray seen, AtomicLong delivered,
            AtomicIntegerArray perReader, AtomicReferenceArray<Throwable> ended) {
        ByteBuffer dst = ByteBuffer.allocateDirect(2048);
        try {
            while (true) {
                dst.clear();
                int n = queue.read(dst);
                // IPv4 (version 4), UDP (protocol 17): the destination port follows the IHL-long header.
                if (n >= 28 && (dst.get(0) >> 4) == 4 && dst.get(9) == 17) {
                    int ihl = (dst.get(0) & 0xf) * 4;
                    int index = (dst.getShort(ihl + 2) & 0xffff) - FIRST_PORT;
                    if (index >= 0 && index < DATAGRAMS) {
                        seen.incrementAndGet(index);
                        perReader.incrementAndGet(id);
                        delivered.incrementAndGet();
                    }
                }
            }
        } catch (Throwable t) {
            ended.set(id, t);
        }
    }

    /**
     * From the namespace's stack: datagram i goes to 10.77.(i % DEVICES).2, port FIRST_PORT + i, so through device
     * i % DEVICES, whose queue the kernel picks by the flow's hash.
     */
    private static void send() throws Exception {
        try (DatagramChannel channel = DatagramChannel.open()) {
            ByteBuffer payload = ByteBuffer.allocate(16);
            InetAddress[] to = new InetAddress[DEVICES];
            for (int i = 0; i < DEVICES; i++) {
                to[i] = InetAddress.getByName("10.77." + i + ".2");
            }
            for (int i = 0; i < DATAGRAMS; i++) {
                payload.clear();
                payload.putInt(0, i);
                channel.send(payload, new InetSocketAddress(to[i % DEVICES], FIRST_PORT + i));
                if (i % 500 == 499) {
                    Thread.sleep(2); // the readers' pace: no queue of 500 fills while they run on two carriers
                }
            }
        }
    }
}
