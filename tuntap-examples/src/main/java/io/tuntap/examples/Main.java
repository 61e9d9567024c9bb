// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.IpPrefix;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * The command-line entry point: {@code java -jar tuntap-examples.jar <command> [options]}.
 *
 * <p>Commands: {@code demo}, {@code tunnel}, {@code echo}, {@code vpn-client} and {@code netty-tunnel}; {@code <command> --help} describes each. The exit
 * status is {@value #EXIT_OK} on success, {@value #EXIT_FAILURE} on failure and {@value #EXIT_USAGE} for a
 * wrong command line.
 */
public final class Main {
    /** Exit status: the command did what it was asked. */
    public static final int EXIT_OK = 0;
    /** Exit status: the command failed. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status: the command line was wrong. */
    public static final int EXIT_USAGE = 2;

    private static final List<Command> COMMANDS = List.of(new DemoCommand(), new TunnelCommand(),
            new EchoCommand(), new VpnClientCommand(), new NettyTunnelCommand());

    private Main() {
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Runs the tool without exiting, writing to the given streams.
     *
     * @param args the command and its options
     * @param out where results go
     * @param err where errors and usage messages go
     * @return the exit status: {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("missing command");
            err.println(overview());
            return EXIT_USAGE;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            out.println(overview());
            return EXIT_OK;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            err.println("unknown command '" + name + "'");
            err.println(overview());
            return EXIT_USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(command.usage());
            return EXIT_OK;
        }
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println(command.usage());
            return EXIT_USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            return EXIT_FAILURE;
        } catch (Exception e) {
            err.println(name + ": " + describe(e));
            return EXIT_FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static String overview() {
        StringBuilder sb = new StringBuilder("usage: java -jar tuntap-examples.jar <command> [options]\n\ncommands:\n");
        for (Command c : COMMANDS) {
            sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        sb.append("\nRun '<command> --help' for its options.");
        return sb.toString();
    }

    /** An exception's message, and its cause's, without a stack trace: these are for people at a terminal. */
    static String describe(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
            text += " (" + cause.getMessage() + ")";
        }
        return text;
    }

    /** {@code host:port}, with an IPv6 address in brackets. */
    static String format(InetSocketAddress address) {
        String host = format(address.getAddress());
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** An address in its shortest form ({@code fd00::1}, where the JDK would write {@code fd00:0:0:0:0:0:0:1}). */
    static String format(InetAddress address) {
        int bits = address instanceof Inet6Address ? 128 : 32;
        return new IpPrefix(address, bits).addressText();
    }
}
