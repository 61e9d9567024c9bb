// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code tunnel} example against socat: side A runs the example in this JVM (on its own threads, inside
 * namespace A), side B runs {@code socat UDP-DATAGRAM:... TUN:...,iff-no-pi} inside namespace B, and ping must
 * work from A to B and from B to A, in TUN mode and in TAP mode (socat {@code tun-type=tap}). Proves the wire
 * format is socat's: one bare packet (or frame) per datagram.
 */
@PrivilegedNetnsTest(programs = {"ip", "ping", "socat"})
class TunnelInteropIT {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Namespaces namespaces;
    private String nsA;
    private String nsB;
    private Process socat;
    private Path socatLog;
    private UdpTunnel tunnel;

    @BeforeEach
    void setUp() throws Exception {
        String suffix = ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        nsA = "tt-it-a-" + suffix;
        nsB = "tt-it-b-" + suffix;
        namespaces = new Namespaces(Processes.which("ip").orElseThrow().toString());
        namespaces.add(nsA);
        namespaces.add(nsB);
        namespaces.veth(nsA, "10.201.0.1/24", nsB, "10.201.0.2/24", "veth0");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (tunnel != null) {
                tunnel.close();
            }
            if (socat != null) {
                socat.destroy();
                if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                    socat.destroyForcibly();
                }
            }
        } finally {
            namespaces.close();
            if (socatLog != null) {
                Files.deleteIfExists(socatLog);
            }
        }
    }

    @ParameterizedTest(name = "--mode {0}")
    @ValueSource(strings = {"tun", "tap"})
    void pingCrossesTheTunnelBothWaysWithSocatOnTheOtherSide(String mode) throws Exception {
        TunnelOptions options = TunnelOptions.parse(List.of("--netns", nsA, "--mode", mode, "--dev", "tta",
                "--address", "10.203.0.1/24", "--mtu", "1400", "--local", "10.201.0.1:5000", "--remote",
                "10.201.0.2:5000"));
        tunnel = TunnelCommand.open(options);

        socatLog = Files.createTempFile("socat", ".log");
        socat = new ProcessBuilder(namespaces.exec(nsB, "socat",
                "UDP-DATAGRAM:10.201.0.1:5000,bind=10.201.0.2:5000",
                "TUN:10.203.0.2/24,tun-name=ttb,tun-type=" + mode + ",iff-no-pi,iff-up"))
                .redirectErrorStream(true).redirectOutput(socatLog.toFile()).start();
        awaitInterface(nsB, "ttb");

        assertPing(nsA, "10.203.0.2");
        assertPing(nsB, "10.203.0.1");

        assertTrue(tunnel.isRunning(), "the tunnel still runs");
        // Requests one way and replies the other, three each way (plus ARP and neighbour discovery on TAP).
        assertTrue(tunnel.packetsSent() >= 6, tunnel.counters());
        assertTrue(tunnel.packetsReceived() >= 6, tunnel.counters());
    }

    private void assertPing(String from, String to) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(namespaces.exec(from, "ping", "-c", "3", "-W", "2", to))
                .redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ping did not finish");
        assertEquals(0, p.exitValue(), "ping " + to + " from " + from + " failed:\n" + output + "\ntunnel: "
                + tunnel.counters() + "\nsocat: " + Files.readString(socatLog));
        assertTrue(output.contains("3 received"), output);
    }

    /** socat creates its TUN device asynchronously; wait until it exists and is up. */
    private void awaitInterface(String netns, String name) throws Exception {
        String ip = Processes.which("ip").orElseThrow().toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!socat.isAlive()) {
                fail("socat exited with " + socat.exitValue() + ": " + Files.readString(socatLog));
            }
            try {
                if (Processes.run(List.of(ip, "-n", netns, "-o", "addr", "show", "dev", name)).contains("10.203.0.2")) {
                    return;
                }
            } catch (IOException notYet) {
                // the device does not exist yet
            }
            Thread.sleep(100);
        }
        fail("socat's device " + name + " did not appear: " + Files.readString(socatLog));
    }
}
