// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Whether this JVM is a Windows JVM under wine, and which wine. Wine's {@code ntdll.dll} exports
 * {@code wine_get_version} (wine-mirror/wine, {@code dlls/ntdll/ntdll.spec}: "@ cdecl wine_get_version()");
 * Windows' does not.
 */
public final class Wine {
    private static final String VERSION = detect();

    private Wine() {
    }

    private static String detect() {
        if (!System.getProperty("os.name", "").startsWith("Windows")) {
            return null;
        }
        try {
            Function f = NativeLibrary.getInstance("ntdll").getFunction("wine_get_version");
            return f.invokeString(new Object[0], false);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** Wine's version ("8.0"), or null on a real Windows or off Windows. */
    public static String version() {
        return VERSION;
    }

    /** Whether this is a Windows JVM under wine. */
    public static boolean running() {
        return VERSION != null;
    }
}
