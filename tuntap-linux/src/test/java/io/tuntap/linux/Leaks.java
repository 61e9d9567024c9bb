// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a fault may leave behind, counted from outside the library: this process's file descriptors (every
 * entry of {@code /proc/self/fd}), its live Java threads, and the bytes that glibc's {@code malloc} has handed
 * out and not got back ({@code mallinfo2}: {@code uordblks + hblkhd}, over all arenas), which is where JNA's
 * native memory comes from; and, exactly, the blocks of JNA {@link Memory} not freed yet (JNA's own table of
 * them, read by reflection).
 */
final class Leaks {
    /** One count of everything. */
    record Snapshot(int fds, Set<String> threads, long mallocBytes, int jnaBlocks, long jnaBytes) {
        @Override
        public String toString() {
            return fds + " fds, " + threads.size() + " threads, " + mallocBytes / 1024 + " KiB malloc'd, "
                    + jnaBlocks + " JNA Memory blocks of " + jnaBytes + " bytes";
        }
    }

    private Leaks() {
    }

    /** glibc's malloc statistics, {@code struct mallinfo2} of malloc.h: ten size_t fields. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class Mallinfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    /** The one call needed; glibc 2.33 and later. */
    interface Malloc extends Library {
        Malloc C = Native.load("c", Malloc.class);

        Mallinfo2 mallinfo2();
    }

    /** Counts now, after a garbage collection (so that nothing waits for a cleaner). */
    static Snapshot take() throws IOException {
        System.gc();
        Mallinfo2 m = Malloc.C.mallinfo2();
        int blocks = 0;
        long bytes = 0;
        for (Object r : jnaTable().values()) {
            Object memory = ((Reference<?>) r).get();
            blocks++;
            bytes += memory instanceof Memory mem ? mem.size() : 0;
        }
        return new Snapshot(fds(), threads(), m.uordblks + m.hblkhd, blocks, bytes);
    }

    /** JNA's table of the Memory blocks it has allocated and not freed (freed ones leave it). */
    private static Map<?, ?> jnaTable() {
        try {
            Field f = Memory.class.getDeclaredField("allocatedMemory");
            f.setAccessible(true);
            return (Map<?, ?>) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JNA keeps no Memory.allocatedMemory", e);
        }
    }

    /**
     * Asserts that, once threads had up to 5 s to end, no fd or thread is left over since {@code before} and
     * malloc'd memory grew by less than {@code slackBytes} (the JVM mallocs for itself too: the slack is set far
     * below what the repeated fault would leak if it leaked).
     */
    static void assertNothingLost(Snapshot before, long slackBytes, String what) throws Exception {
        Snapshot after = take();
        for (int i = 0; i < 100 && (after.fds > before.fds || !before.threads.containsAll(after.threads)
                || after.jnaBlocks > before.jnaBlocks); i++) {
            Thread.sleep(50);
            after = take();
        }
        // Fewer is no leak: an fd another part of the JVM held before (a finished test's poller or process
        // pipe) may have been closed meanwhile.
        assertTrue(after.fds <= before.fds, what + ": fds before " + before + ", after " + after + "; now open: "
                + fdTargets());
        Set<String> extra = new TreeSet<>(after.threads);
        extra.removeAll(before.threads);
        assertTrue(extra.isEmpty(), what + ": threads left over: " + extra);
        assertTrue(after.jnaBlocks <= before.jnaBlocks, what + ": JNA Memory blocks before " + before + ", after "
                + after);
        assertTrue(after.mallocBytes - before.mallocBytes < slackBytes, what + ": malloc'd memory grew from "
                + before.mallocBytes / 1024 + " KiB to " + after.mallocBytes / 1024 + " KiB");
    }

    static int fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count() - 1; // the directory stream's own fd
        }
    }

    private static String fdTargets() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> {
                try {
                    return p.getFileName() + "->" + Files.readSymbolicLink(p);
                } catch (IOException e) {
                    return p.getFileName() + "->?";
                }
            }).collect(Collectors.joining(", "));
        }
    }

    /** Live threads by name and id (names alone repeat across pools). */
    private static Set<String> threads() {
        // The JDK's process reaper comes and goes with the ip commands the tests run.
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("process reaper"))
                .map(t -> t.getName() + "#" + t.getId()).collect(Collectors.toCollection(TreeSet::new));
    }
}
