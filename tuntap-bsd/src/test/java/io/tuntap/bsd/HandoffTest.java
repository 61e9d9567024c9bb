// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidDescriptorException;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.UnixRights;
import io.tuntap.testkit.Packets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DeviceHandoff on FreeBSD, OpenBSD, NetBSD and macOS against their fake kernels, whose sendmsg and recvmsg
 * check the control message as each system's unp_internalize does and number the passed descriptors anew: a
 * launcher (root) hands its TUN device to an unprivileged receiver (uid 1000), which reads and writes packets
 * on it after the launcher has closed its handle.
 */
class HandoffTest {
    /** Wide: the machine running the suite may be loaded. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    static FakeKernel[] kernels() {
        return Fakes.all();
    }

    private static CompletableFuture<TunTapDevice> receiveAs(FakeKernel k, int uid, Path socket) {
        return CompletableFuture.supplyAsync(() -> {
            k.threadUid.set(uid);
            try {
                return BsdHandoff.receive(Fakes.context(k), Fakes.system(k), socket, WAIT);
            } catch (TunTapException e) {
                throw new java.util.concurrent.CompletionException(e);
            } finally {
                k.threadUid.remove();
            }
        });
    }

    private static Throwable cause(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        return e.getCause();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aTunHandedToAnUnprivilegedReceiverCarriesPacketsAfterTheLauncherClosed(FakeKernel k) throws Exception {
        Path socket = dir.resolve("tun.sock");
        CompletableFuture<TunTapDevice> received = receiveAs(k, 1000, socket);
        String name;
        int launcherFds;
        try (BsdTunTapDevice launcher = Fakes.open(k, DeviceConfig.tun().build())) {
            name = launcher.name();
            launcherFds = k.openFds();
            BsdHandoff.send(Fakes.context(k), launcher, socket, WAIT);
        }
        try (TunTapDevice d = received.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            assertInstanceOf(TunDevice.class, d);
            assertEquals(name, d.name());
            assertNotNull(k.get(name), "the launcher's close left the interface to the receiver");
            assertFalse(Files.exists(socket), "the receiver removed its socket");
            d.setUp(true);
            byte[] out = Packets.udp(new InetSocketAddress("10.3.0.2", 1), new InetSocketAddress("10.3.0.1", 2),
                    new byte[8]);
            d.write(out);
            ByteBuffer got = ByteBuffer.allocate(200);
            assertEquals(out.length, k.host(name).read(got, WAIT));
            assertArrayEquals(out, Arrays.copyOf(got.array(), out.length));
            assertTrue(((FakeKernel.Fd) k.get(name).owner).closeOnExec, "the received descriptor is close-on-exec");
            assertTrue(k.openFds() <= launcherFds, "the launcher's descriptors are gone; nothing else stayed open");
        }
        assertEquals(0, k.openFds(), "the receiver's close closed everything");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void anotherUsersSenderIsRefusedAndKeepsItsDevice(FakeKernel k) throws Exception {
        Path socket = dir.resolve("tun.sock");
        CompletableFuture<TunTapDevice> received = receiveAs(k, 1000, socket);
        try (BsdTunTapDevice launcher = Fakes.open(k, DeviceConfig.tun().build())) {
            k.threadUid.set(2000); // neither root nor the receiver's user
            TunTapException refused = assertThrows(TunTapException.class,
                    () -> BsdHandoff.send(Fakes.context(k), launcher, socket, WAIT));
            // Whether the receiver hangs up before or after the descriptor went, the sender says it was not taken.
            assertTrue(refused.getMessage().contains("the receiver closed the connection"), refused.getMessage());
            k.threadUid.remove();
            DevicePermissionException e = assertInstanceOf(DevicePermissionException.class, cause(received));
            assertTrue(e.getMessage().contains("uid 2000 connected"), e.getMessage());
            assertTrue(e.getMessage().contains("only root or this user (uid 1000)"), e.getMessage());
            assertTrue(launcher.isOpen());
            assertNotNull(k.get(launcher.name()));
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aPipeSentInsteadIsRefusedAndClosedOnTheReceiversSide(FakeKernel k) throws Exception {
        Path socket = dir.resolve("tun.sock");
        CompletableFuture<TunTapDevice> received = receiveAs(k, 1000, socket);
        int pipe = AdoptChecks.pipe(k);
        UnixRights abi = UnixRights.of(k.abi.os);
        // A hand-made sender: the same bytes DeviceHandoff.send would put on the socket, with a pipe inside.
        try (BsdContext.Request address = new BsdContext.Request(UnixRights.SOCKADDR_UN_SIZE);
                BsdContext.Request msg = new BsdContext.Request(abi.messageSize(1))) {
            int length = UnixRights.putSockaddr(address.view, socket.toString());
            int fd = k.socket(UnixRights.AF_UNIX, UnixRights.SOCK_STREAM, 0);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (k.connect(fd, address.address, length) != 0) {
                assertTrue(System.nanoTime() < deadline, "the receiver never listened");
                Thread.sleep(20);
            }
            abi.putMessage(msg.view, msg.address, (byte) 'T', new int[] {pipe}, 0);
            assertEquals(1, k.sendmsg(fd, msg.address, abi.msgNoSignal));
            InvalidDescriptorException e = assertInstanceOf(InvalidDescriptorException.class, cause(received));
            assertTrue(e.getMessage().matches("(?s).*not a (tun or tap|utun).*"), e.getMessage());
            k.close(fd);
        }
        assertEquals(2, k.openFds(), "only the pipe's two ends: the receiver closed the descriptor it was given "
                + "and its sockets");
        assertTrue(k.fcntl(pipe, BsdAbi.F_GETFL, 0) >= 0);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aSocketPathThatExistsIsRefused(FakeKernel k) throws Exception {
        Path socket = Files.createFile(dir.resolve("taken.sock"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        DeviceBusyException e = assertThrows(DeviceBusyException.class,
                () -> BsdHandoff.receive(Fakes.context(k), Fakes.system(k), socket, Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("exists already"), e.getMessage());
        assertTrue(Files.exists(socket), "left as found");
    }
}
