// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.NoProviderException;
import io.tuntap.TunTap;
import io.tuntap.spi.TunTapProvider;
import java.io.PrintStream;

/**
 * Says whether tuntap can open devices here: prints {@link TunTap#diagnostics()} and the selected provider's
 * capabilities. Run it on a machine where devices do not open, and attach its output to a report.
 *
 * <p>Exit status: 0 if a provider is available, 1 if none is.
 */
public final class Selftest {
    private Selftest() {
    }

    /**
     * Prints the report to standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        int status = run(System.out);
        System.exit(status);
    }

    /** Prints the report to {@code out} and returns the exit status: 0 if a provider is available, else 1. */
    public static int run(PrintStream out) {
        out.println("tuntap selftest");
        out.println(TunTap.diagnostics());
        try {
            TunTapProvider provider = TunTap.provider();
            out.println("selected provider: " + provider.name() + " (priority " + provider.priority() + ")");
            out.println("capabilities: " + provider.capabilities());
            return 0;
        } catch (NoProviderException e) {
            out.println("no provider can open devices here: " + e.getMessage());
            return 1;
        }
    }
}
