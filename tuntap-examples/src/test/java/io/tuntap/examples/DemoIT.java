// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the {@code demo} command in this JVM: it must succeed, show ping replies, and leave nothing behind. */
@PrivilegedNetnsTest
class DemoIT {
    private final String suffix = "-" + ProcessHandle.current().pid();

    @AfterEach
    void removeLeftovers() throws Exception {
        // The demo cleans up after itself; this only guards the machine if it did not.
        String ip = Processes.which("ip").orElseThrow().toString();
        for (String name : List.of("tt-demo-a" + suffix, "tt-demo-b" + suffix)) {
            if (Files.exists(Path.of("/run/netns", name))) {
                Processes.run(List.of(ip, "netns", "del", name));
            }
        }
    }

    @Test
    void demoPingsThroughTheTunnelAndCleansUp() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"demo"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(Main.EXIT_OK, status, output + err.toString(StandardCharsets.UTF_8));
        assertTrue(output.contains("bytes from 10.202.0.2: icmp_seq=1"), output);
        if (Files.isDirectory(Path.of("/proc/sys/net/ipv6"))) {
            assertTrue(output.contains("bytes from fd02::2: icmp_seq=1"), output);
        }
        assertTrue(output.contains("demo: OK"), output);
        String namespaces = Processes.run(List.of(Processes.which("ip").orElseThrow().toString(), "netns", "list"));
        assertFalse(namespaces.contains("tt-demo-a" + suffix) || namespaces.contains("tt-demo-b" + suffix),
                "the demo removed its namespaces: " + namespaces);
    }
}
