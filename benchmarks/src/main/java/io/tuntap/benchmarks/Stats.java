// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.tuntap.PacketChannel;
import io.tuntap.linux.LinuxDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Small helpers: interface counters from sysfs, medians, the result line. */
final class Stats {
    private Stats() {
    }

    /**
     * One counter of {@code /sys/class/net/DEV/statistics}. Run under {@code ip netns exec}, which mounts the
     * namespace's own sysfs, so the device is found there.
     */
    static long counter(String dev, String name) throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", dev, "statistics", name)).trim());
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time of the calling thread (user and system), in nanoseconds. */
    static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** " cpu_pps=N" for the median of per-CPU-second rates, or nothing if they were not measured. */
    static String cpuField(double[] cpu) {
        double m = median(cpu);
        return Double.isNaN(m) ? "" : " cpu_pps=" + Math.round(m);
    }

    /** Which path tuntap's batch calls and native calls take in this JVM, as the provider reports it. */
    static String batchPath() {
        return new io.tuntap.linux.LinuxTunTapProvider().availability().detail();
    }

    /** Which mechanism the first queue's batches take now and the timings that chose it (Linux only). */
    static String batchMechanism(PacketChannel channel) {
        return channel instanceof LinuxDevice linux ? linux.batchMechanism(0) : "not a Linux device";
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static void result(String fields) {
        System.out.println("RESULT " + fields);
        System.out.flush();
    }
}
