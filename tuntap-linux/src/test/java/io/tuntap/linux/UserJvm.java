// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a main class of these tests in a second JVM as uid 65534 (nobody), inside a test namespace, with a
 * copy of this JVM's class path that the user can read (the build's own may be under /root). Delete the copy
 * with {@link #close()}.
 */
final class UserJvm implements AutoCloseable {
    static final int NOBODY = 65534;

    private final Path dir;

    UserJvm() throws IOException {
        dir = Files.createTempDirectory("tuntap-user-jvm");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cp = Files.createDirectories(dir.resolve("cp"));
        Path classes = Files.createDirectories(cp.resolve("classes"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path target = classes.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else if (entry.endsWith(".jar") && Files.exists(p)) {
                Files.copy(p, cp.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (Stream<Path> all = Files.walk(cp)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /** A directory that the user and root may both write (mode 0777), deleted with the rest. */
    Path sharedDirectory() {
        return dir.resolve("tmp");
    }

    /**
     * The command that runs {@code main} as uid and gid 65534 with no capabilities but those in
     * {@code capabilities} (e.g. {@code "+dac_override"}; empty for none).
     */
    List<String> command(String capabilities, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--inh-caps=-all" + (capabilities.isEmpty() ? "" : "," + capabilities)));
        if (!capabilities.isEmpty()) {
            command.add("--ambient-caps=" + capabilities);
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djna.tmpdir=" + dir.resolve("tmp"), "-Duser.home=" + dir,
                "-cp", dir.resolve("cp") + File.separator + "*" + File.pathSeparator + dir.resolve("cp/classes"),
                main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
