// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.tuntap.DeviceConfig;
import io.tuntap.IpPrefix;
import io.tuntap.Offload;
import io.tuntap.PacketChannel;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads on a virtual thread against the same reads on a platform thread (Java 21 and later), per packet, for single
 * reads and batches of 32, in two regimes: {@code drain}, where the queue is full and no read waits (what being
 * virtual costs on the call itself), and {@code waiting}, where a sender thread paces datagrams so that nearly
 * every read waits for its packet (a platform thread in poll, a virtual one parked and unparked by the poller).
 * The figure is CPU time per packet of the whole process, the sender thread's own excepted (the reader's thread,
 * the carriers and the poller included). The witness: the same waiting regime for the JDK's own blocking
 * {@link DatagramChannel#receive} on loopback ({@code waiting-jdk-udp}, single reads), which parks a virtual thread
 * through the JDK's own poller, in the same run. And {@code vthreads-scale}: 1,000 virtual threads reading the 1,000 queues
 * of four TUN devices of 250 queues, made here, on the carriers the JVM was given.
 */
final class VirtualThreadBench {
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** {@code CLOCK_PROCESS_CPUTIME_ID}, include/uapi/linux/time.h. */
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    /** clock_gettime(2), for the process's CPU time in ns (the JDK's process CPU time counts in clock ticks). */
    public interface Clock extends Library {
        /** Writes {@code struct timespec} (tv_sec, tv_nsec: two longs on LP64) into {@code ts}; 0 or -1. */
        int clock_gettime(int clockId, long[] ts);
    }

    private static final Clock CLOCK = Native.load(Platform.C_LIBRARY_NAME, Clock.class);

    /** CPU time of the whole process so far (every thread, those that ended included), in ns. */
    private static long processCpuNanos() {
        long[] ts = new long[2];
        if (CLOCK.clock_gettime(CLOCK_PROCESS_CPUTIME_ID, ts) != 0) {
            throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        }
        return ts[0] * 1_000_000_000L + ts[1];
    }

    private VirtualThreadBench() {
    }

    private static ThreadFactory virtualThreads() throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
    }

    /** Reads up to {@code want} packets into {@code buffers} (each cleared), waiting for the first; how many. */
    private interface Reader {
        int read(ByteBuffer[] buffers, int want) throws Exception;
    }

    /** {@code vthreads DEV SIZE COUNT RUNS DST_IP}: one RESULT line per regime, batch size and kind of thread. */
    static void main(String[] args) throws Exception {
        Main.usage(args.length == 5);
        String dev = args[0];
        int size = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(args[4]), 9);
        try (PacketChannel tun = Devices.attach(dev, Offload.OFF); DatagramChannel sender = DatagramChannel.open()) {
            System.err.println("tuntap batches: " + Stats.batchPath());
            sender.connect(target);
            ByteBuffer payload = ByteBuffer.allocateDirect(size - 28);
            Reader fromTun = (buffers, want) -> {
                if (want > 1) {
                    return tun.readPackets(buffers, want);
                }
                tun.read(buffers[0]);
                return 1;
            };
            for (String regime : new String[] {"drain", "waiting"}) {
                for (int batch : new int[] {1, 32}) {
                    compare(regime, batch, runs, regime.equals("drain") ? count : count / 10,
                            (threads, n) -> regime.equals("drain")
                                    ? drain(fromTun, threads, sender, payload, n, batch)
                                    : waiting(fromTun, threads, sender, payload, n, batch));
                }
            }
            compare("waiting-jdk-udp", 1, runs, count / 10, (threads, n) -> waitingJdkUdp(threads, payload, n));
        }
    }

    /** One measurement: CPU ns per packet of reading {@code n} packets on threads from {@code threads}. */
    private interface Measurement {
        double perPacket(ThreadFactory threads, int n) throws Exception;
    }

    /** Interleaved: platform, virtual, platform, virtual... after one untimed round of each; one RESULT line. */
    private static void compare(String regime, int batch, int runs, int n, Measurement measurement)
            throws Exception {
        ThreadFactory[] kinds = {Thread::new, virtualThreads()};
        double[][] ns = new double[2][runs];
        for (int r = -1; r < runs; r++) {
            for (int kind = 0; kind < 2; kind++) {
                double perPacket = measurement.perPacket(kinds[kind], n);
                if (r >= 0) {
                    ns[kind][r] = perPacket;
                }
            }
        }
        double p = Stats.median(ns[0]);
        double v = Stats.median(ns[1]);
        Stats.result("regime=" + regime + " batch=" + batch + " platform_ns=" + Math.round(p) + " virtual_ns="
                + Math.round(v) + String.format(" ratio=%.2f", v / p));
    }

    /** Fills the queue with {@code n} datagrams, then reads them on a new thread; CPU ns per packet. */
    private static double drain(Reader source, ThreadFactory threads, DatagramChannel sender, ByteBuffer payload,
            int n, int batch) throws Exception {
        for (int i = 0; i < n; i++) {
            payload.clear();
            sender.write(payload);
        }
        Thread.sleep(20);
        long c0 = processCpuNanos();
        AtomicReference<Exception> failed = new AtomicReference<>();
        runReaderAsync(source, threads, n, batch, failed).join();
        if (failed.get() != null) {
            throw failed.get();
        }
        return (double) (processCpuNanos() - c0) / n;
    }

    /**
     * A sender thread sends {@code n} datagrams, pausing after each long enough for the reader to be waiting again;
     * CPU ns per packet of everything but the sender.
     */
    private static double waiting(Reader source, ThreadFactory threads, DatagramChannel sender, ByteBuffer payload,
            int n, int batch) throws Exception {
        AtomicLong senderCpu = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        long c0 = processCpuNanos();
        Thread reader = runReaderAsync(source, threads, n, batch, failed);
        pacedSender(sender, payload, n, senderCpu, failed).join();
        reader.join();
        if (failed.get() != null) {
            throw failed.get();
        }
        return (double) (processCpuNanos() - c0 - senderCpu.get()) / n;
    }

    /** Starts a thread that sends {@code n} datagrams, pausing about 30 µs after each; its CPU time in {@code cpu}. */
    private static Thread pacedSender(DatagramChannel sender, ByteBuffer payload, int n, AtomicLong cpu,
            AtomicReference<Exception> failed) {
        Thread send = new Thread(() -> {
            try {
                long c = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    payload.clear();
                    sender.write(payload);
                    LockSupport.parkNanos(30_000);
                }
                cpu.set(THREADS.getCurrentThreadCpuTime() - c);
            } catch (Exception e) {
                failed.set(e);
            }
        }, "sender");
        send.start();
        return send;
    }

    /**
     * The waiting regime for the JDK's own blocking {@link DatagramChannel#receive} on loopback, on a socket pair of
     * its own: a datagram the socket's buffer had no room for is lost (UDP), so the reader is stopped by closing
     * its socket a second after the last send, and the CPU time is shared out over the datagrams it received.
     */
    private static double waitingJdkUdp(ThreadFactory threads, ByteBuffer payload, int n) throws Exception {
        DatagramChannel receiver = DatagramChannel.open();
        try (DatagramChannel sender = DatagramChannel.open()) {
            receiver.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sender.connect(receiver.getLocalAddress());
            AtomicLong received = new AtomicLong();
            Reader counting = (buffers, want) -> {
                try {
                    receiver.receive(buffers[0]);
                } catch (AsynchronousCloseException e) {
                    return n; // stopped: the count is what came
                }
                received.incrementAndGet();
                return 1;
            };
            AtomicLong senderCpu = new AtomicLong();
            AtomicReference<Exception> failed = new AtomicReference<>();
            long c0 = processCpuNanos();
            Thread reader = runReaderAsync(counting, threads, n, 1, failed);
            pacedSender(sender, payload, n, senderCpu, failed).join();
            reader.join(1000);
            receiver.close();
            reader.join();
            if (failed.get() != null) {
                throw failed.get();
            }
            // A loaded machine can lose a few when the reader falls behind; losing most means it is broken.
            if (received.get() < n / 2) {
                throw new IllegalStateException("only " + received.get() + " of " + n + " datagrams received");
            }
            return (double) (processCpuNanos() - c0 - senderCpu.get()) / received.get();
        } finally {
            receiver.close(); // idempotent; stops the reader on every path
        }
    }

    /** Starts a thread that reads exactly {@code n} packets, singly or in batches of at most {@code batch}. */
    private static Thread runReaderAsync(Reader source, ThreadFactory threads, int n, int batch,
            AtomicReference<Exception> failed) {
        ByteBuffer[] buffers = new ByteBuffer[batch];
        for (int i = 0; i < batch; i++) {
            buffers[i] = ByteBuffer.allocateDirect(batch == 1 ? 65536 : 2048);
        }
        Thread t = threads.newThread(() -> {
            try {
                int read = 0;
                while (read < n) {
                    int want = Math.min(batch, n - read);
                    for (int i = 0; i < want; i++) {
                        buffers[i].clear();
                    }
                    read += source.read(buffers, want);
                }
            } catch (Exception e) {
                failed.set(e);
            }
        });
        t.start();
        return t;
    }

    /** {@code vthreads-scale COUNT}: 1,000 virtual threads read 4 devices x 250 queues; delivered and pps. */
    static void scale(String[] args) throws Exception {
        Main.usage(args.length == 1);
        int count = Integer.parseInt(args[0]);
        int devices = 4;
        int queues = 250;
        ThreadFactory virtual = virtualThreads();
        List<TunTapDevice> opened = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        AtomicLong delivered = new AtomicLong();
        try {
            for (int i = 0; i < devices; i++) {
                opened.add(TunTap.open(DeviceConfig.tun().name("vb" + i).queues(queues).offload(Offload.OFF)
                        .address(IpPrefix.parse("10.202." + i + ".1/24")).mtu(1500).build()));
            }
            for (TunTapDevice d : opened) {
                for (PacketChannel q : d.queues()) {
                    Thread t = virtual.newThread(() -> {
                        ByteBuffer dst = ByteBuffer.allocateDirect(2048);
                        try {
                            while (true) {
                                dst.clear();
                                if (q.read(dst) >= 28 && dst.get(9) == 17) {
                                    delivered.incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            // closed: the end
                        }
                    });
                    readers.add(t);
                    t.start();
                }
            }
            Thread.sleep(1000); // every reader parked
            InetAddress[] to = new InetAddress[devices];
            for (int i = 0; i < devices; i++) {
                to[i] = InetAddress.getByName("10.202." + i + ".2");
            }
            ByteBuffer payload = ByteBuffer.allocateDirect(36);
            long t0 = System.nanoTime();
            long c0 = processCpuNanos();
            try (DatagramChannel sender = DatagramChannel.open()) {
                for (int i = 0; i < count; i++) {
                    payload.clear();
                    sender.send(payload, new InetSocketAddress(to[i % devices], 10_000 + (i % 20_000)));
                    if (i % 200 == 199) {
                        // No queue of the devices' 500 may overflow while 1,000 readers share two carriers.
                        while (i + 1 - delivered.get() > 2_000) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (delivered.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - c0) / 1e9;
            String carriers = System.getProperty("jdk.virtualThreadScheduler.parallelism", "default");
            Stats.result("readers=" + readers.size() + " carriers=" + carriers + " sent=" + count + " delivered="
                    + delivered.get() + " pps=" + Math.round(delivered.get() / seconds) + " cpu_pps="
                    + Math.round(delivered.get() / cpu));
        } finally {
            for (TunTapDevice d : opened) {
                d.close();
            }
            for (Thread t : readers) {
                t.join(10_000);
            }
        }
    }
}
