// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceMode;
import io.tuntap.EventSubscription;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Events for changes another program makes ({@code ip}), on a real device in a throwaway namespace: each
 * arrives within a second, in order, and a burst of a thousand address changes loses none.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class LinuxEventsIT {
    private TestNetwork ns;
    private ExecutorService executor;
    private final BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        ns = TestNetwork.create();
        executor = Executors.newFixedThreadPool(2); // several threads: the order must hold anyway
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.shutdownNow();
        ns.close();
    }

    private TunTapDevice open(String name) throws Exception {
        return ns.run(() -> TunTap.open(DeviceConfig.tun().name(name).build()));
    }

    /** The next event that is not one the kernel adds by itself (an IPv6 link-local address). */
    private DeviceEvent next(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            DeviceEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null || !isLinkLocal(e)) {
                return e;
            }
        }
    }

    private static boolean isLinkLocal(DeviceEvent e) {
        DeviceAddress a = e instanceof DeviceEvent.AddressAdded added ? added.address()
                : e instanceof DeviceEvent.AddressRemoved removed ? removed.address() : null;
        return a != null && a.local().address().isLinkLocalAddress();
    }

    private void exec(String... command) throws Exception {
        TestNetwork.Result r = ns.exec(command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r.output());
    }

    @Test
    void changesByAnotherProgramArriveWithinASecondInOrder() throws Exception {
        try (TunTapDevice device = open("te0"); EventSubscription s = device.subscribe(executor, events::add)) {
            exec("ip", "link", "set", "dev", "te0", "mtu", "1400");
            assertEquals(new DeviceEvent.MtuChanged(1400), next(1, TimeUnit.SECONDS), "ip link set mtu");

            exec("ip", "addr", "add", "10.61.0.1/24", "dev", "te0");
            assertEquals(new DeviceEvent.AddressAdded(DeviceAddress.parse("10.61.0.1/24")), next(1, TimeUnit.SECONDS),
                    "ip addr add");

            exec("ip", "addr", "add", "10.62.0.1/32", "peer", "10.62.0.2", "dev", "te0");
            assertEquals(new DeviceEvent.AddressAdded(DeviceAddress.parse("10.62.0.1/32 peer 10.62.0.2")),
                    next(1, TimeUnit.SECONDS), "ip addr add ... peer");

            exec("ip", "link", "set", "dev", "te0", "down");
            assertEquals(new DeviceEvent.LinkChanged(false), next(1, TimeUnit.SECONDS), "ip link set down");

            exec("ip", "link", "del", "te0");
            // Deleting a link removes its addresses first, then the link.
            List<DeviceEvent> tail = new ArrayList<>();
            DeviceEvent e;
            while ((e = next(1, TimeUnit.SECONDS)) != null) {
                tail.add(e);
                if (e instanceof DeviceEvent.Removed) {
                    break;
                }
            }
            assertTrue(!tail.isEmpty() && tail.get(tail.size() - 1) instanceof DeviceEvent.Removed,
                    "ip link del ends with Removed within a second: " + tail);
            assertTrue(tail.containsAll(List.of(
                    new DeviceEvent.AddressRemoved(DeviceAddress.parse("10.61.0.1/24")),
                    new DeviceEvent.AddressRemoved(DeviceAddress.parse("10.62.0.1/32 peer 10.62.0.2")))), tail.toString());
            assertTrue(s.isOpen(), "the subscription stays open until closed");
        }
    }

    @Test
    void aBurstOfAThousandAddressChangesLosesNone() throws Exception {
        int count = 1000;
        Path batch = Files.createTempFile("tuntap-burst", ".ip");
        try (TunTapDevice device = open("te1"); EventSubscription s = device.subscribe(executor, events::add)) {
            StringBuilder commands = new StringBuilder();
            List<DeviceEvent> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String address = "10.50." + (i / 250) + "." + (i % 250 + 1) + "/32";
                commands.append("addr add ").append(address).append(" dev te1\n");
                expected.add(new DeviceEvent.AddressAdded(DeviceAddress.parse(address)));
            }
            Files.writeString(batch, commands, StandardCharsets.US_ASCII);
            exec("ip", "-batch", batch.toString());
            List<DeviceEvent> seen = new ArrayList<>();
            while (seen.size() < count) {
                DeviceEvent e = next(5, TimeUnit.SECONDS);
                if (e == null) {
                    fail("only " + seen.size() + " of " + count + " events arrived; the last: "
                            + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
                }
                seen.add(e);
            }
            assertEquals(expected, seen, "every address, once, in the order added");
            assertEquals(count, device.addresses().stream().filter(a -> !a.local().address().isLinkLocalAddress())
                    .count());
            assertNotNull(s);
        } finally {
            Files.deleteIfExists(batch);
        }
    }
}
