// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's open file descriptors, to prove that nothing leaks. */
final class FileDescriptors {
    private FileDescriptors() {
    }

    static long count() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
