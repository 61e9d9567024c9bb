// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.tuntap.Offload;
import io.tuntap.PacketChannel;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The cost of one call through tuntap beyond its system call: {@code read(buffer, Duration.ZERO)} on a TUN
 * device whose queue is empty, so that each call is one {@code read} answering EAGAIN, as in the C
 * {@code tunempty}. Prints the median ns of thread CPU time per call over the runs, after one untimed run.
 */
final class CallCost {
    private CallCost() {
    }

    public static void main(String[] args) throws Exception {
        Main.usage(args.length == 3);
        String dev = args[0];
        int count = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        double[] ns = new double[runs];
        PacketChannel tun = Devices.attach(dev, Offload.OFF);
        try {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            for (int r = -1; r < runs; r++) {
                long c0 = Stats.cpuNanos();
                for (int i = 0; i < count; i++) {
                    buffer.clear();
                    if (tun.read(buffer, Duration.ZERO) != 0) {
                        throw new IllegalStateException("the queue of " + dev + " is not empty (is IPv6 off in its "
                                + "namespace?)");
                    }
                }
                if (r >= 0) {
                    ns[r] = (Stats.cpuNanos() - c0) / (double) count;
                }
            }
        } finally {
            tun.close();
        }
        Stats.result("ns=" + Math.round(Stats.median(ns)));
    }
}
