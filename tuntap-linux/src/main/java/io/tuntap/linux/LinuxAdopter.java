// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidDescriptorException;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Sys;
import io.tuntap.spi.ErrorMessages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Takes over {@code /dev/net/tun} descriptors made elsewhere. Each is asked {@code TUNGETIFF} for the name and
 * flags of the interface it is attached to (drivers/net/tun.c answers EBADFD for a descriptor attached to none,
 * and a file of another kind has no such ioctl), and the interface is looked up over rtnetlink for its index
 * and for what TUNGETIFF cannot tell: {@code IFF_NOFILTER} (0x1000, read-only) has the value of
 * {@code IFF_NO_PI} (include/uapi/linux/if_tun.h) and is set whenever no socket filter is attached, so only
 * rtnetlink's {@code IFLA_TUN_PI} says whether packets carry a {@code struct tun_pi}.
 *
 * <p>The device works on duplicates ({@code F_DUPFD_CLOEXEC}) until everything has succeeded, and only then
 * closes the caller's descriptors: a failure leaves them open and as found.
 */
final class LinuxAdopter {
    private final LinuxLibC libc;

    LinuxAdopter(LinuxLibC libc) {
        this.libc = libc;
    }

    TunTapDevice adopt(int[] fds) throws TunTapException {
        if (fds.length == 0) {
            throw new IllegalArgumentException("adopt needs at least one descriptor");
        }
        String name = null;
        short flags = 0;
        for (int fd : fds) {
            int fileFlags = libc.fcntl(fd, Sys.F_GETFL, 0);
            if (fileFlags < 0) {
                int errno = libc.errno();
                throw invalid("fcntl(F_GETFL) on descriptor " + fd, errno, "descriptor " + fd + " is not open in "
                        + "this process; pass a descriptor it holds (one received with SCM_RIGHTS is renumbered: "
                        + "use the number recvmsg gave)");
            }
            String[] queueName = new String[1];
            short queueFlags = tunGetIff(fd, queueName);
            if (name != null && !name.equals(queueName[0])) {
                throw invalid("adopt", 0, "descriptor " + fd + " is attached to " + queueName[0] + ", the others to "
                        + name + "; pass the queues of one interface together");
            }
            name = queueName[0];
            flags = queueFlags;
        }
        DeviceMode mode = (flags & IfTun.IFF_TAP) != 0 ? DeviceMode.TAP : DeviceMode.TUN;
        boolean vnetHeader = (flags & IfTun.IFF_VNET_HDR) != 0;
        if (fds.length > 1 && (flags & IfTun.IFF_MULTI_QUEUE) == 0) {
            throw invalid("adopt", 0, name + " is a single-queue device, but " + fds.length + " descriptors were "
                    + "given; pass one");
        }
        if (vnetHeader) {
            checkVnetHeaderSize(fds[0], name);
        }
        Rtnetlink netlink = Rtnetlink.open(libc);
        List<LinuxQueue> queues = new ArrayList<>();
        int[] savedFlags = new int[fds.length];
        int changed = 0;
        try {
            LinkInfo link = netlink.link(name);
            if (link == null) {
                throw LinuxErrors.linkGone(name, "is not in this thread's network namespace (the descriptor was "
                        + "made in another one, or the interface was deleted); adopt it from a thread in the "
                        + "interface's namespace (LinuxNetworkNamespace.call)");
            }
            if (link.packetInfo()) {
                throw invalid("adopt", 0, name + " was made without IFF_NO_PI: each packet comes behind a 4-byte "
                        + "struct tun_pi, which this library does not read or write; create the device with "
                        + "IFF_NO_PI (as 'ip tuntap' and this library do)");
            }
            Set<Capability> capabilities = capabilities(fds[0], mode, vnetHeader);
            VnetMode vnet = vnetHeader ? VnetMode.SPLIT : VnetMode.NONE;
            for (int i = 0; i < fds.length; i++) {
                int own = libc.fcntl(fds[i], Sys.F_DUPFD_CLOEXEC, 0);
                if (own < 0) {
                    throw LinuxErrors.ofCommon("fcntl(F_DUPFD_CLOEXEC) on descriptor " + fds[i], libc.errno(),
                            "cannot duplicate the descriptor");
                }
                // The queue polls a non-blocking descriptor. O_NONBLOCK belongs to the open file, which the
                // caller's descriptor shares: it is put back if this call fails.
                savedFlags[i] = libc.fcntl(own, Sys.F_GETFL, 0);
                if (savedFlags[i] < 0 || libc.fcntl(own, Sys.F_SETFL, savedFlags[i] | Sys.O_NONBLOCK) < 0) {
                    int errno = libc.errno();
                    libc.close(own);
                    throw LinuxErrors.ofCommon("fcntl(F_SETFL, O_NONBLOCK) on descriptor " + fds[i], errno,
                            "cannot make the descriptor non-blocking");
                }
                changed = i + 1;
                // With a virtio-net header the kernel hands over what TUNSETOFFLOAD allows: set it here, as for
                // a device this library opens, since what the maker set cannot be read back.
                boolean udpSegmentation = vnet == VnetMode.SPLIT && LinuxDeviceOpener.enableOffload(libc, own)
                        == LinuxDeviceOpener.FULL_OFFLOAD;
                queues.add(LinuxQueue.open(libc, own, name, i, mode, vnet, udpSegmentation));
            }
            LinuxDeviceImpl device = mode == DeviceMode.TUN
                    ? new LinuxTunDevice(libc, netlink, name, link.index(), queues, capabilities)
                    : new LinuxTapDevice(libc, netlink, name, link.index(), queues, capabilities);
            for (int fd : fds) {
                libc.close(fd); // the device owns its duplicates now
            }
            return device;
        } catch (TunTapException | RuntimeException e) {
            for (LinuxQueue q : queues) {
                q.close();
            }
            for (int i = 0; i < changed; i++) {
                libc.fcntl(fds[i], Sys.F_SETFL, savedFlags[i]);
            }
            netlink.close();
            throw e;
        }
    }

