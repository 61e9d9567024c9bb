// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rebuilds the layout probe with mingw-w64, runs it under wine (64-bit Windows ABI), and checks that its
 * output is still the committed golden file ({@code scripts/win32-layout-probe}). Skipped, saying why, where
 * mingw-w64 or wine is missing (Debian: {@code apt-get install mingw-w64 wine64}).
 */
class Win32LayoutProbeTest {

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void probeUnderWineStillPrintsTheGoldenFile() throws Exception {
        assumeTrue(!System.getProperty("os.name", "").startsWith("Windows"),
                "on Windows the golden test already checks JNA's own layout against the file");
        assumeTrue(onPath("x86_64-w64-mingw32-gcc"), "x86_64-w64-mingw32-gcc is not installed (package mingw-w64)");
        assumeTrue(onPath("wine64") || onPath("wine"), "wine is not installed (package wine64)");
        Path module = GoldenFile.moduleDir();
        Path work = module.resolve("target/win32-layout-probe-test");
        Files.createDirectories(work);
        Path log = work.resolve("probe.log");
        Process p = new ProcessBuilder("bash", module.resolve("scripts/win32-layout-probe").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(module.toFile()).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, done ? p.exitValue() : -1, "scripts/win32-layout-probe:\n" + output);
    }
}
