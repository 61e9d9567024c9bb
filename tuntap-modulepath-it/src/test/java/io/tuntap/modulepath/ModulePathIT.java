// SPDX-License-Identifier: Apache-2.0
package io.tuntap.modulepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tuntap.testkit.RequiresRealDevice;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Starts a JVM with only a module path (this module's classes, the API, the Linux backend and their libraries)
 * and runs {@link OpenOnModulePath} in it: the backend must be found through {@code provides}/{@code uses} and
 * open a real device in a throwaway network namespace. Needs Linux, root and {@code ip}; skipped otherwise.
 */
@Tag("privileged")
@RequiresRealDevice(programs = "ip")
class ModulePathIT {

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + " printed:\n" + out);
        return out;
    }

    @Test
    void anApplicationModuleOpensADeviceThroughServiceLoader() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/run")), "needs root to create a named network namespace");
        // Everything on this JVM's class path but the test framework and the test classes goes on the module path.
        List<String> modulePath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("junit") && !e.contains("opentest4j") && !e.contains("apiguardian")
                        && !e.contains("surefire") && !e.contains("tuntap-testkit") && !e.contains("failsafe") && !e.endsWith("test-classes"))
                .collect(Collectors.toList());
        String namespace = "tt-mp-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        run("ip", "netns", "add", namespace);
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", String.join(File.pathSeparator, modulePath)));
            boolean foreign = Runtime.version().feature() >= 22;
            if (foreign) {
                // Every foreign function call is bound in io.tuntap.posix; JNA loads its JNI library (and still
                // serves the structures and memory the backends use).
                command.add("--enable-native-access=io.tuntap.posix,com.sun.jna");
            }
            command.addAll(List.of("--module", "io.tuntap.modulepath/io.tuntap.modulepath.OpenOnModulePath",
                    namespace, "tmp0"));
            String out = run(command.toArray(String[]::new));
            assertEquals(foreign, out.contains("native calls: foreign function API"), "on Java 22+ (this JVM: "
                    + Runtime.version().feature() + ") the multi-release jar's foreign function binding:\n" + out);
            assertFalse(out.contains("restricted method"), "no JVM warning with native access granted to "
                    + "io.tuntap.posix and com.sun.jna:\n" + out);
            assertTrue(out.contains("app-module=io.tuntap.modulepath"), "the application runs as a named module:\n"
                    + out);
            assertTrue(out.contains("provider-module=io.tuntap.linux"), "the backend is a named module found "
                    + "through provides/uses:\n" + out);
            assertTrue(out.contains("device=tmp0 index="), out);
            assertTrue(out.contains("device-module=io.tuntap.linux"), out);
            assertTrue(out.contains("listed=true"), "TunTap.devices() lists it:\n" + out);
        } finally {
            run("ip", "netns", "del", namespace);
        }
    }
}
