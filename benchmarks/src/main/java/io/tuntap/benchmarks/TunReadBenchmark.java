// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.github.isotes.net.tun.io.TunDevice;
import io.tuntap.Offload;
import io.tuntap.PacketChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of one read from a TUN device whose queue was filled before the timed part: each invocation reads
 * {@value #BATCH} queued packets, filled (untimed) by a UDP socket sending to an address routed through the
 * device. Needs the device set up by {@code benchmarks/run} (txqueuelen above {@value #BATCH}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(TunReadBenchmark.BATCH)
public class TunReadBenchmark {
    static final int BATCH = 50_000;
    /** Generous: the queue is full; only a lost packet would make a read wait. */
    private static final Duration WAIT = Duration.ofSeconds(1);

    @Param({"64", "1400"})
    int size;

    @Param({"tuntap", "tun-io"})
    String lib;

    private PacketChannel tun;
    private TunDevice tunIo;
    private DatagramChannel sender;
    private ByteBuffer payload;
    private ByteBuffer buffer;

    /** Attaches to the device and connects the filling socket. */
    @Setup
    public void open() throws Exception {
        String dev = System.getProperty("bench.dev", "tb0");
        if (lib.equals("tuntap")) {
            tun = Devices.attach(dev, Offload.OFF);
        } else {
            tunIo = TunDevice.open(dev);
        }
        sender = DatagramChannel.open();
        sender.connect(new InetSocketAddress(System.getProperty("bench.peer", "10.201.1.2"), 9));
        payload = ByteBuffer.allocateDirect(size - 28);
        buffer = ByteBuffer.allocateDirect(65536);
    }

    /** Fills the device's queue; not timed. */
    @Setup(Level.Invocation)
    public void fill() throws Exception {
        for (int i = 0; i < BATCH; i++) {
            payload.clear();
            sender.write(payload);
        }
        Thread.sleep(20);
    }

    /** Detaches. */
    @TearDown
    public void close() throws Exception {
        sender.close();
        if (tun != null) {
            tun.close();
        }
        if (tunIo != null) {
            tunIo.close();
        }
    }

    /** Reads the queued packets, one call each. */
    @Benchmark
    public void read(Blackhole bh) throws Exception {
        for (int i = 0; i < BATCH; i++) {
            if (tun != null) {
                buffer.clear();
                bh.consume(tun.read(buffer, WAIT));
            } else {
                bh.consume(tunIo.read());
            }
        }
    }
}
