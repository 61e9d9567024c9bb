// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The unprivileged workflow: root makes a persistent device owned by a user once, and that user's program
 * attaches to it without CAP_NET_ADMIN. The user's side runs in a separate JVM as uid 65534 (nobody).
 */
@LinuxPrivilegedTest
class OwnerIT {
    private static final int NOBODY = 65534;

    @Test
    void aNonRootUserAttachesToDevicesOfItsUidOrGroupAndToNoOther() throws Exception {
        try (TestNamespace ns = TestNamespace.create("own")) {
            ns.call(() -> {
                TunTap.open(DeviceConfig.tun().name("tto0").persistent(true).owner(NOBODY).up(false).build()).close();
                // The kernel checks ownership only where an owner or group is set: a device with neither is
                // open to anyone who can open /dev/net/tun. So the device this user must not get has one.
                TunTap.open(DeviceConfig.tun().name("tto1").persistent(true).owner(0).up(false).build()).close();
                // Group membership alone also opens the door (TUNSETGROUP).
                TunTap.open(DeviceConfig.tun().name("tto2").persistent(true).group(NOBODY).up(false).build()).close();
                return null;
            });
            Path dir = readableClassPath();
            try {
                List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name,
                        "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                        // Only to open /dev/net/tun, which is mode 0600 on some systems (0666 on most).
                        // No CAP_NET_ADMIN: attaching must rest on ownership alone.
                        "--inh-caps=-all,+dac_override", "--ambient-caps=+dac_override",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djna.tmpdir=" + dir.resolve("tmp"), "-Duser.home=" + dir,
                        "-cp", dir.resolve("cp") + File.separator + "*" + File.pathSeparator + dir.resolve("cp/classes"),
                        AttachAsUser.class.getName(), "tto0", "tto1", "tto2"));
                TestNamespace.Result result = TestNamespace.run(command.toArray(String[]::new));
                assertEquals(0, result.exitCode(), result.output());
                assertTrue(result.output().contains("tto0 OK"), result.output());
                assertTrue(result.output().contains("tto1 DevicePermissionException"), result.output());
                assertTrue(result.output().contains("tto2 OK"), result.output());
                assertTrue(result.output().contains("CAP_NET_ADMIN"), result.output());
            } finally {
                deleteRecursively(dir);
            }
        }
    }

    /** Copies this JVM's class path where uid 65534 can read it (the build's own may be under /root). */
    private static Path readableClassPath() throws IOException {
        Path dir = Files.createTempDirectory("tuntap-owner-it");
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
        return dir;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
