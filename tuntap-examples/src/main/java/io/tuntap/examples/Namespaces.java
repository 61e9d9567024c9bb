// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.linux.LinuxNetworkNamespace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A set of throwaway network namespaces and the veth pairs between them, made with the {@code ip} command,
 * and removed together. Deleting a namespace also removes every interface in it (veth ends, TUN devices).
 *
 * <p>Thread-safe: {@link #close()} may run from a shutdown hook while another thread is still adding.
 */
final class Namespaces implements AutoCloseable {
    private final String ip;
    private final List<String> names = new ArrayList<>();

    /** @param ip the path of the {@code ip} program */
    Namespaces(String ip) {
        this.ip = ip;
    }

    /** Creates namespace {@code name} with its loopback up; it is deleted by {@link #close()}. */
    synchronized void add(String name) throws IOException {
        Processes.run(List.of(ip, "netns", "add", name));
        names.add(name);
        Processes.run(List.of(ip, "-n", name, "link", "set", "lo", "up"));
    }

    /**
     * Joins namespaces {@code a} and {@code b} with a veth pair whose ends are both called {@code device}, gives
     * the ends addresses {@code addressA} and {@code addressB} (CIDR) and brings them up. The pair is made
     * directly inside the namespaces, so it never appears in the caller's.
     */
    void veth(String a, String addressA, String b, String addressB, String device) throws IOException {
        Processes.run(List.of(ip, "-n", a, "link", "add", device, "type", "veth", "peer", "name", device,
                "netns", b));
        Processes.run(List.of(ip, "-n", a, "addr", "add", addressA, "dev", device));
        Processes.run(List.of(ip, "-n", b, "addr", "add", addressB, "dev", device));
        Processes.run(List.of(ip, "-n", a, "link", "set", device, "up"));
        Processes.run(List.of(ip, "-n", b, "link", "set", device, "up"));
    }

    /** The command prefix that runs a program inside namespace {@code name}. */
    List<String> exec(String name, String... command) {
        List<String> full = new ArrayList<>(List.of(ip, "netns", "exec", name));
        full.addAll(List.of(command));
        return full;
    }

    /** Runs {@code action} on the calling thread inside namespace {@code name}, or in place if it is null. */
    static <T> T in(String name, Callable<T> action) throws Exception {
        return name == null ? action.call() : LinuxNetworkNamespace.call(name, action::call);
    }

    /** Deletes every namespace added, newest first, reporting the first failure. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        IOException first = null;
        while (!names.isEmpty()) {
            String name = names.remove(names.size() - 1);
            try {
                Processes.run(List.of(ip, "netns", "del", name));
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
