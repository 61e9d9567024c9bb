// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceEvent;
import io.tuntap.EventSubscription;
import io.tuntap.IpPrefix;
import io.tuntap.Offload;
import io.tuntap.OpenPolicy;
import io.tuntap.PacketChannel;
import io.tuntap.Route;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The soak: four devices in the current network namespace, each driven by its own thread on a different packet
 * path (offload batches, io_uring batches, two queues, single calls on heap buffers), for a given time. Every round
 * sends 16 numbered datagrams into the device (to a socket of this process) and 16 out of it (from that socket),
 * and checks each one's number and contents; every hundred rounds an address and a route are added and removed,
 * with the address events awaited; every ten seconds the device is closed and created again under the same name.
 * It prints the process's fds, threads, malloc'd bytes and direct buffers after a warm-up phase and at the end,
 * both with no device open, and fails (exit 1) if a packet was lost or wrong, an event did not come, a lane hung,
 * or anything grew.
 */
final class Soak {
    private static final int BATCH = 16;
    private static final int PAYLOAD = 200;

    /** How each lane moves its packets. */
    private enum Lane {
        /** Offload on, writePackets and readPackets with direct buffers (split reads, coalesced writes). */
        OFFLOAD_BATCHES(1, Offload.AUTO, true, true),
        /** Offload off, writePackets and readPackets with direct buffers: io_uring where the kernel allows it. */
        URING_BATCHES(1, Offload.OFF, true, true),
        /** Two queues, offload off, one call per packet with direct buffers, queues in turn. */
        TWO_QUEUES(2, Offload.OFF, true, false),
        /** Offload off, one read or write per packet, heap buffers. */
        SINGLE_HEAP(1, Offload.OFF, false, false);

        final int queues;
        final Offload offload;
        final boolean direct;
        final boolean batches;

        Lane(int queues, Offload offload, boolean direct, boolean batches) {
            this.queues = queues;
            this.offload = offload;
            this.direct = direct;
            this.batches = batches;
        }
    }

    private Soak() {
    }

    static void main(String[] args) throws Exception {
        Main.usage(args.length == 1);
        long seconds = Long.parseLong(args[0]);
        List<Runner> runners = new ArrayList<>();
        for (Lane lane : Lane.values()) {
            runners.add(new Runner(lane, lane.ordinal()));
        }
        // A warm-up phase first (every lane opens, moves packets, changes its configuration and closes), so that
        // the start figures include what the JVM keeps once loaded; both figures are taken with no device open.
        long errors = phase(runners, Math.max(5, Math.min(20, seconds / 10)));
        Figures start = Figures.take();
        System.out.println("soak start: " + start);
        errors += phase(runners, seconds);
        Figures last = Figures.take();
        System.out.println("soak end:   " + last);
        System.out.println("soak: " + progress(runners));
        java.util.Set<String> newThreads = new java.util.TreeSet<>(last.threadNames);
        newThreads.removeAll(start.threadNames);
        boolean grown = last.fds != start.fds || !newThreads.isEmpty()
                || last.mallocBytes - start.mallocBytes > (4L << 20) || last.directBytes > start.directBytes;
        if (grown) {
            System.out.println("soak: grown: fds " + start.fds + " -> " + last.fds + ", new threads " + newThreads
                    + ", malloc " + start.mallocBytes / 1024 + " -> " + last.mallocBytes / 1024 + " KiB, direct "
                    + start.directBytes / 1024 + " -> " + last.directBytes / 1024 + " KiB");
        }
        boolean ok = errors == 0 && !grown;
        System.out.println("RESULT soak=" + (ok ? "ok" : "FAILED") + " seconds=" + seconds + " errors=" + errors
                + " grown=" + grown);
        System.exit(ok ? 0 : 1);
    }

