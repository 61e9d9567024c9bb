// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceAddress;
import io.tuntap.OpenPolicy;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Rtnl;
import io.tuntap.linux.jna.Sys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Opens a device: checks the configuration, looks at what exists under the name, creates or attaches one
 * fd per queue, then configures the interface. If any step fails, everything done so far is undone: every
 * fd is closed, and an interface this call created is removed.
 */
final class LinuxDeviceOpener {
    private static final System.Logger LOG = System.getLogger("io.tuntap");

    /** MAX_TAP_QUEUES in drivers/net/tun.c. */
    static final int MAX_QUEUES = 256;

    private final LinuxLibC libc;
    private final Set<Capability> capabilities;
    /** Whether the queues may batch through io_uring ({@link LinuxOptions#IO_URING}); set by {@link #open}. */
    private boolean ioUring = true;

    LinuxDeviceOpener(LinuxLibC libc, Set<Capability> capabilities) {
        this.libc = libc;
        this.capabilities = capabilities;
    }

    LinuxDevice open(DeviceConfig config) throws TunTapException {
        ioUring = config.option(LinuxOptions.IO_URING).orElse(Boolean.TRUE);
        String requested = config.name().orElse(null);
        validate(config, requested);

        Rtnetlink netlink = Rtnetlink.open(libc);
        List<LinuxQueue> queues = new ArrayList<>();
        boolean created = false;
        // Set once this call changes the IFF_VNET_HDR or offload settings of an interface that outlives it: the
        // TUNSETIFF flags that set them back (see restoreAsFound).
        short restore = 0;
        String name = requested == null ? "" : requested;
        try {
            LinkInfo existing = requested == null || LinuxNames.isPattern(requested) ? null : netlink.link(requested);
            checkExisting(config, requested, existing);
            created = existing == null;
            boolean multiQueue = existing != null ? existing.multiQueue() : config.queues() > 1;
            VnetMode vnet = vnetMode(config, existing);
            // An interface found with a virtio-net header keeps the offload settings its owner chose.
            boolean setOffload = vnet != VnetMode.NONE && (existing == null || !existing.vnetHdr());

            short flags = (short) ((config.mode() == DeviceMode.TUN ? IfTun.IFF_TUN : IfTun.IFF_TAP) | IfTun.IFF_NO_PI
                    | (multiQueue ? IfTun.IFF_MULTI_QUEUE : 0)
                    | (vnet != VnetMode.NONE ? IfTun.IFF_VNET_HDR : 0)
                    // A device of this name may appear between the look-up and the ioctl: with EXCL, the
                    // kernel then fails instead of attaching to a device this call did not mean to use.
                    | (created ? IfTun.IFF_TUN_EXCL : 0));
            for (int i = 0; i < config.queues(); i++) {
                name = attachQueue(name, flags, i == 0 ? config.openPolicy() : OpenPolicy.ATTACH_EXISTING, queues,
                        vnet, setOffload);
                if (setOffload && !created) {
                    // The interface outlives this handle: closing puts its offload settings back.
                    restore = (short) (flags & ~IfTun.IFF_VNET_HDR);
                } else if (vnet == VnetMode.NONE && existing != null && existing.vnetHdr()) {
                    // A plain attach clears the interface's IFF_VNET_HDR: closing sets it again.
                    restore = (short) (flags | IfTun.IFF_VNET_HDR);
                }
                // Later queues join the interface the first one made.
                flags = (short) (flags & ~IfTun.IFF_TUN_EXCL);
            }
            int fd = queues.get(0).fd();
            // Only what differs from the interface found (see configure).
            if (config.persistent() && (existing == null || !existing.persistent())) {
                ioctlValue(fd, IfTun.TUNSETPERSIST, 1, "TUNSETPERSIST", name);
            }
            if (config.owner().isPresent() && (existing == null || existing.owner() != config.owner().getAsInt())) {
                ioctlValue(fd, IfTun.TUNSETOWNER, config.owner().getAsInt(), "TUNSETOWNER", name);
            }
            if (config.group().isPresent() && (existing == null || existing.group() != config.group().getAsInt())) {
                ioctlValue(fd, IfTun.TUNSETGROUP, config.group().getAsInt(), "TUNSETGROUP", name);
            }
            LinkInfo link = netlink.link(name);
            if (link == null) {
                throw LinuxErrors.linkGone(name, "vanished right after it was opened");
            }
            // Without a virtio-net header this handle has no offload, whatever the kernel offers.
            Set<Capability> deviceCapabilities = vnet != VnetMode.NONE ? capabilities
                    : capabilities.stream().filter(c -> c != Capability.OFFLOAD).collect(Collectors.toUnmodifiableSet());
            LinuxDeviceImpl device = config.mode() == DeviceMode.TUN
                    ? new LinuxTunDevice(libc, netlink, name, link.index(), queues, deviceCapabilities)
                    : new LinuxTapDevice(libc, netlink, name, link.index(), queues, deviceCapabilities);
            if (created && config.persistent() && setOffload) {
                restore = (short) (flags & ~IfTun.IFF_VNET_HDR);
            }
            if (restore != 0) {
                device.restoreOnClose(restore);
            }
            try {
                configure(device, config, link);
            } catch (TunTapException | RuntimeException e) {
                device.releaseEventSocket(); // the queues and the configuration socket go below
                throw e;
            }
            return device;
        } catch (TunTapException | RuntimeException e) {
            undo(queues, netlink, created && config.persistent());
            if (restore != 0) {
                restoreAsFound(libc, netlink, name, restore);
            }
            netlink.close();
            throw e;
        }
    }

