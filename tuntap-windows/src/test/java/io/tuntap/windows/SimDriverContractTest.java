// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.testkit.ChannelPeer;
import io.tuntap.testkit.Packets;
import io.tuntap.testkit.TunTapDeviceContract;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

/**
 * The device contract through the project's own driver: the tap-windows6 backend's {@link Kernel32Io} seam
 * bound to {@code libtuntapsim.so}, which runs the driver's real {@code glue/} and {@code core/} under a
 * user-mode NDIS and I/O manager. Packets go the driver's whole way: IRP_MJ_READ/WRITE through the control
 * device, the read queue, the engine's TUN framing, ARP and ND, and NDIS send and receive indications. IP
 * configuration (addresses, MTU) goes to the IP Helper fake, as the simulation has no IP stack.
 *
 * <p>The peer is the simulated host stack: in TUN mode it first resolves the far end with ARP, which the
 * driver answers with its pretend peer's MAC, as Windows' stack would.
 */
class SimDriverContractTest extends TunTapDeviceContract {
    static final UUID GUID = UUID.fromString("5d7a3c1e-0b2f-4c6d-9e8a-1f2b3c4d5e6f");
    private static final java.util.concurrent.atomic.AtomicBoolean STARTUP_REPORTED =
            new java.util.concurrent.atomic.AtomicBoolean();

    @BeforeAll
    static void bind() {
        String why = TuntapSim.load();
        assumeTrue(why == null, () -> "the driver simulation is not available: " + why);
    }

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        TapAdapter adapter = new TapAdapter(GUID, "root\\tuntap6", "tuntap6 sim");
        TuntapSim.Machine machine = new TuntapSim.Machine(adapter.guidText(), 0, 0);
        // Rules the driver breaks while NDIS loads it and starts the adapter are the driver's own, before the
        // backend does anything; they are reported once, and each test checks that it adds none.
        int atStart = machine.violations();
        if (atStart > 0 && STARTUP_REPORTED.compareAndSet(false, true)) {
            System.err.println("driver simulation: adapter start-up already broke rules: " + machine.firstViolation());
        }
        SimKernel32Io k32 = new SimKernel32Io(machine);
        SimHost host = new SimHost(machine);
        FakeIpHelper ip = new FakeIpHelper();
        ip.add(GUID, 0x0006_0000_0000_0009L, 23, "tuntap6 sim");
        long memory = NativeMemory.live();
        TapWindowsDevice device;
        try {
            assertEquals(io.tuntap.windows.win32.TapIoctl.devicePath(adapter.guidText()), machine.devicePath());
            device = TapWindowsDevice.open(k32, ip, adapter, config);
        } catch (Exception | Error e) {
            host.close();
            machine.close();
            throw e;
        }
        MacAddress adapterMac = device.macAddress();
        MacAddress remoteMac = REMOTE_MAC;
        if (config.mode() == DeviceMode.TUN) {
            remoteMac = resolvePeer(host, adapterMac);
        }
        ChannelPeer peer = new ChannelPeer(host, DeviceMode.TAP, adapterMac, remoteMac);
        return new DeviceUnderTest(device, peer, () -> {
            try {
                assertEquals(0, k32.openHandles(), "every handle closed");
                assertEquals(List.of(), k32.violations(), "the backend used the I/O calls correctly");
                assertEquals(memory, NativeMemory.live(), "every native block freed");
                assertEquals(0, ip.liveTables(), "every IP Helper table freed");
                assertEquals(atStart, machine.violations(), "the driver broke no kernel rule while the backend "
                        + "used it (" + machine.firstViolation() + ")");
            } finally {
                host.close();
                machine.close();
            }
        });
    }

    /** ARP for the far end from the host, as the host stack does; the driver answers with its peer's MAC. */
    static MacAddress resolvePeer(SimHost host, MacAddress adapterMac) throws Exception {
        host.write(ByteBuffer.wrap(Packets.arpRequest(adapterMac, (Inet4Address) HOST_V4.address(),
                (Inet4Address) REMOTE_V4)));
        ByteBuffer reply = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            reply.clear();
            if (host.read(reply, Duration.ofMillis(100)) > 0) {
                var arp = Packets.parseArp(reply.flip());
                if (arp.isPresent() && arp.get().operation() == Packets.ARP_REPLY) {
                    return arp.get().senderMac();
                }
            }
        }
        assertNotNull(null, "the driver answered no ARP request for the far end in TUN mode");
        return null;
    }
}