    /** Runs every lane for {@code seconds} on a thread of its own; returns the errors (a lane that hangs is one). */
    private static long phase(List<Runner> runners, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (Runner r : runners) {
            Thread t = new Thread(() -> r.runUntil(end), "soak-" + r.name);
            threads.add(t);
            t.start();
        }
        long nextReport = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < end && threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(200);
            if (System.nanoTime() > nextReport) {
                nextReport += TimeUnit.MINUTES.toNanos(1);
                System.out.println("soak: " + progress(runners));
                try {
                    System.out.println("soak: now (devices open) " + Figures.take());
                } catch (IOException e) {
                    System.out.println("soak: " + e);
                }
            }
        }
        long errors = 0;
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            t.join(TimeUnit.SECONDS.toMillis(30));
            if (t.isAlive()) {
                errors++;
                System.out.println("soak: " + runners.get(i).lane + " hangs:");
                for (StackTraceElement e : t.getStackTrace()) {
                    System.out.println("    at " + e);
                }
            }
        }
        for (Runner r : runners) {
            errors += r.errors.getAndSet(0);
        }
        return errors;
    }

    private static String progress(List<Runner> runners) {
        StringBuilder b = new StringBuilder();
        for (Runner r : runners) {
            b.append(r.lane).append(": ").append(r.checked.get()).append(" packets checked, ").append(r.reopens.get())
                    .append(" reopens, ").append(r.changes.get()).append(" config changes, ").append(r.errors.get())
                    .append(" errors; ");
        }
        return b.substring(0, b.length() - 2);
    }

    /** One lane: a device name, its socket, its buffers and its counters. */
    private static final class Runner {
        final Lane lane;
        final String name;
        final InetAddress host;
        final InetAddress remote;
        final int port;
        final AtomicLong checked = new AtomicLong();
        final AtomicLong reopens = new AtomicLong();
        final AtomicLong changes = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final ByteBuffer[] out;
        final ByteBuffer[] in;
        long sequence;
        long end;
        int lastQueue;

        Runner(Lane lane, int i) throws IOException {
            this.lane = lane;
            this.name = "sk" + i;
            this.host = InetAddress.getByName("10.110." + i + ".1");
            this.remote = InetAddress.getByName("10.110." + i + ".2");
            this.port = 7000 + i;
            this.out = buffers(lane.direct);
            this.in = buffers(lane.direct);
        }

        void runUntil(long endNanos) {
            this.end = endNanos;
            try (DatagramChannel socket = DatagramChannel.open(StandardProtocolFamily.INET)) {
                socket.bind(new InetSocketAddress(port));
                socket.socket().setSoTimeout(2000);
                while (System.nanoTime() < end) {
                    oneLife(socket);
                }
            } catch (Exception | AssertionError e) {
                errors.incrementAndGet();
                System.out.println("soak: " + lane + " stopped: " + e);
                e.printStackTrace(System.out);
            }
        }

        /** Opens the device, runs rounds for ten seconds with config changes, closes it. */
        private void oneLife(DatagramChannel socket) throws Exception {
            DeviceConfig config = DeviceConfig.tun().name(name).queues(lane.queues).offload(lane.offload)
                    .openPolicy(OpenPolicy.CREATE_NEW).address(host.getHostAddress() + "/24").build();
            BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
            long lifeEnd = Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            try (TunTapDevice tun = TunTap.open(config)) {
                EventSubscription subscription = tun.subscribe(Runnable::run, events::add);
                int round = 0;
                while (System.nanoTime() < lifeEnd) {
                    into(tun.queues().get(round % lane.queues), lane.batches, out, socket);
                    outOf(tun.queues(), lane.batches, in, socket);
                    if (++round % 100 == 0) {
                        change(tun, events, round);
                    }
                }
                subscription.close();
            }
            reopens.incrementAndGet();
        }

        private static ByteBuffer[] buffers(boolean direct) {
            ByteBuffer[] b = new ByteBuffer[BATCH];
            for (int i = 0; i < BATCH; i++) {
                b[i] = direct ? ByteBuffer.allocateDirect(65600) : ByteBuffer.allocate(65600);
            }
            return b;
        }

        /** 16 datagrams written into the device, received by the socket in order and checked. */
        private void into(PacketChannel q, boolean batch, ByteBuffer[] out, DatagramChannel socket) throws Exception {
            long first = sequence;
            for (int i = 0; i < BATCH; i++) {
                out[i].clear();
                Udp4.put(out[i], remote, 5000, host, port, payload(sequence++));
                out[i].flip();
            }
            if (batch) {
                q.writePackets(out, BATCH);
            } else {
                for (ByteBuffer b : out) {
                    q.write(b);
                }
            }
            ByteBuffer got = ByteBuffer.allocate(PAYLOAD + 100);
            for (int i = 0; i < BATCH; i++) {
                got.clear();
                if (socket.receive(got) == null) {
                    throw new AssertionError(lane + ": datagram " + (first + i) + " did not arrive");
                }
                got.flip();
                check(got, first + i, "into the device");
            }
        }

        /**
         * 16 datagrams sent by the socket, read from the device in order and checked. The kernel hands one flow to
         * one queue; with several queues, each is asked in turn with a short timeout.
         */
        private void outOf(List<? extends PacketChannel> queues, boolean batch, ByteBuffer[] in,
                DatagramChannel socket) throws Exception {
            long first = sequence;
            InetSocketAddress to = new InetSocketAddress(remote, 6000);
            for (int i = 0; i < BATCH; i++) {
                socket.send(ByteBuffer.wrap(payload(sequence++)), to);
            }
            int n = 0;
            int turn = lastQueue; // one flow stays on one queue: start where it came out last time
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (n < BATCH) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(lane + ": " + (BATCH - n) + " of " + BATCH + " datagrams from "
                            + (first + n) + " did not come out of the device");
                }
                int k;
                PacketChannel q = queues.get(turn++ % queues.size());
                if (batch) {
                    for (int i = n; i < BATCH; i++) {
                        in[i].clear();
                    }
                    ByteBuffer[] rest = java.util.Arrays.copyOfRange(in, n, BATCH);
                    k = q.readPackets(rest, rest.length);
                } else {
                    in[n].clear();
                    k = q.read(in[n], queues.size() == 1 ? Duration.ofSeconds(1) : Duration.ofMillis(2)) > 0 ? 1 : 0;
                }
                for (int i = n; i < n + k; i++) {
                    in[i].flip();
                    ByteBuffer udp = Udp4.payloadOf(in[i], host, remote, 6000);
                    if (udp == null) {
                        throw new AssertionError(lane + ": not our datagram out of the device: " + in[i]);
                    }
                    check(udp, first + i, "out of the device");
                }
                if (k > 0) {
                    lastQueue = (turn - 1) % queues.size();
                }
                n += k;
            }
        }

        private void check(ByteBuffer payload, long expected, String way) {
            byte[] want = payload(expected);
            if (payload.remaining() != want.length || !payload.equals(ByteBuffer.wrap(want))) {
                throw new AssertionError(lane + ": datagram " + expected + " " + way + " is missing, out of order or "
                        + "damaged");
            }
            checked.incrementAndGet();
        }

        private byte[] payload(long seq) {
            byte[] p = new byte[PAYLOAD];
            ByteBuffer.wrap(p).putLong(0, seq);
            for (int i = 8; i < PAYLOAD; i++) {
                p[i] = (byte) (seq * 31 + i);
            }
            return p;
        }

        /** Adds an address and a route, waits for the address's event, removes both, waits again. */
        private void change(TunTapDevice tun, BlockingQueue<DeviceEvent> events, int round) throws Exception {
            DeviceAddress a = DeviceAddress.parse("10.111." + lane.ordinal() + "." + (round / 100 % 250 + 1) + "/32");
            Route route = Route.onLink(IpPrefix.parse("10.112." + lane.ordinal() + ".0/24"));
            events.clear();
            tun.addAddress(a);
            tun.addRoute(route);
            await(events, new DeviceEvent.AddressAdded(a));
            if (!tun.routes().contains(route)) {
                throw new AssertionError(lane + ": the route " + route + " is not listed");
            }
            tun.removeRoute(route);
            tun.removeAddress(a.local());
            await(events, new DeviceEvent.AddressRemoved(a));
            changes.incrementAndGet();
        }

        private void await(BlockingQueue<DeviceEvent> events, DeviceEvent wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                DeviceEvent e = events.poll(100, TimeUnit.MILLISECONDS);
                if (wanted.equals(e)) {
                    return;
                }
            }
            throw new AssertionError(lane + ": no event " + wanted);
        }
    }

    /** fds, threads, malloc'd bytes and direct buffers of this process. */
    private record Figures(int fds, java.util.Set<String> threadNames, long mallocBytes, long directBytes) {
        static Figures take() throws IOException {
            System.gc();
            int fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = (int) s.count() - 1;
            }
            Mallinfo2 m = Malloc.C.mallinfo2();
            long direct = 0;
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    direct = pool.getMemoryUsed();
                }
            }
            java.util.Set<String> threads = new java.util.TreeSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                threads.add(t.getName());
            }
            return new Figures(fds, threads, m.uordblks + m.hblkhd, direct);
        }

        @Override
        public String toString() {
            return "fds " + fds + ", threads " + threadNames.size() + ", malloc " + mallocBytes / 1024
                    + " KiB, direct buffers " + directBytes / 1024 + " KiB";
        }
    }

    /**
     * glibc's {@code struct mallinfo2} (malloc.h): ten size_t fields, summed over all arenas. The field order is
     * given by {@link #getFieldOrder} rather than the annotation, which this module's annotation processors would
     * warn about.
     */
    public static class Mallinfo2 extends Structure implements Structure.ByValue {
        /** Non-mmapped space from the system. */
        public long arena;
        /** Free chunks. */
        public long ordblks;
        /** Free fastbin blocks. */
        public long smblks;
        /** Mmapped regions. */
        public long hblks;
        /** Bytes in mmapped regions. */
        public long hblkhd;
        /** Unused. */
        public long usmblks;
        /** Bytes in freed fastbin blocks. */
        public long fsmblks;
        /** Bytes allocated and in use. */
        public long uordblks;
        /** Free bytes. */
        public long fordblks;
        /** Releasable top space. */
        public long keepcost;

        @Override
        protected List<String> getFieldOrder() {
            return List.of("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                    "fordblks", "keepcost");
        }
    }

    /** glibc 2.33+. */
    interface Malloc extends Library {
        Malloc C = Native.load("c", Malloc.class);

        Mallinfo2 mallinfo2();
    }
}
