// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs system programs ({@code ip}, {@code ping}, {@code socat}) for the demo's and the tests' scaffolding:
 * namespaces, veth pairs and traffic. The tuntap devices themselves are configured by the library.
 */
final class Processes {
    /** Long enough for any {@code ip} invocation; a hung one must not hang the tool. */
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private Processes() {
    }

    /**
     * Runs {@code command} to completion, returning its combined output.
     *
     * @throws IOException if it cannot start, times out or exits non-zero; the message has its output
     */
    static String run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' did not finish in "
                        + COMMAND_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' failed with exit status " + p.exitValue()
                    + (output.isEmpty() ? "" : ": " + output));
        }
        return output;
    }

    /**
     * Runs {@code command}, handing each line of its combined output to {@code lines} as it comes.
     *
     * @return its exit status
     */
    static int stream(List<String> command, Consumer<String> lines, Consumer<Process> started)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.accept(p);
        try {
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.accept(line);
                }
            }
            return p.waitFor();
        } finally {
            p.destroy();
        }
    }

    /** The absolute path of {@code program} found on {@code PATH} (or in the usual sbin directories). */
    static Optional<Path> which(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        // ip lives in /sbin or /usr/sbin, which a non-login root shell may not have on PATH.
        String searched = path + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin"
                + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/bin";
        for (String dir : searched.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The effective user id of this process, read from {@code /proc/self/status}; -1 if unknown. */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    // "Uid: real effective saved filesystem"
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
