// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.Offload;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.Packets;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packet path allocates nothing per packet on a real device, in steady state: measured with the
 * JVM's per-thread allocation counter around many reads and writes.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class AllocationIT {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int PACKETS = 20_000;

    private TestNetwork ns;

    @BeforeEach
    void createNamespace() throws Exception {
        ns = TestNetwork.create();
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        ns.close();
    }

    @ParameterizedTest
    @EnumSource(value = Offload.class, names = {"OFF", "AUTO"})
    void writesAndReadsAllocateNothingPerPacket(Offload offload) throws Exception {
        try (TunTapDevice tun = ns.run(() -> TunTap.open(DeviceConfig.tun().name("tta0").offload(offload)
                .address("10.92.0.1/24").build()))) {
            ns.execOrFail("ip", "link", "set", "tta0", "txqueuelen", "100000");
            // To a multicast group nobody joined: the kernel drops it right after IP input, the cheapest way
            // to take many packets.
            byte[] udp = Packets.udp(new InetSocketAddress("10.92.0.2", 5000), new InetSocketAddress("239.1.1.1", 5000),
                    new byte[64]);
            byte[] packet = Packets.ipv4((Inet4Address) InetAddress.getByName("10.92.0.2"),
                    (Inet4Address) InetAddress.getByName("239.1.1.1"), Packets.PROTOCOL_UDP, udp);
            ByteBuffer out = ByteBuffer.allocateDirect(packet.length).put(packet).flip();
            ByteBuffer in = ByteBuffer.allocateDirect(65600);

            // Warm-up: until C2 has compiled the path (on Java 22+ the foreign-function call stubs allocate until
            // then, and on a loaded machine C2 gets to them late). So after the warm-up, measure passes until one
            // allocates nothing, a few at most: a path that allocates per packet fails every pass.
            // One object per packet would be at least 16 bytes a packet. A few hundred bytes in all can come
            // from the JIT finishing its work during the measurement; that is not per packet.
            for (int w = 0; w < 5; w++) {
                writePackets(tun, out, PACKETS);
            }
            long writeBytes = Long.MAX_VALUE;
            for (int pass = 0; pass < 5 && writeBytes >= PACKETS / 4; pass++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                writePackets(tun, out, PACKETS);
                writeBytes = THREADS.getCurrentThreadAllocatedBytes() - before;
            }
            assertTrue(writeBytes < PACKETS / 4, "writes allocated " + writeBytes + " bytes for " + PACKETS + " packets");

            fillQueue(PACKETS);
            assertEquals(PACKETS, drain(tun, in)); // warm-up
            long readBytes = Long.MAX_VALUE;
            for (int pass = 0; pass < 5 && readBytes >= PACKETS / 4; pass++) {
                fillQueue(PACKETS);
                long before = THREADS.getCurrentThreadAllocatedBytes();
                int read = drain(tun, in);
                readBytes = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertEquals(PACKETS, read);
            }
            assertTrue(readBytes < PACKETS / 4, "reads allocated " + readBytes + " bytes for " + PACKETS + " packets");
        }
    }

    private static void writePackets(TunTapDevice tun, ByteBuffer packet, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            packet.rewind();
            tun.write(packet);
        }
    }

    /** Sends datagrams from the namespace's stack to an address routed through the device. */
    private void fillQueue(int count) throws Exception {
        ns.run(() -> {
            try (DatagramChannel udp = DatagramChannel.open()) {
                udp.bind(new InetSocketAddress("10.92.0.1", 0));
                ByteBuffer payload = ByteBuffer.allocate(64);
                InetSocketAddress target = new InetSocketAddress("10.92.0.2", 9);
                for (int i = 0; i < count; i++) {
                    payload.rewind();
                    udp.send(payload, target);
                }
            }
            return null;
        });
    }

    /** Reads UDP/IPv4 packets until none comes for a while; the kernel's own IPv6 packets are not counted. */
    private static int drain(TunTapDevice tun, ByteBuffer in) throws Exception {
        int n = 0;
        Duration idle = Duration.ofMillis(200);
        while (true) {
            in.clear();
            if (tun.read(in, idle) == 0) {
                return n;
            }
            if ((in.get(0) >> 4) == 4 && in.get(9) == Packets.PROTOCOL_UDP) {
                n++;
            }
        }
    }
}
