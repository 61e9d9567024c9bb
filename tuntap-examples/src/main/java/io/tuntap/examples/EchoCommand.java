// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunDevice;
import io.tuntap.TunTap;
import io.tuntap.testkit.EchoResponder;
import io.tuntap.testkit.Packets;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code echo}: a TUN device whose far side answers ICMP and ICMPv6 echo requests, so that pinging any
 * address routed into the device gets replies (from this program, not from the kernel).
 */
final class EchoCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: echo [options]",
            "",
            "Opens a TUN device and answers every ICMP and ICMPv6 echo request (ping) routed into it,",
            "printing a line per request answered. Try: ping 10.0.0.2 after --address 10.0.0.1/24.",
            "",
            "options:",
            "  --dev NAME        the interface name (default: chosen by the system)",
            "  --address CIDR    an address for the device, e.g. 10.0.0.1/24 or fd00::1/64 (repeatable)",
            "  --mtu N           the device MTU (default: the system's)",
            "  --netns NAME      open the device inside this network namespace ('ip netns add NAME')",
            "  --quiet           print a count every second instead of a line per request",
            "  --help            show this text",
            "",
            "Runs until interrupted (Ctrl-C).");

    /** The largest IP packet; the device MTU cannot be larger. */
    private static final int BUFFER_SIZE = 65535;
    /** An echo reply is never longer than its request. */
    private static final int REPLY_SIZE = BUFFER_SIZE + 64;

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String summary() {
        return "answer ICMP/ICMPv6 echo requests (ping) arriving on a TUN device";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    /** The parsed options of {@code echo}. */
    record EchoOptions(DeviceConfig device, String netns, boolean quiet) {
        static EchoOptions parse(List<String> args) throws UsageException {
            Options o = Options.parse("echo", args, Set.of("dev", "address", "mtu", "netns"), Set.of("address"),
                    Set.of("quiet"));
            return new EchoOptions(o.device(DeviceConfig.tun()), o.get("netns", null), o.has("quiet"));
        }
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        EchoOptions options = EchoOptions.parse(args);
        TunDevice device = Namespaces.in(options.netns(), () -> TunTap.openTun(options.device()));
        EchoResponder responder = EchoResponder.forTun();
        out.println("echo: answering pings on " + device.name() + " " + device.addresses()
                + (options.netns() == null ? "" : " in netns " + options.netns()) + "; Ctrl-C stops");
        out.flush();
        AtomicBoolean stopped = new AtomicBoolean();
        CountDownLatch reported = new CountDownLatch(1);
        // Ctrl-C: closing the device wakes the reader below; the JVM halts as soon as the hook returns, so the
        // hook waits for the final count.
        Thread hook = new Thread(() -> {
            stopped.set(true);
            device.close();
            TunnelCommand.awaitQuietly(reported);
        }, "echo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread ticker = options.quiet() ? startTicker(responder, out) : null;
        try {
            serve(device, responder, options.quiet() ? null : out);
            return Main.EXIT_OK;
        } catch (Exception e) {
            if (stopped.get()) {
                return Main.EXIT_OK;
            }
            throw e;
        } finally {
            TunnelCommand.removeHook(hook);
            if (ticker != null) {
                ticker.interrupt();
            }
            device.close();
            out.println("echo: answered " + responder.echoRepliesSent() + " echo requests");
            out.flush();
            reported.countDown();
        }
    }

    /**
     * Like {@link EchoResponder#serve}, with a line per answer when {@code log} is not null. Returns when the
     * device is closed.
     */
    static void serve(TunDevice device, EchoResponder responder, PrintStream log) throws Exception {
        ByteBuffer request = ByteBuffer.allocateDirect(BUFFER_SIZE);
        ByteBuffer reply = ByteBuffer.allocateDirect(REPLY_SIZE);
        while (true) {
            request.clear();
            try {
                device.read(request);
            } catch (DeviceClosedException e) {
                return;
            } catch (PacketTooLargeException e) {
                continue; // larger than any IP packet: not a ping
            }
            request.flip();
            reply.clear();
            if (responder.respond(request, reply) == 0) {
                continue;
            }
            reply.flip();
            try {
                device.write(reply);
            } catch (DeviceClosedException e) {
                return;
            }
            if (log != null) {
                log.println(describe(request));
                log.flush();
            }
        }
    }

    /** "ICMP echo 10.0.0.1 -> 10.0.0.2 id 7 seq 3, 64 bytes" for a request the responder answered. */
    private static String describe(ByteBuffer request) {
        int version = Packets.ipVersion(request);
        int ip = request.position();
        int transport = ip + (version == 4 ? (request.get(ip) & 0x0f) * 4 : Packets.IPV6_HEADER_LENGTH);
        int id = ((request.get(transport + 4) & 0xff) << 8) | (request.get(transport + 5) & 0xff);
        int seq = ((request.get(transport + 6) & 0xff) << 8) | (request.get(transport + 7) & 0xff);
        return (version == 4 ? "ICMP" : "ICMPv6") + " echo " + Main.format(Packets.sourceAddress(request))
                + " -> " + Main.format(Packets.destinationAddress(request)) + " id " + id + " seq " + seq + ", "
                + request.remaining() + " bytes: answered";
    }

    private static Thread startTicker(EchoResponder responder, PrintStream out) {
        Thread t = new Thread(() -> {
            long last = 0;
            try {
                while (true) {
                    Thread.sleep(1000);
                    long now = responder.echoRepliesSent();
                    out.println("echo: " + now + " answered (+" + (now - last) + " in the last second)");
                    out.flush();
                    last = now;
                }
            } catch (InterruptedException e) {
                // stopped by run(): fine
            }
        }, "echo-count");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
