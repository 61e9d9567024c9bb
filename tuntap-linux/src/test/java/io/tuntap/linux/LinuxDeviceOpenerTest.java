// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.intThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.LinuxLibC;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Opening against a mocked libc: every failure path gives the right exception and leaks nothing. */
class LinuxDeviceOpenerTest {
    private static final int NETLINK_FD = 30;
    private static final int TUN_FD = 31;
    private static final Set<Capability> ALL = EnumSet.allOf(Capability.class);

    private LinuxLibC libc;
    private final AtomicInteger errno = new AtomicInteger();
    private final AtomicInteger lastSequence = new AtomicInteger();

    @BeforeEach
    void mockLibc() {
        libc = mock(LinuxLibC.class);
        when(libc.errno()).thenAnswer(i -> errno.get());
        when(libc.geteuid()).thenReturn(1000);
        when(libc.socket(anyInt(), anyInt(), anyInt())).thenReturn(NETLINK_FD);
        when(libc.send(eq(NETLINK_FD), anyLong(), anyLong(), anyInt())).thenAnswer(i -> {
            lastSequence.set(new Pointer(i.getArgument(1)).getInt(8));
            return i.getArgument(2);
        });
        // Every rtnetlink request is answered "no such device": nothing exists under the name yet.
        when(libc.recv(eq(NETLINK_FD), anyLong(), anyLong(), anyInt())).thenAnswer(i -> {
            Pointer p = new Pointer(i.getArgument(1));
            p.setInt(0, 36);
            p.setShort(4, (short) 2); // NLMSG_ERROR
            p.setShort(6, (short) 0);
            p.setInt(8, lastSequence.get());
            p.setInt(12, 0);
            p.setInt(16, -Errno.ENODEV);
            return 36L;
        });
    }

    private LinuxDevice open(DeviceConfig config) throws TunTapException {
        return new LinuxDeviceOpener(libc, ALL).open(config);
    }

    private void failNext(int error) {
        errno.set(error);
    }