    /**
     * Which virtio-net header handling the configuration asks for and this kernel allows.
     *
     * <p>The offload settings (IFF_VNET_HDR and TUNSETOFFLOAD) belong to the interface, not to the fd: they
     * stay after the fd is closed, and a later plain reader of the interface then gets TCP super-packets of
     * up to 64 KB with unfinished checksums. An interface this call does not create is therefore left with
     * the settings it was found with. {@link io.tuntap.Offload#AUTO} uses offload on an interface whose whole
     * life is this handle's (one this call creates, not persistent), keeps the header of a TUN interface
     * that has one already (without touching its offload settings), and means plain I/O on any other. An
     * explicit {@link io.tuntap.Offload#VIRTIO_NET_HDR} is the user's choice and is taken; where it changes
     * an interface that outlives the handle, {@link #restoreAsFound} undoes the change on close. Where a
     * plain attach clears an interface's IFF_VNET_HDR (OFF, or a TAP device), close sets it again.
     *
     * @param existing the interface found under the name, or null if this call creates one
     */
    private VnetMode vnetMode(DeviceConfig config, LinkInfo existing) {
        if (!capabilities.contains(Capability.OFFLOAD)) {
            return VnetMode.NONE;
        }
        boolean tun = config.mode() == DeviceMode.TUN;
        return switch (config.offload()) {
            case OFF -> VnetMode.NONE;
            // Splitting and coalescing work on IP packets: a TAP device's frames go without offload.
            case AUTO -> tun && (existing == null ? !config.persistent() : existing.vnetHdr())
                    ? VnetMode.SPLIT : VnetMode.NONE;
            case VIRTIO_NET_HDR -> VnetMode.RAW;
        };
    }

