// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.Offload;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.offload.VirtioNetHdr;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TCP between two namespaces through a Java TUN ⇄ TUN forwarder, with offload off, on (split and coalesce)
 * and passed through (whole super-packets): the kernel's TCP is the witness that every byte arrives
 * intact, in order, with valid checksums, whatever the library did to the packets in between.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class OffloadIT {
    private static final int BYTES = 24 * 1024 * 1024;

    private TestNetwork a;
    private TestNetwork b;

    @BeforeEach
    void createNamespaces() throws Exception {
        a = TestNetwork.create();
        b = TestNetwork.create();
    }

    @AfterEach
    void deleteNamespaces() throws Exception {
        a.close();
        b.close();
    }

    @ParameterizedTest
    @EnumSource(Offload.class)
    void tcpCrossesAJavaForwarderIntact(Offload offload) throws Exception {
        DeviceConfig.Builder common = DeviceConfig.tun().name("ttg0").mtu(1500).offload(offload);
        TunTapDevice left = a.run(() -> TunTap.open(common.address("10.91.0.1/24").build()));
        TunTapDevice right = b.run(() -> TunTap.open(DeviceConfig.tun().name("ttg0").mtu(1500)
                        .offload(offload).address("10.91.0.2/24").build()));
        try {
            AtomicLong superPackets = new AtomicLong();
            Thread there = forward(left, right, offload, superPackets);
            Thread back = forward(right, left, offload, superPackets);

            byte[] data = new byte[BYTES];
            new Random(42).nextBytes(data);
            ServerSocket server = b.run(() -> new ServerSocket(5001, 1, java.net.InetAddress.getByName("10.91.0.2")));
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (server; Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buf)) > 0; total += n) {
                        sha.update(buf, 0, n);
                    }
                    assertEquals(BYTES, total);
                    return sha.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            a.run(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("10.91.0.2", 5001), 5000);
                    try (OutputStream out = s.getOutputStream()) {
                        out.write(data);
                    }
                }
                return null;
            });
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), received.get(60, TimeUnit.SECONDS));

            LinuxQueue leftQueue = ((LinuxDeviceImpl) left).firstQueue();
            LinuxQueue rightQueue = ((LinuxDeviceImpl) right).firstQueue();
            switch (offload) {
                case OFF -> assertEquals(0, superPackets.get() + leftQueue.superPacketsRead());
                case AUTO -> {
                    assertTrue(leftQueue.superPacketsRead() > 0, "the kernel handed over TCP super-packets");
                    assertTrue(rightQueue.segmentsCoalesced() > 0, "writePackets coalesced segments");
                    assertEquals(0, leftQueue.malformedDropped() + rightQueue.malformedDropped());
                }
                case VIRTIO_NET_HDR -> assertTrue(superPackets.get() > 0, "super-packets forwarded whole");
            }
            left.close();
            right.close();
            there.join(1000);
            back.join(1000);
        } finally {
            right.close();
            left.close();
        }
    }

    /** Copies packets from one device to the other until either closes, the way a VPN's inner loop would. */
    private static Thread forward(TunTapDevice from, TunTapDevice to, Offload offload, AtomicLong superPackets) {
        Thread t = new Thread(() -> {
            ByteBuffer[] batch = new ByteBuffer[64];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = ByteBuffer.allocateDirect(65600).order(ByteOrder.nativeOrder());
            }
            try {
                while (true) {
                    for (ByteBuffer buf : batch) {
                        buf.clear();
                    }
                    int n = from.readPackets(batch, batch.length);
                    for (int i = 0; i < n; i++) {
                        batch[i].flip();
                        if (offload == Offload.VIRTIO_NET_HDR && VirtioNetHdr.gsoType(batch[i], 0) != 0) {
                            superPackets.incrementAndGet();
                        }
                    }
                    to.writePackets(batch, n);
                }
            } catch (TunTapException e) {
                // closed: done
            }
        }, "forward-" + from.name());
        t.setDaemon(true);
        t.start();
        return t;
    }

}
