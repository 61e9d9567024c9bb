// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway network namespace for one test: created with {@code ip netns add}, deleted (with every
 * interface in it) on close. Tests never touch the host's own interfaces or routes.
 */
final class TestNamespace implements AutoCloseable {
    /** What a command printed and how it ended. */
    record Result(int exitCode, String output) {
    }

    final String name;

    private TestNamespace(String name) {
        this.name = name;
    }

    static TestNamespace create(String purpose) throws IOException {
        String name = "tt-" + purpose + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        Result r = run("ip", "netns", "add", name);
        if (r.exitCode != 0) {
            throw new IOException("ip netns add " + name + " failed: " + r.output);
        }
        TestNamespace ns = new TestNamespace(name);
        try {
            ns.execOrFail("ip", "link", "set", "lo", "up");
            // Duplicate address detection would hold IPv6 addresses back for a second or more; nothing else
            // lives in this namespace, so there is nothing to detect.
            ns.execOrFail("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
            ns.execOrFail("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0");
        } catch (IOException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /**
     * Runs a setup command inside the namespace and fails with the command and its output unless it exits 0,
     * so that a missing tool or a refused setting shows up as itself, never as a lost ping later.
     */
    Result execOrFail(String... command) throws IOException {
        Result r = exec(command);
        if (r.exitCode != 0) {
            throw new IOException("test setup in namespace " + name + " failed: '" + String.join(" ", command)
                    + "' exited with " + r.exitCode + ": " + r.output.strip());
        }
        return r;
    }

    /** Runs {@code action} on this thread inside the namespace. */
    <T> T call(Callable<T> action) throws Exception {
        return LinuxNetworkNamespace.call(name, action);
    }

    /** Runs a command inside the namespace and waits for it (at most 60 s). */
    Result exec(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** True if an interface of that name exists in the namespace. */
    boolean hasLink(String link) throws IOException {
        return exec("ip", "link", "show", "dev", link).exitCode == 0;
    }

    /** The number of interfaces in the namespace (lo included). */
    int linkCount() throws IOException {
        return (int) exec("ip", "-o", "link", "show").output.lines().count();
    }

    static Result run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read to the end before waiting, so that a chatty command cannot block on a full pipe.
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        return new Result(p.exitValue(), output);
    }

    @Override
    public void close() throws IOException {
        run("ip", "netns", "del", name);
    }
}