    /** TUNGETIFF: the interface's flags; its name goes to {@code name[0]}. */
    private short tunGetIff(int fd, String[] name) throws TunTapException {
        try (Memory ifreq = new Memory(Sys.IFREQ_SIZE)) {
            ifreq.clear();
            if (libc.ioctl(fd, IfTun.TUNGETIFF, Pointer.nativeValue(ifreq)) < 0) {
                int errno = libc.errno();
                String call = "ioctl(TUNGETIFF) on descriptor " + fd;
                throw invalid(call, errno, errno == Errno.EBADFD
                        ? "descriptor " + fd + " is a /dev/net/tun handle attached to no interface: TUNSETIFF was "
                                + "never called on it, or its interface was deleted; pass it after TUNSETIFF succeeded"
                        : "descriptor " + fd + " is not a TUN/TAP descriptor: it is another kind of file (a pipe, a "
                                + "socket, a regular file or another device such as /dev/null); pass a descriptor of "
                                + "/dev/net/tun attached to an interface with TUNSETIFF");
            }
            name[0] = ifreq.getString(0, StandardCharsets.UTF_8.name());
            return ifreq.getShort(Sys.IFREQ_UNION_OFFSET);
        }
    }

    /** Only the 10-byte {@code struct virtio_net_hdr} is handled. */
    private void checkVnetHeaderSize(int fd, String name) throws TunTapException {
        try (Memory size = new Memory(4)) {
            size.setInt(0, 0);
            if (libc.ioctl(fd, IfTun.TUNGETVNETHDRSZ, Pointer.nativeValue(size)) < 0) {
                throw LinuxErrors.ofCommon("ioctl(TUNGETVNETHDRSZ) on " + name, libc.errno(),
                        "cannot read the virtio-net header size");
            }
            if (size.getInt(0) != IfTun.VIRTIO_NET_HDR_SIZE) {
                throw invalid("adopt", 0, name + " uses a virtio-net header of " + size.getInt(0) + " bytes; this "
                        + "library handles the " + IfTun.VIRTIO_NET_HDR_SIZE + "-byte struct virtio_net_hdr only: "
                        + "leave TUNSETVNETHDRSZ at its default, or create the device without IFF_VNET_HDR");
            }
        }
    }

    /** The kernel's capabilities as TUNGETFEATURES on the descriptor gives them, for this mode and handle. */
    private Set<Capability> capabilities(int fd, DeviceMode mode, boolean vnetHeader) {
        int features;
        try (Memory buf = new Memory(4)) {
            buf.setInt(0, 0);
            features = libc.ioctl(fd, IfTun.TUNGETFEATURES, Pointer.nativeValue(buf)) < 0
                    ? IfTun.IFF_TUN | IfTun.IFF_TAP | IfTun.IFF_NO_PI : buf.getInt(0);
        }
        // The descriptor has its mode whatever the kernel lists.
        features |= mode == DeviceMode.TUN ? IfTun.IFF_TUN : IfTun.IFF_TAP;
        Set<Capability> caps = EnumSet.copyOf(LinuxTunTapProvider.forMode(LinuxProbe.capabilities(features), mode));
        if (!vnetHeader) {
            caps.remove(Capability.OFFLOAD);
        }
        return caps;
    }

    private static InvalidDescriptorException invalid(String call, int errno, String causeAndFix) {
        return new InvalidDescriptorException(call, errno, errno == 0 ? ErrorMessages.failed(call, causeAndFix)
                : Errno.TABLE.message(call, errno, causeAndFix));
    }
}