    /**
     * Leaves an interface as this library found it, after its handle closed: attaches once more with the
     * IFF_VNET_HDR the interface had (TUNSETIFF sets or clears the flag on the interface), and where that is
     * none, sets no offload ({@code TUNSETOFFLOAD 0}, the state of a new device, which the handle changed).
     * Best effort, called from close: a failure leaves the interface as the handle had it.
     *
     * @param flags the TUNSETIFF flags to attach with, IFF_VNET_HDR as found
     */
    static void restoreAsFound(LinuxLibC libc, Rtnetlink netlink, String name, short flags) {
        try {
            // Only an interface that is there: TUNSETIFF on a name that is gone would create a new one.
            if (netlink.link(name) == null) {
                return;
            }
        } catch (TunTapException e) {
            return;
        }
        int fd = libc.open(IfTun.CLONE_DEVICE, Sys.O_RDWR | Sys.O_CLOEXEC);
        if (fd < 0) {
            return;
        }
        try (Memory ifreq = new Memory(Sys.IFREQ_SIZE)) {
            ifreq.clear();
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            ifreq.write(0, nameBytes, 0, nameBytes.length);
            ifreq.setShort(Sys.IFREQ_UNION_OFFSET, (short) (flags & ~IfTun.IFF_TUN_EXCL));
            if (libc.ioctl(fd, IfTun.TUNSETIFF, Pointer.nativeValue(ifreq)) == 0 && (flags & IfTun.IFF_VNET_HDR) == 0) {
                libc.ioctl(fd, IfTun.TUNSETOFFLOAD, 0);
            }
        } finally {
            libc.close(fd);
        }
    }

    private void validate(DeviceConfig config, String name) throws TunTapException {
        if (name != null) {
            LinuxNames.check(name);
            if (LinuxNames.isPattern(name) && config.openPolicy() == OpenPolicy.ATTACH_EXISTING) {
                throw LinuxErrors.nameIsAPattern(name);
            }
        }
        if (config.queues() > MAX_QUEUES) {
            throw LinuxErrors.tooManyQueues(config.queues(), MAX_QUEUES);
        }
        if (config.queues() > 1 && !capabilities.contains(Capability.MULTI_QUEUE)) {
            throw LinuxErrors.noMultiQueue();
        }
        if (config.offload() == io.tuntap.Offload.VIRTIO_NET_HDR && !capabilities.contains(Capability.OFFLOAD)) {
            throw LinuxErrors.noVnetHeader();
        }
        Capability modeCapability = config.mode() == DeviceMode.TUN ? Capability.TUN : Capability.TAP;
        if (!capabilities.contains(modeCapability)) {
            throw LinuxErrors.modeNotOffered(config.mode());
        }
    }

    private static void checkExisting(DeviceConfig config, String name, LinkInfo existing) throws TunTapException {
        if (existing == null) {
            if (config.openPolicy() == OpenPolicy.ATTACH_EXISTING) {
                throw LinuxErrors.nothingToAttach(name);
            }
            return;
        }
        if (config.openPolicy() == OpenPolicy.CREATE_NEW) {
            throw LinuxErrors.nameTaken(name);
        }
        if (!existing.isTun()) {
            throw LinuxErrors.nameOfAnotherKind(name, config.mode(), existing.kind());
        }
        DeviceMode existingMode = existing.tunType() == IfTun.IFF_TAP ? DeviceMode.TAP : DeviceMode.TUN;
        if (existingMode != config.mode()) {
            throw LinuxErrors.otherMode(name, config.mode(), existingMode);
        }
        if (!existing.multiQueue() && config.queues() > 1) {
            throw LinuxErrors.singleQueueDevice(name, config.queues());
        }
    }

