// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tuntap.DeviceConfig;
import io.tuntap.EventSubscription;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.testkit.Packets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Run by {@link FaultsIT} in a JVM of its own inside a throwaway network namespace (entered with nsenter): opens a device with
 * {@code RLIMIT_NOFILE} set so that exactly k more fds can be opened, for k = 0, 1, 2, ... until the open, a
 * batch through each queue and an event subscription all succeed. Every fd the library makes (the device per
 * queue, eventfds, rtnetlink sockets, io_uring rings) meets EMFILE in turn. Each failure must be a typed
 * {@link TunTapException} saying so, and leave no fd and no interface behind; a ring that cannot be made must
 * leave the batch on the plain path. Prints one line per k and exits 0, or prints {@code FAIL} lines and exits 1.
 *
 * <p>usage: {@code OpenWithFewFds QUEUES}
 */
public final class OpenWithFewFds {
    /** {@code RLIMIT_NOFILE}, include/uapi/asm-generic/resource.h (x86-64 and arm64 use the generic list). */
    private static final int RLIMIT_NOFILE = 7;
    private static final String NAME = "ttl0";

    /** setrlimit(2) and getrlimit(2) on a {@code struct rlimit} (two rlim_t, 8 bytes each on LP64). */
    interface Limits extends Library {
        Limits C = Native.load("c", Limits.class);

        int getrlimit(int resource, Pointer rlim);

        int setrlimit(int resource, Pointer rlim);

        int dup(int fd);

        int close(int fd);
    }

    private OpenWithFewFds() {
    }

    public static void main(String[] args) throws Exception {
        int queues = Integer.parseInt(args[0]);
        List<String> failures = new ArrayList<>();
        // The JDK's log formatter reads its time-zone data on its first record: have that happen now, not at a
        // limit, where it would fail in the JDK rather than in the library.
        System.getLogger("io.tuntap").log(System.Logger.Level.INFO, "OpenWithFewFds: " + queues + " queue(s)");
        attempt(queues); // everything loaded and probed at the full limit
        try (Memory rlim = new Memory(16)) {
            if (Limits.C.getrlimit(RLIMIT_NOFILE, rlim) != 0) {
                throw new IllegalStateException("getrlimit failed");
            }
            long soft = rlim.getLong(0);
            long hard = rlim.getLong(8);
            boolean opened = false;
            for (int k = 0; k < 64 && !opened; k++) {
                List<Integer> fillers = fillHoles();
                TreeSet<Integer> before = openFds();
                int top = before.last();
                rlim.setLong(0, top + 1L + k);
                rlim.setLong(8, hard);
                if (Limits.C.setrlimit(RLIMIT_NOFILE, rlim) != 0) {
                    throw new IllegalStateException("setrlimit failed");
                }
                String outcome;
                try {
                    outcome = attempt(queues);
                    opened = true;
                } catch (TunTapException e) {
                    outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
                    if (e.errorCode() != Errno.EMFILE || !e.getMessage().contains("too many open files")) {
                        failures.add("k=" + k + ": not a typed EMFILE failure: " + outcome);
                    }
                } finally {
                    rlim.setLong(0, soft);
                    Limits.C.setrlimit(RLIMIT_NOFILE, rlim);
                }
                TreeSet<Integer> after = openFds();
                if (!after.equals(before)) {
                    failures.add("k=" + k + ": fds before " + before + ", after " + after);
                }
                if (linkExists()) {
                    failures.add("k=" + k + ": " + NAME + " is left behind");
                }
                for (int f : fillers) {
                    Limits.C.close(f);
                }
                System.out.println("k=" + k + ": " + outcome);
            }
            if (!opened) {
                failures.add("the open never succeeded with up to 63 free fds");
            }
        }
        for (String f : failures) {
            System.out.println("FAIL " + f);
        }
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** Opens, sends a batch through every queue, subscribes to events, closes; returns what it did. */
    private static String attempt(int queues) throws Exception {
        byte[] packet = Packets.udp(new InetSocketAddress("10.97.0.2", 5000), new InetSocketAddress("10.97.0.1", 9),
                new byte[64]);
        try (TunTapDevice tun = TunTap.open(DeviceConfig.tun().name(NAME).queues(queues)
                .address("10.97.0.1/24").build())) {
            for (int q = 0; q < queues; q++) {
                ByteBuffer[] batch = {ByteBuffer.allocateDirect(packet.length).put(packet).flip(),
                        ByteBuffer.allocateDirect(packet.length).put(packet).flip()};
                if (tun.queues().get(q).writePackets(batch, 2) != 2) {
                    throw new IllegalStateException("a batch did not go");
                }
            }
            EventSubscription subscription = tun.subscribe(Runnable::run, e -> { });
            try (subscription) {
                return "opened, sent a batch through " + queues + " queue(s) ("
                        + ((LinuxDeviceImpl) tun).firstQueue().batchPath() + "), subscribed";
            }
        }
    }

    /** Asks ip, the kernel's own tool, whether the interface is there. */
    private static boolean linkExists() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "link", "show", "dev", NAME).redirectErrorStream(true).start();
        // Closed here, not by the JDK's process reaper thread after waitFor returns: that would close the pipes
        // while the next step takes its fd snapshot.
        p.getOutputStream().close();
        try (java.io.InputStream out = p.getInputStream()) {
            out.readAllBytes();
        }
        return p.waitFor() == 0;
    }

    /** Takes the free fd numbers below the highest open one, so that the limit alone decides what is free. */
    private static List<Integer> fillHoles() throws IOException, InterruptedException {
        List<Integer> fillers = new ArrayList<>();
        TreeSet<Integer> open = openFds();
        int top = open.last();
        for (int i = 0; i < top; i++) {
            if (!open.contains(i)) {
                int f = Limits.C.dup(0);
                if (f < 0 || f > top) {
                    if (f >= 0) {
                        Limits.C.close(f);
                    }
                    break;
                }
                fillers.add(f);
            }
        }
        return fillers;
    }

    /**
     * The open fds, once two snapshots in a row agree: a JVM thread's fd that lives for microseconds (the JIT
     * reading a file) must not count as the library's.
     */
    private static TreeSet<Integer> openFds() throws IOException, InterruptedException {
        TreeSet<Integer> last = snapshot();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(5);
            TreeSet<Integer> next = snapshot();
            if (next.equals(last)) {
                return next;
            }
            last = next;
        }
        return last;
    }

    private static TreeSet<Integer> snapshot() throws IOException {
        List<Integer> listed;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            listed = s.map(p -> Integer.parseInt(p.getFileName().toString())).collect(Collectors.toList());
        }
        // Without the directory stream's own fd, closed by now.
        return listed.stream().filter(fd -> Files.exists(Path.of("/proc/self/fd/" + fd), LinkOption.NOFOLLOW_LINKS))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
