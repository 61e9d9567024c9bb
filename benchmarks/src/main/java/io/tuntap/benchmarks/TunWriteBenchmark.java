// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.github.isotes.net.tun.io.TunDevice;
import io.tuntap.Offload;
import io.tuntap.PacketChannel;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of one write of a packet into a real TUN device (multicast target, dropped at route input), and with
 * {@code -prof gc} the bytes allocated per packet. The device is the one {@code benchmarks/run} creates
 * ({@code -Dbench.dev}, default {@code tb0}); run inside its namespace.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TunWriteBenchmark {
    @Param({"64", "1400"})
    int size;

    @Param({"tuntap", "tun-io"})
    String lib;

    private PacketChannel tun;
    private TunDevice tunIo;
    private ByteBuffer packet;

    /** Attaches to the device and builds the packet. */
    @Setup
    public void open() throws Exception {
        String dev = System.getProperty("bench.dev", "tb0");
        packet = Udp4.packet(size, Udp4.SOURCE, Udp4.MULTICAST);
        if (lib.equals("tuntap")) {
            tun = Devices.attach(dev, Offload.OFF);
        } else {
            tunIo = TunDevice.open(dev);
        }
    }

    /** Detaches. */
    @TearDown
    public void close() throws Exception {
        if (tun != null) {
            tun.close();
        }
        if (tunIo != null) {
            tunIo.close();
        }
    }

    /** One packet, one write call. */
    @Benchmark
    public int write() throws Exception {
        packet.clear();
        if (tun != null) {
            return tun.write(packet);
        }
        tunIo.write(packet);
        return size;
    }
}
