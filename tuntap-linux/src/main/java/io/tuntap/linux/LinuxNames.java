// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.InvalidConfigurationException;
import io.tuntap.linux.jna.Sys;
import java.nio.charset.StandardCharsets;

/** The kernel's rules for interface names ({@code dev_valid_name} in net/core/dev.c), checked before any call. */
final class LinuxNames {
    private LinuxNames() {
    }

    /**
     * Checks an interface name, which may contain one {@code %d} for the kernel to fill in ("vpn%d").
     *
     * @throws InvalidConfigurationException saying which rule the name breaks
     */
    static void check(String name) throws InvalidConfigurationException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        String problem = null;
        if (bytes.length == 0) {
            problem = "it is empty";
        } else if (bytes.length >= Sys.IFNAMSIZ) {
            problem = "it has " + bytes.length + " bytes; Linux allows at most " + (Sys.IFNAMSIZ - 1);
        } else if (name.equals(".") || name.equals("..")) {
            problem = "'.' and '..' are reserved";
        } else if (name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x20)) {
            problem = "it contains '/', ':', whitespace or a control character";
        } else if (name.indexOf('%') >= 0 && (!name.contains("%d") || name.indexOf('%') != name.lastIndexOf('%'))) {
            problem = "a '%' may appear only once, as '%d' (the kernel replaces it with a free number)";
        }
        if (problem != null) {
            throw LinuxErrors.invalidName(name, problem);
        }
    }

    /** True if the kernel is to choose the number ({@code %d}). */
    static boolean isPattern(String name) {
        return name.contains("%d");
    }
}
