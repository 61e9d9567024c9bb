// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: dispatch, help, and usage errors (exit status 2 with a message). None opens a device. */
class MainTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, run());
        assertTrue(err().contains("missing command"), err());
        assertTrue(err().contains("tunnel"), "the overview lists the commands: " + err());
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, run("tunel"));
        assertTrue(err().contains("unknown command 'tunel'"), err());
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        assertEquals(Main.EXIT_OK, run("--help"));
        assertTrue(out().contains("demo") && out().contains("tunnel") && out().contains("echo"), out());
    }

    @ParameterizedTest
    @CsvSource({"demo, usage: demo", "tunnel, usage: tunnel", "echo, usage: echo"})
    void commandHelpPrintsItsUsage(String command, String expected) {
        assertEquals(Main.EXIT_OK, run(command, "--help"));
        assertTrue(out().startsWith(expected), out());
        assertEquals("", err());
    }

    @Test
    void shortHelpWorksToo() {
        assertEquals(Main.EXIT_OK, run("tunnel", "-h"));
        assertTrue(out().startsWith("usage: tunnel"), out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "demo --bogus | demo: unknown option --bogus",
        "demo extra | demo: unexpected argument 'extra'",
        "tunnel --remote 10.0.0.2:5000 | tunnel: option --local is required",
        "tunnel --local 10.0.0.1:5000 | tunnel: option --remote is required",
        "tunnel --mode tan --local 10.0.0.1:5000 --remote 10.0.0.2:5000 | --mode must be tun or tap",
        "tunnel --local 10.0.0.1 --remote 10.0.0.2:5000 | --local needs HOST:PORT",
        "tunnel --local 10.0.0.1:0 --remote 10.0.0.2:5000 | the port must be 1..65535",
        "tunnel --local 10.0.0.1:x --remote 10.0.0.2:5000 | the port is not a number",
        "tunnel --local fd00::1:5000 --remote 10.0.0.2:5000 | put an IPv6 address in brackets",
        "tunnel --mtu 20 --local 10.0.0.1:5000 --remote 10.0.0.2:5000 | --mtu 20 is out of range",
        "tunnel --mtu big --local 10.0.0.1:5000 --remote 10.0.0.2:5000 | --mtu needs a number",
        "tunnel --address 10.0.0.300/24 --local 10.0.0.1:5000 --remote 10.0.0.2:5000 | not an IP address literal",
        "tunnel --address 10.0.0.1/24 --address 10.0.0.1/24 --local 10.0.0.1:5000 --remote 10.0.0.2:5000 | listed twice",
        "tunnel --local 10.0.0.1:5000 --local 10.0.0.1:5001 --remote 10.0.0.2:5000 | --local given more than once",
        "tunnel --local | option --local needs a value",
        "echo --dev | echo: option --dev needs a value",
        "echo --quiet=yes | option --quiet takes no value",
        "echo --address nonsense | not an IP address literal",
    })
    void usageErrorsExitWithTwoAndExplain(String commandLine, String expected) {
        assertEquals(Main.EXIT_USAGE, run(commandLine.trim().split(" ")), err());
        assertTrue(err().contains(expected.trim()), "expected '" + expected.trim() + "' in: " + err());
        assertTrue(err().contains("usage: "), "a usage error shows the usage: " + err());
    }
}
