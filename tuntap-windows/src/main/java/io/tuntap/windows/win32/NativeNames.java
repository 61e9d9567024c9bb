// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.FunctionMapper;

/** Function-name mapping for the direct-mapped bindings. */
final class NativeNames {
    private NativeNames() {
    }

    /**
     * Maps a Java native method named {@code CloseHandle0} to the export {@code CloseHandle}: the Java name
     * needs the suffix where the binding's interface already has a method of that name and parameters.
     */
    static final FunctionMapper STRIP_ZERO = (library, method) -> {
        String name = method.getName();
        return name.endsWith("0") ? name.substring(0, name.length() - 1) : name;
    };
}