    /** Opens the clone device and attaches it with TUNSETIFF; returns the interface name the kernel reports. */
    private String attachQueue(String name, short flags, OpenPolicy policy, List<LinuxQueue> queues, VnetMode vnet,
            boolean setOffload) throws TunTapException {
        int fd = libc.open(IfTun.CLONE_DEVICE, Sys.O_RDWR | Sys.O_NONBLOCK | Sys.O_CLOEXEC);
        if (fd < 0) {
            int errno = libc.errno();
            if (errno == Errno.EACCES || errno == Errno.EPERM) {
                throw LinuxProbe.cloneDeviceDenied(libc, errno);
            }
            throw LinuxErrors.of("open(" + IfTun.CLONE_DEVICE + ")", errno, switch (errno) {
                case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> "the kernel's tun driver is not available: load it "
                        + "with 'modprobe tun' (kernel option CONFIG_TUN), or in a container pass the device in "
                        + "(e.g. --device /dev/net/tun)";
                default -> LinuxErrors.POSIX.common(errno) != null ? LinuxErrors.POSIX.common(errno) : "cannot open the tun driver";
            });
        }
        try (Memory ifreq = new Memory(Sys.IFREQ_SIZE)) {
            ifreq.clear();
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            ifreq.write(0, nameBytes, 0, nameBytes.length);
            ifreq.setShort(Sys.IFREQ_UNION_OFFSET, flags);
            if (libc.ioctl(fd, IfTun.TUNSETIFF, Pointer.nativeValue(ifreq)) < 0) {
                int errno = libc.errno();
                libc.close(fd);
                throw setIffError(errno, name.isEmpty() ? "a new device" : name, policy);
            }
            String actual = ifreq.getString(0, StandardCharsets.UTF_8.name());
            // Without TUNSETOFFLOAD here, whether the kernel takes UDP segments is unknown: TCP only.
            boolean udpSegmentation = setOffload && enableOffload(libc, fd) == FULL_OFFLOAD;
            queues.add(LinuxQueue.open(libc, fd, actual, queues.size(), mode(flags), vnet, udpSegmentation, ioUring));
            return actual;
        }
    }

    private static DeviceMode mode(short flags) {
        return (flags & IfTun.IFF_TAP) != 0 ? DeviceMode.TAP : DeviceMode.TUN;
    }

    /** TSO and USO (Linux 6.2+) with checksum offload. */
    static final int FULL_OFFLOAD = IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6 | IfTun.TUN_F_USO4
            | IfTun.TUN_F_USO6;
    /** What kernels before 6.2 take. */
    static final int TCP_OFFLOAD = IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6;

