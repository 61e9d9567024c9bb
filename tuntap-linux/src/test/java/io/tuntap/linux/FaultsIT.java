// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.EventSubscription;
import io.tuntap.Offload;
import io.tuntap.PacketChannel;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.testkit.Packets;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults on real devices, each repeated: the caller gets a typed exception, no thread hangs (every wait is
 * time-boxed with a wide margin), and no fd, thread or malloc'd memory is left behind ({@link Leaks}).
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class FaultsIT {
    private static final String HOST = "10.96.0.1";
    private static final String REMOTE = "10.96.0.2";
    /**
     * Room for the JVM's own mallocs, the JIT compilers' arenas above all: 3 MiB over five rounds on an idle
     * machine, up to 11 MiB at a load average of 9, as compilations move later. The library's native memory
     * is JNA blocks, which {@link Leaks} counts exactly; this bound only catches a gross leak elsewhere.
     */
    private static final long MALLOC_SLACK = 32L << 20;

    /** The packet paths a fault must be met on. */
    enum Path {
        /** read and write of one packet, direct buffers, no offload. */
        SINGLE(1, Offload.OFF, true, false),
        /** readPackets and writePackets with heap buffers: the plain loop. */
        BATCH(1, Offload.OFF, false, true),
        /** readPackets and writePackets with direct buffers: io_uring where the kernel allows it. */
        IO_URING(1, Offload.OFF, true, true),
        /** Kernel offload: split reads, coalesced writes. */
        OFFLOAD(1, Offload.AUTO, true, true),
        /** Two queues, a reader and a writer on each, io_uring batches. */
        MULTI_QUEUE(2, Offload.OFF, true, true);

        final int queues;
        final Offload offload;
        final boolean direct;
        final boolean batches;

        Path(int queues, Offload offload, boolean direct, boolean batches) {
            this.queues = queues;
            this.offload = offload;
            this.direct = direct;
            this.batches = batches;
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void anInterfaceDeletedUnderLoadFailsEveryCallWithATypedException(Path path) throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            ns.execOrFail("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            ExecutorService pool = Executors.newCachedThreadPool();
            try {
                deleteUnderLoad(ns, path, pool); // warm-up: classes, JIT, thread pool
                Leaks.Snapshot before = Leaks.take();
                for (int i = 0; i < 5; i++) {
                    deleteUnderLoad(ns, path, pool);
                }
                Leaks.assertNothingLost(before, MALLOC_SLACK, path + ": 5 interfaces deleted under load");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void deleteUnderLoad(TestNetwork ns, Path path, ExecutorService pool) throws Exception {
        TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("ttf0").queues(path.queues)
                .offload(path.offload).address(HOST + "/24").build()));
        AtomicLong moved = new AtomicLong();
        List<Future<Void>> calls = new ArrayList<>();
        for (PacketChannel q : tun.queues()) {
            calls.add(pool.submit(() -> readUntilFailure(q, path, moved)));
            calls.add(pool.submit(() -> writeUntilFailure(q, path, moved)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (moved.get() < 200 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(moved.get() >= 200, path + ": traffic flowed before the interface was deleted");
        ns.execOrFail("ip", "link", "del", "ttf0");
        for (Future<Void> f : calls) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS),
                    path + ": every call ends once the interface is gone");
            // The kernel takes the interface down before it deletes it: a write in between gets EIO.
            TunTapException cause = assertInstanceOf(TunTapException.class, e.getCause(), path + ": " + e.getCause());
            if (cause.errorCode() == Errno.EIO) {
                assertTrue(cause.getMessage().contains("link is down"), cause.getMessage());
            } else {
                assertEquals(Errno.EBADFD, cause.errorCode(), cause.getMessage());
                assertInstanceOf(DeviceNotFoundException.class, cause, cause.getMessage());
                assertTrue(cause.getMessage().contains("deleted"), cause.getMessage());
            }
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), tun::close);
        assertFalse(tun.isOpen());
    }

    private static Void readUntilFailure(PacketChannel q, Path path, AtomicLong moved) throws TunTapException {
        ByteBuffer[] dsts = new ByteBuffer[8];
        for (int i = 0; i < dsts.length; i++) {
            dsts[i] = path.direct ? ByteBuffer.allocateDirect(65600) : ByteBuffer.allocate(65600);
        }
        while (true) {
            int n;
            if (path.batches) {
                n = q.readPackets(dsts, dsts.length);
            } else {
                n = q.read(dsts[0]) > 0 ? 1 : 0;
            }
            for (int i = 0; i < n; i++) {
                dsts[i].clear();
            }
            moved.addAndGet(n);
        }
    }

    private static Void writeUntilFailure(PacketChannel q, Path path, AtomicLong moved) throws Exception {
        // Datagrams to a closed port of HOST: the kernel answers some with ICMP port unreachable, so both
        // directions carry packets.
        byte[] packet = Packets.udp(new InetSocketAddress(REMOTE, 5000), new InetSocketAddress(HOST, 9),
                new byte[1000]);
        ByteBuffer[] srcs = new ByteBuffer[8];
        for (int i = 0; i < srcs.length; i++) {
            srcs[i] = path.direct ? ByteBuffer.allocateDirect(packet.length) : ByteBuffer.allocate(packet.length);
            srcs[i].put(packet).flip();
        }
        while (true) {
            for (ByteBuffer b : srcs) {
                b.rewind();
            }
            if (path.batches) {
                moved.addAndGet(q.writePackets(srcs, srcs.length));
            } else {
                q.write(srcs[0]);
                moved.incrementAndGet();
            }
        }
    }

    @Test
    void aDeletedNamespaceKeepsAnOpenDeviceWorkingUntilItCloses() throws Exception {
        oneDeletedNamespace(); // warm-up
        Leaks.Snapshot before = Leaks.take();
        for (int i = 0; i < 5; i++) {
            oneDeletedNamespace();
        }
        Leaks.assertNothingLost(before, MALLOC_SLACK, "5 namespaces deleted under open devices");
    }

    /**
     * {@code ip netns del} only removes the namespace's name: the device's file and its rtnetlink socket keep
     * the namespace alive, so the device keeps working, and closing it ends the namespace with it. Entering the
     * namespace by name then fails with a typed exception.
     */
    private static void oneDeletedNamespace() throws Exception {
        String name = "tt-nsd-" + ProcessHandle.current().pid();
        TestNetwork.Result added = run("ip", "netns", "add", name);
        assertEquals(0, added.exitCode(), added.output());
        TunTapDevice tun;
        DatagramSocket socket;
        try {
            tun = LinuxNetworkNamespace.call(name, () -> TunTap.open(DeviceConfig.tun().name("ttn0")
                    .address(HOST + "/24").build()));
            socket = LinuxNetworkNamespace.call(name, () -> new DatagramSocket(new InetSocketAddress(HOST, 7300)));
        } finally {
            run("ip", "netns", "del", name);
        }
        try (tun; socket) {
            socket.setSoTimeout(5000);
            assertEquals(1500, tun.mtu(), "the device's own rtnetlink socket still reaches its namespace");
            tun.setMtu(1400);
            assertEquals(1400, tun.mtu());
            byte[] packet = Packets.udp(new InetSocketAddress(REMOTE, 5000), new InetSocketAddress(HOST, 7300),
                    "still here".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            ByteBuffer[] batch = {ByteBuffer.allocateDirect(packet.length).put(packet).flip()};
            assertEquals(1, tun.writePackets(batch, 1));
            DatagramPacket in = new DatagramPacket(new byte[100], 100);
            socket.receive(in);
            assertEquals("still here", new String(in.getData(), 0, in.getLength(),
                    java.nio.charset.StandardCharsets.US_ASCII));
        }
        TunTapException e = assertThrows(TunTapException.class,
                () -> LinuxNetworkNamespace.call(name, () -> null));
        assertInstanceOf(DeviceNotFoundException.class, e, e.getMessage());
    }

    private static TestNetwork.Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close(); // both pipes closed here, not later by the JDK's reaper thread
        String output;
        try (java.io.InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return new TestNetwork.Result(p.exitValue(), output);
    }

    @Test
    void closeRacingBatchReadsAndWritesFromEightThreadsEndsThemAll() throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            ns.execOrFail("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                closeUnderEightThreads(ns, pool, 0); // warm-up
                Leaks.Snapshot before = Leaks.take();
                for (int i = 1; i <= 30; i++) {
                    closeUnderEightThreads(ns, pool, i);
                }
                Leaks.assertNothingLost(before, MALLOC_SLACK, "30 closes under 8 busy threads");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Four queues, a batch reader and a batch writer on each (a queue takes one of each at a time). */
    private static void closeUnderEightThreads(TestNetwork ns, ExecutorService pool, int round) throws Exception {
        TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("ttc0").queues(4).offload(Offload.OFF)
                .address(HOST + "/24").build()));
        Path path = round % 2 == 0 ? Path.IO_URING : Path.BATCH;
        AtomicLong moved = new AtomicLong();
        CountDownLatch started = new CountDownLatch(8);
        List<Future<Void>> calls = new ArrayList<>();
        for (PacketChannel q : tun.queues()) {
            calls.add(pool.submit(() -> {
                started.countDown();
                return readUntilFailure(q, path, moved);
            }));
            calls.add(pool.submit(() -> {
                started.countDown();
                return writeUntilFailure(q, path, moved);
            }));
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread.sleep(round % 5); // close at different points of the batches
        assertTimeoutPreemptively(Duration.ofSeconds(10), tun::close);
        for (Future<Void> f : calls) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertInstanceOf(DeviceClosedException.class, e.getCause(), "round " + round + ": " + e.getCause());
        }
    }

    @Test
    void anInterruptStormLeavesTheDeviceOpenAndWorking() throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            ns.execOrFail("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            ExecutorService pool = Executors.newCachedThreadPool();
            try {
                interruptStorm(ns, pool, 200); // warm-up
                Leaks.Snapshot before = Leaks.take();
                interruptStorm(ns, pool, 3000);
                Leaks.assertNothingLost(before, MALLOC_SLACK, "an interrupt storm on readers");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Readers on each path are interrupted {@code interrupts} times in all while packets arrive: each interrupt
     * either ends a wait with {@link DeviceInterruptedException} or lands between calls; the reader clears it and
     * reads on. The device stays open and every packet written after the storm still arrives.
     */
    private static void interruptStorm(TestNetwork ns, ExecutorService pool, int interrupts) throws Exception {
        try (TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("tti0").queues(3)
                .offload(Offload.OFF).address(HOST + "/24").build()))) {
            List<? extends PacketChannel> queues = tun.queues();
            Path[] paths = {Path.SINGLE, Path.BATCH, Path.IO_URING};
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong interrupted = new AtomicLong();
            AtomicLong read = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            List<Future<?>> done = new ArrayList<>();
            for (int q = 0; q < 3; q++) {
                PacketChannel channel = queues.get(q);
                Path path = paths[q];
                CountDownLatch running = new CountDownLatch(1);
                Thread[] self = new Thread[1];
                done.add(pool.submit(() -> {
                    self[0] = Thread.currentThread();
                    running.countDown();
                    ByteBuffer[] dsts = {path.direct ? ByteBuffer.allocateDirect(65600) : ByteBuffer.allocate(65600)};
                    while (!stop.get()) {
                        try {
                            int n = path.batches ? channel.readPackets(dsts, 1)
                                    : channel.read(dsts[0], Duration.ofMillis(200)) > 0 ? 1 : 0;
                            read.addAndGet(n);
                            dsts[0].clear();
                        } catch (DeviceInterruptedException e) {
                            interrupted.incrementAndGet();
                            Thread.interrupted();
                        }
                    }
                    Thread.interrupted();
                    return null;
                }));
                assertTrue(running.await(10, TimeUnit.SECONDS));
                readers.add(self[0]);
            }
            for (int i = 0; i < interrupts; i++) {
                readers.get(i % 3).interrupt();
                if (i % 5 == 0) {
                    Thread.sleep(1);
                }
            }
            // A waiting reader sees its interrupt within one poll slice (100 ms).
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (interrupted.get() == 0 && System.nanoTime() < waitUntil) {
                Thread.sleep(5);
            }
            assertTrue(interrupted.get() > 0, "some interrupts ended a wait");
            // Every queue still works: the kernel answers datagrams to a closed port with ICMP, which goes to
            // some queue's reader.
            byte[] packet = Packets.udp(new InetSocketAddress(REMOTE, 5000), new InetSocketAddress(HOST, 9),
                    new byte[100]);
            long readBefore = read.get();
            for (PacketChannel q : queues) {
                q.write(ByteBuffer.allocateDirect(packet.length).put(packet).flip());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (read.get() == readBefore && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(read.get() > readBefore, "packets still arrive after the storm");
            assertTrue(tun.isOpen());
            stop.set(true);
            for (Thread t : readers) {
                t.interrupt(); // wakes the batch readers, which have no timeout
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anEventOverflowIsReportedAndTheStateCaughtUp() throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            ns.execOrFail("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            Leaks.Snapshot before = Leaks.take();
            try (TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("tto0")
                    .address(HOST + "/24").build()))) {
                List<DeviceEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
                CountDownLatch blocked = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                // Delivered on the event thread itself: while the listener blocks, nobody reads the socket.
                EventSubscription subscription = tun.subscribe(Runnable::run, e -> {
                    events.add(e);
                    if (blocked.getCount() > 0) {
                        blocked.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException x) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
                try (subscription) {
                    ns.execOrFail("ip", "addr", "add", "10.97.0.1/32", "dev", "tto0");
                    assertTrue(blocked.await(10, TimeUnit.SECONDS), "the first event came");
                    // Far more notifications than the event socket's 8 MiB buffer holds, then one address that
                    // stays.
                    java.nio.file.Path batch = java.nio.file.Files.createTempFile("flood", ".ip");
                    try {
                        StringBuilder lines = new StringBuilder();
                        for (int i = 0; i < 25_000; i++) {
                            String a = "10.98." + (i >> 8) + "." + (i & 0xff) + "/32";
                            lines.append("addr add ").append(a).append(" dev tto0\n");
                            lines.append("addr del ").append(a).append(" dev tto0\n");
                        }
                        lines.append("addr add 10.99.0.1/32 dev tto0\n");
                        java.nio.file.Files.writeString(batch, lines);
                        ns.execOrFail("ip", "-batch", batch.toString());
                    } finally {
                        java.nio.file.Files.delete(batch);
                    }
                    release.countDown();
                    DeviceAddress last = DeviceAddress.parse("10.99.0.1/32");
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!events.contains(new DeviceEvent.AddressAdded(last)) && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    List<DeviceEvent> got;
                    synchronized (events) {
                        got = new ArrayList<>(events);
                    }
                    int lost = -1;
                    for (int i = 0; i < got.size(); i++) {
                        if (got.get(i) instanceof DeviceEvent.EventsLost) {
                            lost = i;
                            break;
                        }
                    }
                    assertTrue(lost > 0, "the overflow was reported: " + got.size() + " events, first "
                            + got.subList(0, Math.min(5, got.size())));
                    assertTrue(((DeviceEvent.EventsLost) got.get(lost)).reason().contains("ENOBUFS"));
                    assertTrue(got.size() < 2 * 25_000, "notifications were dropped: " + got.size());
                    // Applying every event gives the interface's addresses as the kernel has them.
                    java.util.Set<DeviceAddress> seen = new java.util.HashSet<>();
                    seen.add(DeviceAddress.parse(HOST + "/24"));
                    for (DeviceEvent e : got) {
                        if (e instanceof DeviceEvent.AddressAdded a) {
                            seen.add(a.address());
                        } else if (e instanceof DeviceEvent.AddressRemoved r) {
                            seen.remove(r.address());
                        }
                    }
                    assertEquals(new java.util.HashSet<>(tun.addresses()), seen);
                }
            }
            Leaks.assertNothingLost(before, MALLOC_SLACK, "an event overflow");
        }
    }

    @ParameterizedTest(name = "{0} queue(s)")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void everyStepOfOpenMeetsAnExhaustedFdLimitCleanly(int queues) throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            ns.execOrFail("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            StringBuilder classPath = new StringBuilder();
            for (Class<?> c : new Class<?>[] {OpenWithFewFds.class, LinuxDeviceImpl.class, TunTap.class,
                    io.tuntap.posix.PosixLibC.class, com.sun.jna.Native.class, Packets.class,
                    com.google.common.base.Preconditions.class}) {
                String entry = java.nio.file.Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString();
                if (classPath.indexOf(entry) < 0) {
                    classPath.append(classPath.length() == 0 ? "" : java.io.File.pathSeparator).append(entry);
                }
            }
            List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + ns.path().orElseThrow(),
                    java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // Without container support the JIT's threads do not read cgroup files now and then: their
                    // short-lived fds would otherwise show up in, or vanish from, the child's fd snapshots.
                    "-XX:-UseContainerSupport"));
            // The execution without io_uring runs the child without it too.
            String ioUring = System.getProperty("tuntap.linux.io_uring");
            if (ioUring != null) {
                command.add("-Dtuntap.linux.io_uring=" + ioUring);
            }
            command.addAll(List.of("-cp", classPath.toString(), OpenWithFewFds.class.getName(),
                    Integer.toString(queues)));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close(); // both pipes closed here, not later by the JDK's reaper thread
            String output;
            try (java.io.InputStream out = p.getInputStream()) {
                output = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM ended");
            System.out.println("FaultsIT, fd limit, " + queues + " queue(s):\n" + output.lines()
                    .filter(l -> l.startsWith("k=") || l.startsWith("FAIL"))
                    .map(l -> l.length() > 220 ? l.substring(0, 220) + "..." : l)
                    .collect(java.util.stream.Collectors.joining("\n")));
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("k=0: DeviceNotFoundException") || output.contains("k=0: TunTapException"),
                    "with no fd to spare the very first step fails: " + output);
            assertTrue(output.lines().anyMatch(l -> l.matches("k=\\d+: opened.*")), output);
        }
    }
}
