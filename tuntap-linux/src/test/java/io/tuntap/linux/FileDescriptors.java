// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Counts this process's open file descriptors of the kinds the backend makes: {@code /dev/net/tun}
 * handles, eventfds and sockets (rtnetlink). Other kinds (pipes of finished child processes, jar files the
 * JVM opens lazily) come and go with the garbage collector and would make the count noisy.
 */
final class FileDescriptors {
    private FileDescriptors() {
    }

    static long count() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(FileDescriptors::target)
                    .filter(t -> t.equals("/dev/net/tun") || t.equals("anon_inode:[eventfd]") || t.startsWith("socket:"))
                    .count();
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // closed while listing
        }
    }
}