    /**
     * Tells the kernel which offloads this queue takes, the most first: the kernel answers EINVAL to any
     * flag it does not know ("a way to test for new features", drivers/net/tun.c), so refusals step down.
     * With none accepted the header stays, describing plain packets only.
     *
     * @return the flags the kernel accepted, possibly 0
     */
    static int enableOffload(LinuxLibC libc, int fd) {
        for (int offload : new int[] {FULL_OFFLOAD, TCP_OFFLOAD, IfTun.TUN_F_CSUM}) {
            if (libc.ioctl(fd, IfTun.TUNSETOFFLOAD, offload) == 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> "tuntap: offload probe: the kernel took TUNSETOFFLOAD 0x"
                        + Integer.toHexString(offload) + (offload == FULL_OFFLOAD ? " (checksum, TSO and USO)"
                        : offload == TCP_OFFLOAD ? " (checksum and TSO; no USO before Linux 6.2)" : " (checksum only)"));
                return offload;
            }
        }
        libc.ioctl(fd, IfTun.TUNSETOFFLOAD, 0);
        LOG.log(System.Logger.Level.DEBUG, "tuntap: offload probe: the kernel refused every TUNSETOFFLOAD; the "
                + "virtio-net header stays, describing plain packets only");
        return 0;
    }

    private TunTapException setIffError(int errno, String name, OpenPolicy policy) {
        String call = "ioctl(TUNSETIFF) on " + name;
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> LinuxErrors.of(call, errno, "permission denied (uid "
                    + libc.geteuid() + "): creating a device, or attaching to one you do not own, needs CAP_NET_ADMIN. "
                    + "To go without it, " + LinuxErrors.PRIVILEGE_FIX.replace("run as root, or ", ""));
            // tun_attach answers EBUSY when a single-queue device already has its queue attached
            // (drivers/net/tun.c): some open file still holds it, which is not always a live handle.
            case Errno.EBUSY -> LinuxErrors.of(call, errno, policy == OpenPolicy.ATTACH_EXISTING
                    || policy == OpenPolicy.CREATE_OR_ATTACH
                    ? name + " is a single-queue device whose queue a file still holds: an open handle in this "
                    + "or another program, or one closed a moment ago whose file the kernel has not let go of yet "
                    + "(another program's io_uring that registered the device's fd keeps it until a kernel worker "
                    + "has torn the ring down, tens of milliseconds after it closed or exited); close that handle, "
                    + "or retry shortly, or create the device with queues(n) for several"
                    : name + " already exists (it appeared while this device was being created); choose another name");
            case Errno.EINVAL -> LinuxErrors.of(call, errno, name + " exists with other settings: as an interface of "
                    + "another kind, or as TUN instead of TAP (or the reverse), or with a different multi-queue flag");
            default -> LinuxErrors.ofCommon(call, errno, "the kernel refused to create or attach " + name);
        };
    }

    private void ioctlValue(int fd, long request, int value, String requestName, String name) throws TunTapException {
        if (libc.ioctl(fd, request, value) < 0) {
            int errno = libc.errno();
            throw LinuxErrors.ofCommon("ioctl(" + requestName + ") on " + name, errno, "cannot apply " + requestName
                    + "(" + value + ") to " + name);
        }
    }

    /**
     * Applies the configuration, asking only for changes: each setting equal to what the interface already
     * has is skipped. Every change needs CAP_NET_ADMIN, so an unprivileged user can attach to a persistent
     * device that root has configured as long as the configuration asks for nothing new.
     *
     * @param link the interface as it is now
     */
    private static void configure(LinuxDevice device, DeviceConfig config, LinkInfo link) throws TunTapException {
        List<String> changed = new ArrayList<>();
        configure(device, config, link, changed);
        LOG.log(System.Logger.Level.DEBUG, () -> "tuntap: opened " + device.name() + " (#" + device.index() + ", "
                + device.mode() + ", " + device.queues().size() + " queue(s)); open changed: "
                + (changed.isEmpty() ? "nothing" : String.join(", ", changed)));
    }

    private static void configure(LinuxDevice device, DeviceConfig config, LinkInfo link, List<String> changed)
            throws TunTapException {
        if (config.mtu().isPresent() && config.mtu().getAsInt() != link.mtu()) {
            device.setMtu(config.mtu().getAsInt());
            changed.add("MTU " + link.mtu() + " -> " + config.mtu().getAsInt());
        }
        if (config.macAddress().isPresent() && device instanceof LinuxTapDevice tap
                && !Arrays.equals(config.macAddress().get().toByteArray(), link.mac())) {
            tap.setMacAddress(config.macAddress().get());
            changed.add("MAC " + config.macAddress().get());
        }
        if (config.up() && (link.flags() & Rtnl.IFF_UP) == 0) {
            device.setUp(true);
            changed.add("link up");
        }
        // Addresses last: an IPv6 address needs the final MTU, and the kernel adds its routes on an up link.
        List<DeviceAddress> present = config.addresses().isEmpty() ? List.of() : device.addresses();
        for (DeviceAddress address : config.addresses()) {
            if (!present.contains(address)) {
                device.addAddress(address);
                changed.add("address " + address);
            }
        }
        // Routes after the addresses: a gateway must be on a network the interface reaches. An attached
        // device may have them already.
        List<Route> presentRoutes = config.routes().isEmpty() ? List.of() : device.routes();
        for (Route route : config.routes()) {
            if (!presentRoutes.contains(route)) {
                device.addRoute(route);
                changed.add("route " + route);
            }
        }
    }

    private void undo(List<LinuxQueue> queues, Rtnetlink netlink, boolean madePersistent) {
        if (madePersistent && !queues.isEmpty()) {
            // The interface was created by this call: without persistence, closing its last fd removes it.
            libc.ioctl(queues.get(0).fd(), IfTun.TUNSETPERSIST, 0);
        }
        for (LinuxQueue q : queues) {
            q.close();
        }
    }
}
