// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.PacketChannel;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import io.tuntap.testkit.WakeUpTimes;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Open, close, wake-up and queue behaviour of real devices, repeated until leaks or races would show. */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class LinuxLifecycleIT {
    private TestNetwork ns;

    @BeforeEach
    void createNamespace() throws Exception {
        ns = TestNetwork.create();
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        ns.close();
    }

    // The devices in the wake-up tests stay down: an up device soon reads the kernel's own IPv6 router
    // solicitations, and the reader must stay blocked until close() or interrupt().

    @Test
    void closeWakesABlockedReaderWithin100MillisecondsAt99thPercentileAndNeverOverASecond() throws Exception {
        WakeUpTimes times = new WakeUpTimes("close wakes a blocked reader of a real TUN device", 1000);
        for (int i = 0; i < 1000; i++) {
            TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("ttw0").up(false).build()));
            BlockedReader reader = BlockedReader.start(tun);
            long start = System.nanoTime();
            tun.close();
            Throwable thrown = reader.outcome().get(5, TimeUnit.SECONDS);
            // From the call to close() to the reader's exception: close() itself goes on to delete the
            // interface, which waits for the kernel's RCU grace period and is no part of the wake-up.
            times.record(reader.endedAtNanos().get() - start);
            assertInstanceOf(DeviceClosedException.class, thrown);
        }
        times.check(100, 1000);
    }

    @Test
    void interruptingABlockedReaderLeavesTheDeviceOpen() throws Exception {
        try (TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("tti0").up(false).build()))) {
            BlockedReader reader = BlockedReader.start(tun);
            reader.thread().interrupt();
            assertInstanceOf(DeviceInterruptedException.class, reader.outcome().get(1, TimeUnit.SECONDS));
            assertTrue(tun.isOpen());
            assertEquals(0, tun.read(ByteBuffer.allocateDirect(2048), Duration.ofMillis(10)));
        }
    }

    @Test
    void aThousandOpenCloseCyclesLeaveNoFileDescriptorAndNoInterface() throws Exception {
        int linksBefore = Links.count(ns);
        long fdsBefore = FileDescriptors.count();
        for (int i = 0; i < 1000; i++) {
            DeviceConfig config = (i % 2 == 0 ? DeviceConfig.tun() : DeviceConfig.tap())
                    .name("ttc" + (i % 7)).queues(1 + i % 3).address("10.80." + (i % 200) + ".1/24").build();
            TunTapDevice device = ns.run(() -> TunTap.open(config));
            device.close();
        }
        assertEquals(fdsBefore, FileDescriptors.count(), "file descriptors leaked");
        assertEquals(linksBefore, Links.count(ns), ns.exec("ip", "-o", "link").output());
    }

    @Test
    void everyQueueOfAMultiQueueDeviceReceivesTraffic() throws Exception {
        int queues = 4;
        TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("ttq0").queues(queues)
                .address("10.81.0.1/24").build()));
        try {
            assertEquals(queues, tun.queues().size());
            AtomicIntegerArray received = new AtomicIntegerArray(queues);
            Thread[] readers = new Thread[queues];
            for (int q = 0; q < queues; q++) {
                PacketChannel queue = tun.queues().get(q);
                int index = q;
                readers[q] = new Thread(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(2048);
                    try {
                        while (true) {
                            buf.clear();
                            queue.read(buf);
                            // Count the test's UDP/IPv4 datagrams, not the kernel's own IPv6 chatter.
                            if ((buf.get(0) >> 4) == 4 && buf.get(9) == 17) {
                                received.incrementAndGet(index);
                            }
                        }
                    } catch (Exception e) {
                        // closed: done
                    }
                });
                readers[q].start();
            }
            // Many flows (source ports): the kernel spreads flows over queues by their hash.
            ns.run(() -> {
                for (int flow = 0; flow < 64; flow++) {
                    try (DatagramChannel udp = DatagramChannel.open()) {
                        udp.bind(new InetSocketAddress("10.81.0.1", 0));
                        udp.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), new InetSocketAddress("10.81.0.2", 9000 + flow));
                    }
                }
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && total(received) < 64) {
                Thread.sleep(10);
            }
            tun.close();
            for (Thread t : readers) {
                t.join(1000);
            }
            for (int q = 0; q < queues; q++) {
                assertTrue(received.get(q) > 0, "queue " + q + " received nothing: " + received);
            }
            assertEquals(64, total(received));
        } finally {
            tun.close();
        }
    }

    private static int total(AtomicIntegerArray a) {
        int sum = 0;
        for (int i = 0; i < a.length(); i++) {
            sum += a.get(i);
        }
        return sum;
    }

    /**
     * A thread blocked in read(), what its read() ended with (null: it returned a packet), and when
     * ({@link System#nanoTime()}).
     */
    private record BlockedReader(Thread thread, CompletableFuture<Throwable> outcome, AtomicLong endedAtNanos) {
        static BlockedReader start(TunTapDevice tun) throws InterruptedException {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            AtomicLong endedAt = new AtomicLong();
            Thread t = new Thread(() -> {
                try {
                    tun.read(ByteBuffer.allocateDirect(2048));
                    endedAt.set(System.nanoTime());
                    outcome.complete(null);
                } catch (Throwable e) {
                    endedAt.set(System.nanoTime());
                    outcome.complete(e);
                }
            });
            t.start();
            awaitBlocked(t);
            return new BlockedReader(t, outcome, endedAt);
        }
    }

    /** Waits until the thread sleeps in poll (TIMED_WAITING is never reported for native code: RUNNABLE). */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        // A thread in a native poll() shows as RUNNABLE, so give it time to get there.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (t.getState() == Thread.State.NEW && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(2);
    }
}
