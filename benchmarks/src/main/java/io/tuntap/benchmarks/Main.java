// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import java.util.Arrays;

/**
 * Entry point of the benchmark jar; {@code benchmarks/run} calls it once per scenario and library. Every
 * scenario prints one line starting with {@code RESULT}, which the script parses.
 */
public final class Main {
    private Main() {
    }

    static final String USAGE = String.join("\n",
            "usage: java -jar benchmarks.jar SCENARIO ...",
            "  write   LIB DEV SIZE COUNT RUNS          LIB: tuntap, tuntap-batch[N], tun-io, netty-tun, tuntap-netty",
            "  read    LIB DEV SIZE COUNT RUNS DST_IP   LIB: tuntap, tuntap-batch[N], tun-io, netty-tun, tuntap-netty",
            "  queues  write|read DEV SIZE COUNT QUEUES RUNS   tuntap with N queues and N threads (multi_queue DEV)",
            "  vthreads DEV SIZE COUNT RUNS DST_IP      reads on a virtual vs a platform thread (Java 21+)",
            "  vthreads-scale COUNT                     1,000 virtual threads on 4 devices x 250 queues, made here",
            "  calls   DEV COUNT RUNS                   ns per read() that finds the queue empty (one EAGAIN)",
            "  forward LIB NS_A DEV_A NS_B DEV_B        LIB: tuntap, tuntap-vnet, tun-io, netty-tun",
            "  peer-tunnel DEV LOCAL_IP PORT REMOTE_IP PORT   a UDP tunnel on tun-io",
            "  jmh [JMH options]                        the per-call JMH benchmarks",
            "  soak    SECONDS                          four devices, checked traffic, reopens, config changes",
            "DEV is an existing (persistent) TUN device, configured by the caller.");

    /** Runs one scenario; see {@link #USAGE}. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "write" -> WriteBench.main(rest);
            case "read" -> ReadBench.main(rest);
            case "queues" -> QueueScaling.main(rest);
            case "calls" -> CallCost.main(rest);
            case "vthreads" -> VirtualThreadBench.main(rest);
            case "vthreads-scale" -> VirtualThreadBench.scale(rest);
            case "forward" -> Forwarder.main(rest);
            case "peer-tunnel" -> TunIoTunnel.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "soak" -> Soak.main(rest);
            default -> {
                System.err.println(USAGE);
                System.exit(2);
            }
        }
    }

    /** N for a library named {@code tuntap-batchN} ({@code tuntap-batch} alone: 64), 0 for any other. */
    static int batchSize(String lib) {
        if (!lib.startsWith("tuntap-batch")) {
            return 0;
        }
        String n = lib.substring("tuntap-batch".length());
        return n.isEmpty() ? 64 : Integer.parseInt(n);
    }

    static void usage(boolean ok) {
        if (!ok) {
            System.err.println(USAGE);
            System.exit(2);
        }
    }
}
