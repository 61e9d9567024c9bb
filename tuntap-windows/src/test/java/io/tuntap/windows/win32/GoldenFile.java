// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code NAME=VALUE} golden listings. */
final class GoldenFile {
    private GoldenFile() {
    }

    /** The module's directory (set by Maven; the working directory otherwise). */
    static Path moduleDir() {
        return Path.of(System.getProperty("tuntap.windows.moduleDir", "."));
    }

    /** The repository's root. */
    static Path repoRoot() {
        return Path.of(System.getProperty("tuntap.repoRoot", ".."));
    }

    static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not NAME=VALUE: " + line);
            }
            values.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return values;
    }

    static Map<String, String> resource(String name) {
        try (InputStream in = GoldenFile.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> file(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8));
    }

    /** A value written as {@code 0x...} or decimal. */
    static long number(String value) {
        return value.startsWith("0x") || value.startsWith("0X") ? Long.parseLong(value.substring(2), 16)
                : Long.parseLong(value);
    }
}
