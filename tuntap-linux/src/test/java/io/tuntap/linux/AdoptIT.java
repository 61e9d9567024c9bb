// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceHandoff;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidDescriptorException;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.NativeCalls;
import io.tuntap.linux.jna.Sys;
import io.tuntap.testkit.RequiresRealDevice;
import io.tuntap.testkit.TestNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Taking over descriptors made elsewhere, on real devices: a device created by root and handed over a Unix
 * socket to a JVM running as uid 65534 without capabilities, which answers the kernel's pings through it;
 * descriptors made with plain ioctls and adopted with what TUNGETIFF tells; and descriptors of other kinds
 * refused, left open as they were.
 */
@Tag("privileged")
@RequiresRealDevice(value = {DeviceMode.TUN, DeviceMode.TAP}, programs = {"ip", "nsenter"})
class AdoptIT {
    private static final LinuxLibC LIBC = NativeCalls.libc();

    @Test
    void aDeviceHandedOverIsUsedByAJvmRunningAsNobodyWithoutCapabilities() throws Exception {
        try (TestNetwork ns = TestNetwork.create(); UserJvm jvm = new UserJvm()) {
            Path socket = jvm.sharedDirectory().resolve("tun.sock");
            List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + ns.path().orElseThrow()));
            // No capabilities at all: the daemon never holds CAP_NET_ADMIN, nor access to /dev/net/tun.
            command.addAll(jvm.command("", ReceiveAsUser.class, socket.toString(), "3"));
            Process user = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(user.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            try {
                // The launcher, as root: creates and configures the device, sends it, closes its own handle.
                ns.run(() -> {
                    try (TunDevice tun = TunTap.openTun(DeviceConfig.tun().name("tad0").address("10.81.0.1/24")
                            .build())) {
                        DeviceHandoff.send(tun, socket, Duration.ofSeconds(60));
                    }
                    return null;
                });
                assertTrue(Links.exists(ns, "tad0"), "the interface lives on with the receiver's descriptor");
                TestNetwork.Result ping = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", "10.81.0.2");
                assertTrue(user.waitFor(60, TimeUnit.SECONDS), "the receiving JVM ends");
                String out = output.get(10, TimeUnit.SECONDS);
                assertEquals(0, ping.exitCode(), ping.output() + "\n" + out);
                assertTrue(out.contains("RECEIVED user=nobody name=tad0 mode=TUN index="), out);
                assertTrue(out.contains("SETMTU DevicePermissionException errorCode=" + Errno.EPERM), out);
                assertTrue(out.contains("ANSWERED 3"), out);
                assertFalse(Files.exists(socket), "the receiver removed its socket");
                assertFalse(Links.exists(ns, "tad0"), "closing the last descriptor, in the receiver, removed the interface");
            } finally {
                user.destroyForcibly();
            }
        }
    }

    @Test
    void aDescriptorMadeWithPlainIoctlsIsAdoptedWithItsModeAndFlags() throws Exception {
        try (TestNetwork ns = TestNetwork.create()) {
            int fd = ns.run(() -> createRaw("tad1", IfTun.IFF_TAP | IfTun.IFF_NO_PI | IfTun.IFF_MULTI_QUEUE
                    | IfTun.IFF_VNET_HDR));
            try (TunTapDevice device = ns.run(() -> TunTap.adopt(fd))) {
                assertTrue(device instanceof TapDevice, device.toString());
                assertEquals(DeviceMode.TAP, device.mode());
                assertEquals("tad1", device.name());
                // ip's own view inside the namespace ("7: tad1: <...>"); /sys there would show the host's.
                String shown = ns.exec("ip", "-o", "link", "show", "dev", "tad1").output().strip();
                assertEquals(Integer.parseInt(shown.substring(0, shown.indexOf(':'))), device.index(), shown);
                assertTrue(device.capabilities().contains(Capability.OFFLOAD), "IFF_VNET_HDR: " + device.capabilities());
                assertTrue(device.capabilities().contains(Capability.MULTI_QUEUE), device.capabilities().toString());
                device.setUp(true);
                assertTrue(ns.exec("ip", "link", "show", "tad1").output().contains("UP"));
            }
            // The caller's descriptor was closed by adopt (its number may be reused since): had it stayed open, the
            // interface would outlive the device.
            assertFalse(Links.exists(ns, "tad1"), "close removed the interface whose last descriptor it held");
        }
    }

    @Test
    void descriptorsOfOtherKindsAreRefusedAndLeftOpen() throws Exception {
        try (TestNetwork ns = TestNetwork.create(); Memory pipe = new Memory(8)) {
            int devNull = LIBC.open("/dev/null", Sys.O_RDWR | Sys.O_CLOEXEC);
            assertEquals(0, LIBC.pipe(Pointer.nativeValue(pipe)));
            int pipeRead = pipe.getInt(0);
            int pipeWrite = pipe.getInt(4);
            int udp = LIBC.socket(Sys.AF_INET, Sys.SOCK_DGRAM | Sys.SOCK_CLOEXEC, 0);
            int unattached = LIBC.open(IfTun.CLONE_DEVICE, Sys.O_RDWR | Sys.O_CLOEXEC);
            int noPi = ns.run(() -> createRaw("tad2", IfTun.IFF_TUN));
            try {
                for (int fd : new int[] {devNull, pipeRead, pipeWrite, udp}) {
                    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> TunTap.adopt(fd));
                    assertTrue(e.getMessage().startsWith("ioctl(TUNGETIFF) on descriptor " + fd + " failed with")
                            && e.getMessage().contains("is not a TUN/TAP descriptor: it is another kind of file")
                            && e.getMessage().contains("pass a descriptor of /dev/net/tun"), e.getMessage());
                    assertTrue(LIBC.fcntl(fd, Sys.F_GETFD, 0) >= 0, "descriptor " + fd + " is left open");
                }
                InvalidDescriptorException notOpen = assertThrows(InvalidDescriptorException.class,
                        () -> TunTap.adopt(100_000));
                assertEquals(Errno.EBADF, notOpen.errorCode());
                assertTrue(notOpen.getMessage().contains("descriptor 100000 is not open in this process"),
                        notOpen.getMessage());
                InvalidDescriptorException clone = assertThrows(InvalidDescriptorException.class,
                        () -> TunTap.adopt(unattached));
                assertEquals(Errno.EBADFD, clone.errorCode());
                assertTrue(clone.getMessage().contains("attached to no interface"), clone.getMessage());
                InvalidDescriptorException pi = assertThrows(InvalidDescriptorException.class,
                        () -> ns.run(() -> TunTap.adopt(noPi)));
                assertTrue(pi.getMessage().contains("made without IFF_NO_PI"), pi.getMessage());
                assertTrue(LIBC.fcntl(noPi, Sys.F_GETFD, 0) >= 0, "a refused TUN descriptor stays the caller's");
                assertTrue(Links.exists(ns, "tad2"), "and its interface stays");
            } finally {
                for (int fd : new int[] {devNull, pipeRead, pipeWrite, udp, unattached, noPi}) {
                    LIBC.close(fd);
                }
            }
        }
    }

    /** What a program in C does: open the clone device and TUNSETIFF; returns the descriptor. */
    private static int createRaw(String name, int flags) throws IOException {
        int fd = LIBC.open(IfTun.CLONE_DEVICE, Sys.O_RDWR | Sys.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open(/dev/net/tun): errno " + LIBC.errno());
        }
        try (Memory ifreq = new Memory(Sys.IFREQ_SIZE)) {
            ifreq.clear();
            ifreq.setString(0, name, StandardCharsets.UTF_8.name());
            ifreq.setShort(Sys.IFREQ_UNION_OFFSET, (short) flags);
            if (LIBC.ioctl(fd, IfTun.TUNSETIFF, Pointer.nativeValue(ifreq)) < 0) {
                int errno = LIBC.errno();
                LIBC.close(fd);
                throw new IOException("TUNSETIFF " + name + ": errno " + errno);
            }
        }
        return fd;
    }
}
