// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.platform.win32.Advapi32Util;

/**
 * Whether this process runs elevated (as Administrator, past User Account Control's filtered token), which creating
 * adapters and setting addresses and routes need. The real answer asks the process token:
 * {@code OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY)} then {@code GetTokenInformation(TokenElevation)},
 * whose {@code TOKEN_ELEVATION.TokenIsElevated} is "a nonzero value if the token has elevated privileges; otherwise,
 * a zero value" (Microsoft, "TOKEN_ELEVATION structure (winnt.h)",
 * https://learn.microsoft.com/en-us/windows/win32/api/winnt/ns-winnt-token_elevation); JNA's
 * {@code Advapi32Util.isCurrentProcessElevated} makes those calls.
 */
@FunctionalInterface
interface Elevation {
    /** The process token's answer; reached only on Windows. */
    Elevation PROCESS_TOKEN = Advapi32Util::isCurrentProcessElevated;

    /**
     * Whether the process is elevated.
     *
     * @return true if the token's {@code TokenIsElevated} is nonzero
     * @throws RuntimeException (JNA's {@code Win32Exception}) if the token cannot be asked
     */
    boolean elevated();

    /**
     * Why this process may not create adapters, or null if it may: asked after the provider found what it serves
     * with, so that the reason can name it.
     *
     * @param elevation the answer to ask
     * @param found what the provider found, e.g. its adapters
     * @return the reason and its fix, or null when elevated
     */
    static String notElevatedReason(Elevation elevation, String found) {
        String why;
        try {
            if (elevation.elevated()) {
                return null;
            }
            why = "this process is not elevated (its token's TokenElevation is 0)";
        } catch (RuntimeException | LinkageError e) {
            why = "this process cannot tell whether it is elevated (GetTokenInformation(TokenElevation) failed: " + e
                    + ")";
        }
        return why + ": creating adapters and setting their addresses and routes needs Administrator; run the JVM "
                + "from an elevated prompt (Run as administrator) or as a service account with Administrator rights. "
                + "Found: " + found;
    }
}
