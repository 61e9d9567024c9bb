// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.DeviceConfig;
import io.tuntap.InvalidConfigurationException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line of {@code --name value}, {@code --name=value} and {@code --flag} options. There are no
 * positional arguments and no abbreviations, so that a typo is reported instead of guessed at.
 */
final class Options {
    private final String command;
    private final Map<String, List<String>> values;

    private Options(String command, Map<String, List<String>> values) {
        this.command = command;
        this.values = values;
    }

    /**
     * Parses {@code args}.
     *
     * @param valued the options that take a value (without the leading {@code --})
     * @param repeatable those of {@code valued} that may be given more than once
     * @param flags the options that take no value; {@code help} is always accepted
     */
    static Options parse(String command, List<String> args, Set<String> valued, Set<String> repeatable,
            Set<String> flags) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h")) {
                arg = "--help";
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(command + ": unexpected argument '" + arg + "' (options start with --)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            String value;
            if (flags.contains(name) || name.equals("help")) {
                if (eq >= 0) {
                    throw new UsageException(command + ": option --" + name + " takes no value");
                }
                value = "";
            } else if (valued.contains(name)) {
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(command + ": option --" + name + " needs a value");
                }
            } else {
                throw new UsageException(command + ": unknown option --" + name);
            }
            List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.isEmpty() && !repeatable.contains(name)) {
                throw new UsageException(command + ": option --" + name + " given more than once");
            }
            list.add(value);
        }
        return new Options(command, values);
    }

    /** True if {@code --help} (or {@code -h}) was given. */
    boolean help() {
        return has("help");
    }

    /** True if the option or flag was given. */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of an option given at most once, or {@code defaultValue}. */
    String get(String name, String defaultValue) {
        List<String> list = values.get(name);
        return list == null ? defaultValue : list.get(0);
    }

    /** The value of a required option. */
    String require(String name) throws UsageException {
        String value = get(name, null);
        if (value == null) {
            throw new UsageException(command + ": option --" + name + " is required");
        }
        return value;
    }

    /** Every value of a repeatable option, in order; empty if not given. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** An integer option within {@code [min, max]}, or {@code defaultValue} if not given. */
    int intValue(String name, int defaultValue, int min, int max) throws UsageException {
        String text = get(name, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new UsageException(command + ": --" + name + " " + value + " is out of range " + min + ".."
                        + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " needs a number, not '" + text + "'", e);
        }
    }

    /**
     * The device options {@code --dev}, {@code --mtu} and (repeatable) {@code --address} applied to {@code b},
     * then the configuration built: a bad value is the user's mistake, reported as a usage error.
     */
    DeviceConfig device(DeviceConfig.Builder b) throws UsageException {
        if (has("dev")) {
            b.name(get("dev", null));
        }
        if (has("mtu")) {
            b.mtu(intValue("mtu", 0, DeviceConfig.MIN_MTU, DeviceConfig.MAX_MTU));
        }
        for (String address : all("address")) {
            try {
                b.address(address);
            } catch (IllegalArgumentException e) { // not an address: as build() reports the others
                throw new UsageException(command + ": --address " + e.getMessage(), e);
            }
        }
        try {
            return b.build();
        } catch (InvalidConfigurationException e) {
            throw new UsageException(command + ": " + e.getMessage(), e);
        }
    }

    /**
     * A {@code HOST:PORT} option; an IPv6 literal goes in brackets ({@code [fd00::1]:5000}). A host name is
     * resolved here, so that a typo is a usage error rather than a failure later.
     */
    InetSocketAddress endpoint(String name) throws UsageException {
        String text = require(name);
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException(command + ": --" + name + " needs HOST:PORT, not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new UsageException(command + ": --" + name + " '" + text + "': put an IPv6 address in brackets, "
                    + "e.g. [fd00::1]:5000");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " '" + text + "': the port is not a number", e);
        }
        if (port < 1 || port > 65535) {
            throw new UsageException(command + ": --" + name + " '" + text + "': the port must be 1..65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageException(command + ": --" + name + " '" + text + "': unknown host '" + host + "'", e);
        }
    }
}
