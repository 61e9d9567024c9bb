// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.Offload;
import io.tuntap.OpenPolicy;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.linux.offload.Checksums;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Attaching to a device this library did not create: it is left exactly as found, an unprivileged owner can
 * attach as the README shows, and an inaccessible /dev/net/tun is reported as the permission problem it is.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class AttachIT {

    @Test
    void attachingWithDefaultSettingsLeavesAForeignDeviceAsFound() throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            mustSucceed(ns.exec("ip", "tuntap", "add", "dev", "tta0", "mode", "tun"));
            mustSucceed(ns.exec("ip", "addr", "add", "10.77.0.1/24", "dev", "tta0"));
            mustSucceed(ns.exec("ip", "link", "set", "tta0", "up"));
            String featuresBefore = features(ns, "tta0");
            String flagsBefore = tunFlags(ns, "tta0");

            ns.run(() -> {
                try (TunTapDevice tun = TunTap.open(DeviceConfig.tun().name("tta0")
                        .openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
                    assertFalse(tun.capabilities().contains(Capability.OFFLOAD),
                            "a device this handle did not create gets plain I/O: " + tun.capabilities());
                }
                return null;
            });

            assertEquals(featuresBefore, features(ns, "tta0"), "ethtool -k after attach and close");
            assertEquals(flagsBefore, tunFlags(ns, "tta0"), "ip -d link after attach and close");

            // A plain reader, as OpenVPN or socat would be: the kernel's TCP must come as ordinary packets.
            List<ByteBuffer> packets = ns.run(() -> {
                try (TunTapDevice plain = TunTap.open(DeviceConfig.tun().name("tta0").offload(Offload.OFF)
                        .openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
                    return kernelTcpThrough(plain);
                }
            });
            int data = 0;
            for (ByteBuffer p : packets) {
                assertTrue(p.limit() <= 1500, "a packet of " + p.limit() + " bytes, above the MTU: a super-packet");
                assertTrue(tcpChecksumsValid(p), "a packet with an unfinished checksum");
                data += p.limit() > 40 + 12 ? 1 : 0;
            }
            assertTrue(data >= 2, "data segments read: " + data + " of " + packets.size() + " packets");
            assertEquals(featuresBefore, features(ns, "tta0"), "ethtool -k at the end");
        }
    }

    @Test
    void explicitOffloadOnAForeignDeviceIsUndoneOnClose() throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            mustSucceed(ns.exec("ip", "tuntap", "add", "dev", "tta1", "mode", "tun"));
            String features = features(ns, "tta1");
            String flags = tunFlags(ns, "tta1");
            ns.run(() -> {
                try (TunTapDevice tun = TunTap.open(DeviceConfig.tun().name("tta1").offload(Offload.VIRTIO_NET_HDR)
                        .openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
                    assertTrue(tun.capabilities().contains(Capability.OFFLOAD));
                    assertTrue(features(ns, "tta1").contains("tcp-segmentation-offload: on"), "offload while open");
                    assertTrue(tunFlags(ns, "tta1").contains("vnet_hdr on"));
                }
                return null;
            });
            // Every feature is back as it was. Only ethtool's "[requested on]" notes differ: TUNSETOFFLOAD also
            // rewrites the interface's wanted features, which nothing but ethtool -K can set back, and which
            // the next TUNSETOFFLOAD of any program overwrites anyway.
            assertEquals(features.replace(" [requested on]", ""), features(ns, "tta1").replace(" [requested on]", ""),
                    "ethtool -k after close");
            assertEquals(flags, tunFlags(ns, "tta1"), "ip -d link after close");
        }
    }

    @Test
    void aDeviceMadeWithAVirtioHeaderKeepsItAndItsOffloadSettings() throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            mustSucceed(ns.exec("ip", "tuntap", "add", "dev", "tta2", "mode", "tun", "vnet_hdr"));
            String features = features(ns, "tta2");
            String flags = tunFlags(ns, "tta2");
            assertTrue(flags.contains("vnet_hdr on"), flags);
            for (Offload offload : Offload.values()) {
                ns.run(() -> {
                    try (TunTapDevice tun = TunTap.open(DeviceConfig.tun().name("tta2").offload(offload)
                            .openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
                        // OFF attaches plain, which clears the flag while open; close sets it again.
                        assertEquals(offload != Offload.OFF, tun.capabilities().contains(Capability.OFFLOAD),
                                offload + ": " + tun.capabilities());
                        assertEquals(features, features(ns, "tta2"), offload + ": no TUNSETOFFLOAD");
                    }
                    return null;
                });
                assertEquals(features, features(ns, "tta2"), "ethtool -k after " + offload);
                assertEquals(flags, tunFlags(ns, "tta2"), "ip -d link after " + offload);
            }
            // With the header kept, the default still hands out ordinary packets.
            mustSucceed(ns.exec("ip", "addr", "add", "10.77.0.1/24", "dev", "tta2"));
            mustSucceed(ns.exec("ip", "link", "set", "tta2", "up"));
            List<ByteBuffer> packets = ns.run(() -> {
                try (TunTapDevice tun = TunTap.open(DeviceConfig.tun().name("tta2")
                        .openPolicy(OpenPolicy.ATTACH_EXISTING).build())) {
                    return kernelTcpThrough(tun);
                }
            });
            assertTrue(packets.size() >= 3, "packets: " + packets.size());
            for (ByteBuffer p : packets) {
                assertTrue(p.limit() <= 1500 && tcpChecksumsValid(p), "a packet of " + p.limit() + " bytes");
            }
        }
    }

    @Test
    void theReadmeWithoutRootExampleWorksAsWritten() throws Exception {
        try (TestNetwork ns = TestNetwork.create(); UserJvm jvm = new UserJvm()) {
            // As root, once (the README's line, with uid 65534):
            ns.run(() -> {
                TunTap.open(DeviceConfig.tun().name("vpn0").persistent(true).owner(UserJvm.NOBODY).build()).close();
                return null;
            });
            assertTrue(ns.exec("ip", "link", "show", "vpn0").output().contains("UP"), "root's open brought it up");
            // As uid 65534, any time: no CAP_NET_ADMIN. dac_override only because /dev/net/tun is mode 0600
            // on some systems (the README asks for 0666); it grants no network privilege.
            TestNetwork.Result r = ns.exec(jvm.command("+dac_override", OpenAsUser.class, "vpn0")
                    .toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().startsWith("OK ") && r.output().contains("up=true"), r.output());
        }
    }

    @Test
    void anInaccessibleCloneDeviceIsAPermissionErrorWithTheFix() throws Exception {
        Path node = Path.of("/dev/net/tun");
        Map<String, Object> hostBefore = Files.readAttributes(node, "unix:mode,uid,gid");
        try (TestNetwork ns = TestNetwork.create(); UserJvm jvm = new UserJvm()) {
            ns.run(() -> {
                TunTap.open(DeviceConfig.tun().name("vpn1").persistent(true).owner(UserJvm.NOBODY).build()).close();
                return null;
            });
            // A private mount namespace with its own /dev/net/tun, mode 0600 and owned by root; the host's node
            // is not touched. The user has no capabilities at all.
            String user = jvm.command("", OpenAsUser.class, "vpn1").stream().map(a -> "'" + a + "'")
                    .collect(Collectors.joining(" "));
            TestNetwork.Result r = ns.exec("unshare", "-m", "--propagation", "private", "sh", "-c",
                    "mount -t tmpfs -o mode=0755 tuntap-test /dev/net && mknod -m 0600 /dev/net/tun c 10 200 && exec "
                            + user);
            assertEquals(0, r.exitCode(), r.output());
            String out = r.output();
            assertTrue(out.startsWith("DevicePermissionException errorCode=13"), out);
            assertTrue(out.contains("/dev/net/tun (mode 0600, owner uid 0 gid 0)") && out.contains("uid 65534")
                    && out.contains("chmod 0666 /dev/net/tun"), out);
            assertFalse(out.contains("NoProvider") || out.contains("class path"), out);
        }
        assertEquals(hostBefore, Files.readAttributes(node, "unix:mode,uid,gid"), "the host's /dev/net/tun is unchanged");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static void mustSucceed(TestNetwork.Result r) {
        assertEquals(0, r.exitCode(), r.output());
    }

    /** {@code ethtool -k}: every offload feature of the link and whether it is on. */
    private static String features(TestNetwork ns, String link) throws Exception {
        TestNetwork.Result r = ns.exec("ethtool", "-k", link);
        assertEquals(0, r.exitCode(), "ethtool -k (Debian package ethtool) failed: " + r.output());
        assertTrue(r.output().contains("tcp-segmentation-offload"), r.output());
        return r.output();
    }

    /**
     * The tun line of {@code ip -d link}: type, pi, vnet_hdr, persist, multi_queue, GSO limits. Without the
     * IPv6 address generation mode: the kernel itself turns a TUN device's eui64 into random when the device
     * first gets a carrier, for any program that attaches (a plain C open does the same).
     */
    private static String tunFlags(TestNetwork ns, String link) throws Exception {
        String out = ns.exec("ip", "-d", "link", "show", link).output();
        return out.lines().filter(l -> l.contains("tun type")).findFirst().orElse(out)
                .replaceAll("addrgenmode \\S+ ", "");
    }

    /**
     * Connects a kernel TCP socket to 10.77.0.2:80 through the device, answers the SYN as the peer would, lets
     * the kernel send 64 KB, and returns every packet the device handed out (the kernel sends its first
     * window, ten segments or so, without further acknowledgments).
     */
    private static List<ByteBuffer> kernelTcpThrough(TunTapDevice tun) throws Exception {
        List<ByteBuffer> packets = new ArrayList<>();
        try (SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            client.connect(new InetSocketAddress("10.77.0.2", 80));
            ByteBuffer syn = ByteBuffer.allocateDirect(65535);
            do {
                syn.clear();
                assertTrue(tun.read(syn, Duration.ofSeconds(5)) > 0, "no SYN came");
                syn.flip();
            } while (syn.get(9) != 6 || (syn.get(33) & 0x12) != 0x02);
            packets.add(syn);
            tun.write(synAck(syn));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!client.finishConnect()) {
                assertTrue(System.nanoTime() < deadline, "the handshake did not complete");
                Thread.sleep(5);
            }
            ByteBuffer data = ByteBuffer.allocate(64 * 1024);
            client.write(data);
            while (true) {
                ByteBuffer p = ByteBuffer.allocateDirect(65535);
                if (tun.read(p, Duration.ofMillis(500)) == 0) {
                    break;
                }
                p.flip();
                if (p.get(9) == 6) {
                    packets.add(p);
                }
            }
        }
        return packets;
    }

    /** The peer's SYN-ACK to {@code syn} (IPv4, MSS 1460), with valid checksums. */
    private static ByteBuffer synAck(ByteBuffer syn) {
        int hl = (syn.get(0) & 0x0f) * 4;
        ByteBuffer p = ByteBuffer.allocateDirect(44);
        p.put(0, (byte) 0x45).putShort(2, (short) 44).putShort(6, (short) 0x4000).put(8, (byte) 64).put(9, (byte) 6)
                .putInt(12, syn.getInt(16)).putInt(16, syn.getInt(12));
        p.putShort(20, syn.getShort(hl + 2)).putShort(22, syn.getShort(hl)).putInt(24, 0x1000)
                .putInt(28, syn.getInt(hl + 4) + 1).put(32, (byte) 0x60).put(33, (byte) 0x12)
                .putShort(34, (short) 0xffff).putInt(40, 0x020405b4);
        Checksums.putIpv4HeaderChecksum(p, 0, 20);
        int pseudo = Checksums.pseudoHeaderSumV4(p, 0, Checksums.PROTO_TCP, 24);
        p.putShort(36, (short) Checksums.finish(Checksums.add(pseudo, Checksums.sum(p, 20, 24))));
        return p;
    }

    /** True if the IPv4 header checksum and the TCP checksum of the packet verify. */
    private static boolean tcpChecksumsValid(ByteBuffer p) {
        int hl = (p.get(0) & 0x0f) * 4;
        if (Checksums.sum(p, 0, hl) != 0xffff) {
            return false;
        }
        int l4 = p.limit() - hl;
        int pseudo = Checksums.pseudoHeaderSumV4(p, 0, Checksums.PROTO_TCP, l4);
        return Checksums.add(pseudo, Checksums.sum(p, hl, l4)) == 0xffff;
    }
}
