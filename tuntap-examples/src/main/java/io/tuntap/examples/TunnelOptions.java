// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The options of the {@code tunnel} command.
 *
 * @param device the device to open, checked by {@link DeviceConfig.Builder#build()}
 * @param local the UDP address to bind
 * @param remote the peer's UDP address
 * @param netns the network namespace to open the device and socket in, or null for the current one
 */
record TunnelOptions(DeviceConfig device, InetSocketAddress local, InetSocketAddress remote, String netns) {

    static final String USAGE = String.join("\n",
            "usage: tunnel --local HOST:PORT --remote HOST:PORT [options]",
            "",
            "A point-to-point tunnel: every packet read from the device goes to the peer as one UDP datagram",
            "(no header), and every datagram from the peer is written to the device. Compatible with",
            "  socat UDP-DATAGRAM:PEER:PORT,bind=LOCAL:PORT TUN:10.0.0.2/24,tun-name=NAME,iff-no-pi,iff-up",
            "",
            "options:",
            "  --mode tun|tap       the device type (default tun)",
            "  --dev NAME           the interface name (default: chosen by the system)",
            "  --address CIDR       an address for the device, e.g. 10.0.0.1/24 or fd00::1/64 (repeatable)",
            "  --mtu N              the device MTU (default: the system's)",
            "  --local HOST:PORT    the UDP address to bind, e.g. 192.0.2.1:5000 or [fd00::1]:5000",
            "  --remote HOST:PORT   the peer's UDP address; only its datagrams are accepted",
            "  --netns NAME         open the device and the socket inside this network namespace",
            "                       (one made with 'ip netns add NAME')",
            "  --help               show this text",
            "",
            "Runs until interrupted (Ctrl-C), then prints its packet counters.");

    /** Parses the arguments after {@code tunnel}; {@code --help} must have been handled already. */
    static TunnelOptions parse(List<String> args) throws UsageException {
        Options o = Options.parse("tunnel", args, Set.of("mode", "dev", "address", "mtu", "local", "remote", "netns"),
                Set.of("address"), Set.of());
        return from(o);
    }

    static TunnelOptions from(Options o) throws UsageException {
        String modeText = o.get("mode", "tun").toLowerCase(Locale.ROOT);
        DeviceMode mode;
        switch (modeText) {
            case "tun" -> mode = DeviceMode.TUN;
            case "tap" -> mode = DeviceMode.TAP;
            default -> throw new UsageException("tunnel: --mode must be tun or tap, not '" + o.get("mode", "") + "'");
        }
        DeviceConfig device = o.device(DeviceConfig.builder(mode));
        InetSocketAddress local = o.endpoint("local");
        InetSocketAddress remote = o.endpoint("remote");
        return new TunnelOptions(device, local, remote, o.get("netns", null));
    }
}