    @Test
    void aMissingTunDriverSaysToLoadIt() {
        when(libc.open(eq(IfTun.CLONE_DEVICE), anyInt())).thenAnswer(i -> {
            failNext(Errno.ENOENT);
            return -1;
        });
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                () -> open(DeviceConfig.tun().name("tun9").build()));
        assertTrue(e.getMessage().startsWith("open(/dev/net/tun) failed with ENOENT"), e.getMessage());
        assertTrue(e.getMessage().contains("modprobe tun"), e.getMessage());
        verify(libc).close(NETLINK_FD);
    }

    @Test
    void permissionDeniedNamesCapNetAdminAndOwnershipAndClosesEverything() {
        when(libc.open(eq(IfTun.CLONE_DEVICE), anyInt())).thenReturn(TUN_FD);
        when(libc.ioctl(eq(TUN_FD), eq(IfTun.TUNSETIFF), anyLong())).thenAnswer(i -> {
            failNext(Errno.EPERM);
            return -1;
        });
        DevicePermissionException e = assertThrows(DevicePermissionException.class,
                () -> open(DeviceConfig.tun().name("tun9").build()));
        assertTrue(e.getMessage().contains("ioctl(TUNSETIFF) on tun9 failed with EPERM"), e.getMessage());
        assertTrue(e.getMessage().contains("CAP_NET_ADMIN") && e.getMessage().contains("uid 1000")
                && e.getMessage().contains("persistent device owned by your uid"), e.getMessage());
        verify(libc).close(TUN_FD);
        verify(libc).close(NETLINK_FD);
    }

    @Test
    void busyIsABusyException() {
        when(libc.open(eq(IfTun.CLONE_DEVICE), anyInt())).thenReturn(TUN_FD);
        when(libc.ioctl(eq(TUN_FD), eq(IfTun.TUNSETIFF), anyLong())).thenAnswer(i -> {
            failNext(Errno.EBUSY);
            return -1;
        });
        DeviceBusyException e = assertThrows(DeviceBusyException.class,
                () -> open(DeviceConfig.tun().name("tun9").build()));
        // Not only a live handle holds a queue: a file closed a moment ago may not be released yet.
        assertTrue(e.getMessage().contains("ioctl(TUNSETIFF) on tun9 failed with EBUSY")
                && e.getMessage().contains("closed a moment ago") && e.getMessage().contains("retry shortly")
                && e.getMessage().contains("queues(n)"), e.getMessage());
        verify(libc).close(TUN_FD);
    }

    @Test
    void invalidInputIsRejectedBeforeAnyNativeCall() {
        assertThrows(InvalidConfigurationException.class, () -> open(DeviceConfig.tun().name("way-too-long-name").build()));
        assertThrows(InvalidConfigurationException.class, () -> open(DeviceConfig.tun().queues(257).build()));
        verifyNoInteractions(libc);
    }

    @Test
    void featuresTheKernelLacksAreRefusedBeforeAnyNativeCall() {
        Set<Capability> old = EnumSet.of(Capability.TUN, Capability.TAP);
        assertThrows(UnsupportedFeatureException.class,
                () -> new LinuxDeviceOpener(libc, old).open(DeviceConfig.tun().queues(2).build()));
        assertThrows(UnsupportedFeatureException.class,
                () -> new LinuxDeviceOpener(libc, EnumSet.of(Capability.TUN)).open(DeviceConfig.tap().build()));
        verifyNoInteractions(libc);
    }

    @Test
    void attachingToANameThatDoesNotExistIsNotFound() {
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class, () -> open(DeviceConfig.tun()
                .name("tun9").openPolicy(io.tuntap.OpenPolicy.ATTACH_EXISTING).build()));
        assertTrue(e.getMessage().contains("no interface of that name"), e.getMessage());
        verify(libc).close(NETLINK_FD);
        verify(libc, org.mockito.Mockito.never()).open(anyString(), anyInt());
    }

    @Test
    void anInaccessibleCloneDeviceIsAPermissionProblemNamingTheNodeItsModeAndTheFixes() {
        when(libc.open(eq(IfTun.CLONE_DEVICE), anyInt())).thenAnswer(i -> {
            failNext(Errno.EACCES);
            return -1;
        });
        DevicePermissionException e = assertThrows(DevicePermissionException.class,
                () -> open(DeviceConfig.tun().name("tun9").build()));
        assertTrue(e.getMessage().startsWith("open(/dev/net/tun) failed with EACCES"), e.getMessage());
        assertTrue(e.getMessage().contains("/dev/net/tun (mode ") && e.getMessage().contains("uid 1000")
                && e.getMessage().contains("chmod 0666 /dev/net/tun") && e.getMessage().contains("run as root"),
                e.getMessage());
        verify(libc).close(NETLINK_FD);
    }

    @Test
    void theProbeCallsAnInaccessibleCloneDeviceAvailableButDenied() throws Exception {
        when(libc.open(eq(IfTun.CLONE_DEVICE), anyInt())).thenAnswer(i -> {
            failNext(Errno.EACCES);
            return -1;
        });
        LinuxProbe probe = LinuxProbe.probe(libc);
        assertTrue(probe.availability.isAvailable(), "the right backend, with a permission problem: "
                + probe.availability);
        assertTrue(probe.availability.detail().contains("not readable and writable by uid 1000"),
                probe.availability.detail());
        assertTrue(probe.accessErrno == Errno.EACCES);
    }

    @Test
    void theModeInThePermissionMessageIsTheNodes() throws Exception {
        java.nio.file.Path node = java.nio.file.Files.createTempFile("tun", "");
        try {
            java.nio.file.Files.setPosixFilePermissions(node,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            TunTapException e = LinuxProbe.cloneDeviceDenied(libc, Errno.EACCES, node);
            assertTrue(e instanceof DevicePermissionException);
            assertTrue(e.getMessage().contains("(mode 0600, owner uid "), e.getMessage());
        } finally {
            java.nio.file.Files.delete(node);
        }
    }

    @Test
    void anFdLimitMetOnTheSecondQueueClosesEachFdOfTheOpenOnceAndNoOther() {
        int wakeFd = 32;
        int secondTunFd = 33;
        when(libc.open(eq(IfTun.CLONE_DEVICE), anyInt())).thenReturn(TUN_FD, secondTunFd);
        AtomicInteger eventfds = new AtomicInteger();
        when(libc.eventfd(anyInt(), anyInt())).thenAnswer(i -> {
            if (eventfds.getAndIncrement() == 0) {
                return wakeFd;
            }
            failNext(Errno.EMFILE);
            return -1;
        });
        TunTapException e = assertThrows(TunTapException.class,
                () -> open(DeviceConfig.tun().name("tun9").queues(2).build()));
        assertTrue(e.getMessage().startsWith("eventfd failed with EMFILE"), e.getMessage());
        for (int fd : new int[] {NETLINK_FD, TUN_FD, wakeFd, secondTunFd}) {
            verify(libc, times(1)).close(fd);
        }
        verify(libc, never()).close(intThat(fd -> fd != NETLINK_FD && fd != TUN_FD && fd != wakeFd
                && fd != secondTunFd));
    }
}
