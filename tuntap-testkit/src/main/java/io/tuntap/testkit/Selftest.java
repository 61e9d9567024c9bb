// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DeviceMode;
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

    /**
     * Prints the report to {@code out} and returns the exit status: 0 if a provider serves at least one mode,
     * else 1.
     */
    public static int run(PrintStream out) {
        out.println("tuntap selftest");
        out.println(TunTap.diagnostics());
        int served = 0;
        for (DeviceMode mode : DeviceMode.values()) {
            try {
                TunTapProvider provider = TunTap.provider(mode);
                out.println(mode + ": provider " + provider.name() + " (priority " + provider.priority() + "), "
                        + "capabilities " + provider.capabilities(mode));
                served++;
            } catch (NoProviderException e) {
                out.println(mode + ": no provider can open such devices here: " + e.getMessage());
            }
        }
        return served > 0 ? 0 : 1;
    }
}
