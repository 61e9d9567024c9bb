// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.tuntap.DeviceConfig;
import io.tuntap.Offload;
import io.tuntap.OpenPolicy;
import io.tuntap.PacketChannel;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How packets per second grow with queues: a multi-queue TUN device (made by the script with
 * {@code ip tuntap add ... multi_queue}) opened with N queues, one thread per queue. {@code write}: each
 * thread writes its share of packets to the multicast sink, as {@link WriteBench} does. {@code read}: the
 * kernel's queues are filled first from many UDP flows (the kernel spreads flows over queues by hash), then
 * every thread drains its own queue. The figure is all packets over the wall time of the slowest thread; the
 * first run is an untimed warm-up and the median of the rest is reported.
 */
final class QueueScaling {
    private QueueScaling() {
    }

    static void main(String[] args) throws Exception {
        Main.usage(args.length == 6);
        String op = args[0];
        String dev = args[1];
        int size = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int queues = Integer.parseInt(args[4]);
        int runs = Integer.parseInt(args[5]);
        try (TunTapDevice tun = TunTap.open(DeviceConfig.tun().name(dev).queues(queues)
                .openPolicy(OpenPolicy.ATTACH_EXISTING).offload(Offload.OFF).build())) {
            double[] pps = new double[runs];
            for (int r = -1; r < runs; r++) {
                double value = switch (op) {
                    case "write" -> write(tun, size, count, queues);
                    case "read" -> read(tun, size, count, queues);
                    default -> {
                        Main.usage(false);
                        yield 0;
                    }
                };
                if (r >= 0) {
                    pps[r] = value;
                }
            }
            Stats.result("pps=" + Math.round(Stats.median(pps)) + " queues=" + queues);
        }
    }

    private static double write(TunTapDevice tun, int size, int count, int queues) throws Exception {
        int share = count / queues;
        return together(queues, q -> {
            PacketChannel queue = tun.queues().get(q);
            ByteBuffer packet = Udp4.packet(size, Udp4.SOURCE, Udp4.MULTICAST);
            for (int i = 0; i < share; i++) {
                packet.clear();
                queue.write(packet);
            }
            return share;
        });
    }

    private static double read(TunTapDevice tun, int size, int count, int queues) throws Exception {
        // 10.201.2.1 is the device's address: datagrams to its subnet go out through the device.
        {
            ByteBuffer payload = ByteBuffer.allocateDirect(size - 28);
            int flows = 64;
            DatagramChannel[] senders = new DatagramChannel[flows];
            for (int f = 0; f < flows; f++) {
                senders[f] = DatagramChannel.open().bind(new InetSocketAddress("10.201.2.1", 0));
            }
            InetSocketAddress target = new InetSocketAddress("10.201.2.2", 9);
            for (int i = 0; i < count; i++) {
                payload.clear();
                senders[i % flows].send(payload, target);
            }
            for (DatagramChannel s : senders) {
                s.close();
            }
        }
        return together(queues, q -> {
            PacketChannel queue = tun.queues().get(q);
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            long n = 0;
            while (true) {
                buffer.clear();
                if (queue.read(buffer, Duration.ZERO) == 0) {
                    return n;
                }
                n++;
            }
        });
    }

    /** One thread's work: the packets it moved. */
    private interface Work {
        long run(int queue) throws Exception;
    }

    /** Runs {@code work} on one thread per queue, started together; packets per second over the wall time. */
    private static double together(int queues, Work work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(queues + 1);
        AtomicLong packets = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Thread[] threads = new Thread[queues];
        for (int q = 0; q < queues; q++) {
            int queue = q;
            threads[q] = new Thread(() -> {
                try {
                    start.await();
                    packets.addAndGet(work.run(queue));
                } catch (Exception e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                }
            });
            threads[q].start();
        }
        start.await();
        long t0 = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " thread(s) failed");
        }
        return packets.get() / seconds;
    }
}
