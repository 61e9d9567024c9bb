// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapDevice;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Message framing on the control stream, against the fake kernel. */
class SolarisQueueTest {

    private static byte[] ipv4(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seed + i);
        }
        p[0] = 0x45;
        return p;
    }

    @Test
    void packetsStayWholeAndTooLongOnesAreDrainedAndReported() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = new SolarisDeviceOpener(new SunOs(kernel, kernel))
                .open(DeviceConfig.tun().address("10.7.0.1/24").build())) {
            PacketChannel stack = kernel.stack(d.name());
            stack.write(ipv4(300, 1));
            stack.write(ipv4(100, 2));
            stack.write(ipv4(60, 3));
            ByteBuffer small = ByteBuffer.allocateDirect(120);
            PacketTooLargeException e = assertThrows(PacketTooLargeException.class, () -> d.read(small));
            assertTrue(e.getMessage().contains("300 bytes"), e.getMessage());
            // The rest of the long message (MOREDATA) was drained: the next read gets the next packet whole.
            assertEquals(100, d.read(small.clear()));
            assertEquals(ByteBuffer.wrap(ipv4(100, 2)), small.flip());
            ByteBuffer[] batch = {ByteBuffer.allocate(2048), ByteBuffer.allocate(10)};
            assertEquals(1, d.readPackets(new ByteBuffer[] {ByteBuffer.allocate(2048)}, 1), "the 60-byte packet");
            stack.write(ipv4(80, 4));
            stack.write(ipv4(90, 5));
            assertEquals(1, d.readPackets(batch, 2), "the second packet does not fit: the batch ends at 1");
            assertEquals(80, batch[0].position());
            PacketTooLargeException deferred = assertThrows(PacketTooLargeException.class,
                    () -> d.read(ByteBuffer.allocate(2048), Duration.ZERO), "the batch's error comes with the next call");
            assertTrue(deferred.getMessage().contains("90 bytes"), deferred.getMessage());
            assertEquals(0, d.read(ByteBuffer.allocate(2048), Duration.ZERO), "the one that did not fit is gone");
        }
    }

    @Test
    void writesOutsideTheDriversPacketSizeRangeAreRefusedBeforeTheKernel() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = new SolarisDeviceOpener(new SunOs(kernel, kernel))
                .open(DeviceConfig.tun().address("10.7.0.1/24").build())) {
            int putmsgs = (int) kernel.calls().stream().filter("putmsg"::equals).count();
            assertThrows(PacketTooLargeException.class, () -> d.write(ipv4(2049, 0)));
            assertThrows(InvalidConfigurationException.class, () -> d.write(ipv4(20, 0)));
            byte[] notIp = ipv4(40, 0);
            notIp[0] = 0x15;
            assertThrows(InvalidConfigurationException.class, () -> d.write(notIp));
            assertEquals(putmsgs, kernel.calls().stream().filter("putmsg"::equals).count());
            assertEquals(2048, d.write(ipv4(2048, 0)), "the largest message the driver takes");
            assertEquals(21, d.write(ipv4(21, 0)), "the smallest");
        }
    }

    @Test
    void tapFramesReachIpOnlyWhenTheDriverWouldRouteThem() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = new SolarisDeviceOpener(new SunOs(kernel, kernel))
                .open(DeviceConfig.tap().address("10.7.0.1/24").build())) {
            byte[] frame = new byte[60];
            byte[] mac = FakeSunOsKernel.TAP_MAC.toByteArray();
            System.arraycopy(mac, 0, frame, 6, 6); // from the unit's own address: the driver drops it
            frame[12] = 0x08;
            d.write(frame);
            assertEquals(1, kernel.dropped());
            assertEquals(DeviceMode.TAP, d.mode());
        }
    }
}
