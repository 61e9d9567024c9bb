// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import java.io.PrintStream;
import java.util.List;

/** One sub-command of the tool. */
interface Command {

    /** The word that selects it, e.g. {@code "tunnel"}. */
    String name();

    /** One line for the tool's overview. */
    String summary();

    /** The full usage text printed by {@code --help} and after a usage error. */
    String usage();

    /**
     * Runs the command with the arguments after its name.
     *
     * @return the exit status: {@link Main#EXIT_OK} or {@link Main#EXIT_FAILURE}
     * @throws UsageException if the arguments are wrong (exit status {@link Main#EXIT_USAGE})
     * @throws Exception for any other failure (exit status {@link Main#EXIT_FAILURE})
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
