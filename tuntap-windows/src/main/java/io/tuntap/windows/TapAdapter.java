// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import java.util.Locale;
import java.util.UUID;

/**
 * A tap-windows6-compatible adapter found on the system.
 *
 * @param guid its {@code NetCfgInstanceId}
 * @param componentId the driver's component id, e.g. {@code "tap0901"} or {@code "root\tuntap6"}
 * @param name the adapter's friendly name (connection name), or null if it has none yet
 */
record TapAdapter(UUID guid, String componentId, String name) {

    /** The GUID as Windows writes it: upper case, in braces. */
    String guidText() {
        return "{" + guid.toString().toUpperCase(Locale.ROOT) + "}";
    }

    /** The component id without a {@code root\} prefix, e.g. {@code "tap0901"}. */
    String driver() {
        String id = componentId.toLowerCase(Locale.ROOT);
        return id.startsWith("root\\") ? id.substring(5) : id;
    }

    /** Parses {@code "{XXXXXXXX-...}"} with or without braces. */
    static UUID parseGuid(String text) {
        String t = text.trim();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        return UUID.fromString(t);
    }
}
