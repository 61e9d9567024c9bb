// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.tuntap.DeviceConfig;
import io.tuntap.MacAddress;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.Frames;
import io.tuntap.testkit.Packets;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Measures the bytes the packet path allocates per packet, with stand-ins for kernel32 and Wintun that
 * allocate nothing themselves: reads and writes of direct and heap buffers, on tap-windows6 and Wintun.
 */
class PacketPathAllocationTest {
    private static final int WARMUP = 20_000;
    private static final int MEASURED = 100_000;
    /** Allowed over the whole measured run: a few objects of JIT or JUnit noise, not one per packet. */
    private static final long BUDGET_BYTES = 16 * 1024;

    private static long allocated() {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        return mx.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static long measure(TunTapDevice d, ByteBuffer in, ByteBuffer out) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            roundTrip(d, in, out);
        }
        long before = allocated();
        for (int i = 0; i < MEASURED; i++) {
            roundTrip(d, in, out);
        }
        return allocated() - before;
    }

    private static void roundTrip(TunTapDevice d, ByteBuffer in, ByteBuffer out) throws Exception {
        in.clear();
        d.read(in);
        out.clear();
        d.write(out);
    }

    static byte[] packet() {
        return Packets.udp(new InetSocketAddress("10.1.0.2", 1), new InetSocketAddress("10.1.0.1", 2), new byte[1200]);
    }

    @Test
    void tapWindows6ReadsAndWritesAllocateNothingPerPacket() throws Exception {
        UUID guid = UUID.randomUUID();
        FakeIpHelper ip = new FakeIpHelper();
        ip.add(guid, 9, 9, "alloc");
        byte[] p = packet();
        NoAllocKernel32 k32 = new NoAllocKernel32(Frames.ethernet(MacAddress.parse("02:00:00:00:00:02"),
                MacAddress.parse("02:00:00:00:00:03"), p));
        try (TunTapDevice d = TapWindowsDevice.open(k32, ip, new TapAdapter(guid, "tap0901", "alloc"),
                DeviceConfig.tap().build())) {
            byte[] frame = Frames.ethernet(MacAddress.parse("02:00:00:00:00:03"), MacAddress.parse("02:00:00:00:00:02"), p);
            long direct = measure(d, ByteBuffer.allocateDirect(70000), ByteBuffer.allocateDirect(frame.length).put(frame));
            long heap = measure(d, ByteBuffer.allocate(70000), ByteBuffer.wrap(frame));
            System.out.println("tap-windows6 packet path: " + direct + " bytes over " + MEASURED + " direct round trips, "
                    + heap + " over " + MEASURED + " heap round trips");
            assertTrue(direct < BUDGET_BYTES, "direct buffers: " + direct + " bytes for " + MEASURED + " packets each way");
            assertTrue(heap < BUDGET_BYTES, "heap buffers: " + heap + " bytes for " + MEASURED + " packets each way");
            assertEquals(2L * (WARMUP + MEASURED), k32.writes);
        } finally {
            k32.free();
        }
    }

    @Test
    void wintunReadsAndWritesAllocateNothingPerPacket() throws Exception {
        byte[] p = packet();
        NoAllocKernel32 k32 = new NoAllocKernel32(p);
        FakeIpHelper ip = new FakeIpHelper();
        ip.add(UUID.randomUUID(), 0x55, 5, "tuntap");
        WintunProvider provider = new WintunProvider(new WindowsPlatform(k32, ip, new FakeNetAdapterRegistry(), null), k32);
        try (TunTapDevice d = provider.open(DeviceConfig.tun().build())) {
            long direct = measure(d, ByteBuffer.allocateDirect(70000), ByteBuffer.allocateDirect(p.length).put(p));
            long heap = measure(d, ByteBuffer.allocate(70000), ByteBuffer.wrap(p));
            System.out.println("Wintun packet path: " + direct + " bytes over " + MEASURED + " direct round trips, "
                    + heap + " over " + MEASURED + " heap round trips");
            assertTrue(direct < BUDGET_BYTES, "direct buffers: " + direct + " bytes for " + MEASURED + " packets each way");
            assertTrue(heap < BUDGET_BYTES, "heap buffers: " + heap + " bytes for " + MEASURED + " packets each way");
        } finally {
            k32.free();
        }
    }
}
