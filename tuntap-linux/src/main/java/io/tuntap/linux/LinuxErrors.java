// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static io.tuntap.linux.jna.Errno.EADDRNOTAVAIL;
import static io.tuntap.linux.jna.Errno.ENODEV;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.LinkDownException;
import io.tuntap.MacAddress;
import io.tuntap.PacketTooLargeException;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.posix.PosixErrors;
import io.tuntap.spi.ErrorMessages;
import java.util.Locale;

/**
 * The one place where the Linux backend builds its exceptions. A failed native call becomes an exception
 * through {@link #of} and its relatives: the call site gives the cause and the fix that fit its call, and the
 * errno picks the exception type. A check that finds a problem without the kernel (a bad name, a mode the
 * kernel lacks, an existing device of the wrong kind) has a factory named after what went wrong, and its
 * exception carries error code 0. Every method returns the exception and never throws it, so that a call site
 * reads {@code throw LinuxErrors.nameIsAPattern(name)}.
 */
final class LinuxErrors {
    private LinuxErrors() {
    }

    /** How to get the privilege that creating devices and configuring interfaces needs. */
    static final String PRIVILEGE_FIX = "run as root, or give the JVM CAP_NET_ADMIN "
            + "(setcap cap_net_admin+ep on the java binary), or attach to a persistent device owned by your "
            + "uid or group (made once by root with DeviceConfig.owner(uid).persistent(true), or "
            + "'ip tuntap add dev NAME mode tun user YOU')";

    /** The errno translator over the Linux errno table. */
    static final PosixErrors POSIX = new PosixErrors(Errno.TABLE, PRIVILEGE_FIX);

    /**
     * An exception for a failed native call.
     *
     * @param function the call, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errno the error number
     * @param explanation what it means at this call site and what to do, e.g. {@code "tun0 is in use: ..."}
     */
    static TunTapException of(String function, int errno, String explanation) {
        return POSIX.of(function, errno, explanation);
    }

    /** {@link #of} with the explanation shared by all call sites for this errno if there is one, else {@code otherwise}. */
    static TunTapException ofCommon(String function, int errno, String otherwise) {
        return POSIX.ofCommon(function, errno, otherwise);
    }

    /** The message of a failed call, in the one format. */
    private static String message(String function, int errno, String causeAndFix) {
        return Errno.TABLE.message(function, errno, causeAndFix);
    }

    /** A failed {@code RTM_NEWROUTE} or {@code RTM_DELROUTE}. */
    static TunTapException route(String function, int errno, Route route, String device) {
        String message = message(function, errno, switch (errno) {
            case Errno.EEXIST -> device + " already has the route " + route + "; remove it first or leave it";
            case Errno.ESRCH -> device + " has no route " + route + "; see routes() for the routes it has";
            case Errno.ENETDOWN -> device + " is down; bring it up with setUp(true) before adding routes";
            case Errno.ENETUNREACH -> "the gateway " + route.gateway().map(g -> g.getHostAddress()).orElse("")
                    + " is not on a network " + device + " reaches; add an address whose prefix contains it, or an "
                    + "on-link route to it, first";
            case Errno.EINVAL -> "the kernel refused the route " + route + " on " + device + " (a gateway that is "
                    + "one of the host's own addresses, or IPv6 disabled on the interface)";
            default -> POSIX.common(errno) != null ? POSIX.common(errno) : "cannot change the routes of " + device;
        });
        return switch (errno) {
            case Errno.ENETUNREACH, Errno.EINVAL -> new InvalidConfigurationException(function, errno, message);
            case Errno.ESRCH -> new DeviceNotFoundException(function, errno, message);
            default -> POSIX.typed(function, errno, message);
        };
    }

    /** A failed {@code TUNSETCARRIER}. */
    static TunTapException carrier(int errno, String device) {
        String function = "ioctl(TUNSETCARRIER) on " + device;
        if (errno == Errno.EINVAL || errno == Errno.ENOTTY) {
            return new UnsupportedFeatureException(function, errno, message(function, errno, "this kernel cannot switch a TUN/TAP carrier; TUNSETCARRIER needs Linux 5.0 or "
                            + "later"));
        }
        return ofCommon(function, errno, "cannot switch the carrier of " + device);
    }

    /** A failed {@code TUNSETQUEUE}. */
    static TunTapException queue(int errno, String device, int queue, boolean enable) {
        String function = "ioctl(TUNSETQUEUE) on " + device + " queue " + queue;
        if (errno == Errno.EINVAL) {
            return new InvalidConfigurationException(function, errno, message(function, errno,
                    "queue " + queue + " cannot be " + (enable ? "attached" : "detached") + ": "
                            + device + " is a single-queue device (open it with queues(n) for several), or the "
                            + "queue is " + (enable ? "attached" : "detached") + " already"));
        }
        return ofCommon(function, errno, "cannot " + (enable ? "attach" : "detach") + " queue " + queue + " of "
                + device);
    }

    /** A read whose buffer is too small for the packet, which was dropped. */
    static PacketTooLargeException readTooLarge(String device, int length, int room, int alwaysEnough) {
        return ErrorMessages.readTooLarge(device, length, room, 0, alwaysEnough);
    }

    /** A write of no bytes, refused before the system call. */
    static TunTapException emptyWrite(String device) {
        return new TunTapException("write", 0, ErrorMessages.failed("write to " + device, "the packet is empty: "
                + "a packet needs at least an IP header (TUN) or an Ethernet header (TAP)"));
    }

    /**
     * A TUN write whose first byte (behind the virtio_net_hdr, with one) gives an IP version other than 4 or 6,
     * refused before the system call, as the kernel would refuse it with EINVAL.
     *
     * @param header the length of the virtio_net_hdr in front of each packet (0 if none)
     */
    static TunTapException notAnIpPacket(String device, int version, int header) {
        return new TunTapException("write", 0, ErrorMessages.failed("write to " + device, "the packet's IP version "
                + "(the first 4 bits" + (header > 0 ? " behind the " + header + "-byte virtio_net_hdr" : "") + ") is "
                + version + ", and a TUN device takes only IPv4 (4) and IPv6 (6) packets (the kernel refuses any other "
                + "with EINVAL); nothing was sent. Write whole IP packets, each starting with its IP header"));
    }

    /**
     * A write too short for the device's framing, refused before the system call as the kernel would refuse it
     * with EINVAL: a TAP frame shorter than an Ethernet header, or (with a virtio_net_hdr) a TUN write that
     * holds nothing behind the header.
     *
     * @param length the packet's length behind the header
     * @param least the fewest bytes the device takes there
     * @param header the length of the virtio_net_hdr in front of each packet (0 if none)
     */
    static TunTapException writeTooShort(String device, boolean tun, int length, int least, int header) {
        String unit = tun ? "IP packet" : "Ethernet frame";
        return new TunTapException("write", 0, ErrorMessages.failed("write to " + device, "the " + unit + " has "
                + length + " bytes" + (header > 0 ? " behind its " + header + "-byte virtio_net_hdr" : "")
                + ", and a " + (tun ? "TUN" : "TAP") + " device takes at least " + least
                + (tun ? "" : " (an Ethernet header: destination, source and type)")
                + " (the kernel refuses a shorter one with EINVAL); nothing was sent. Write whole "
                + (tun ? "IP packets" : "Ethernet frames")));
    }

    /**
     * A write longer than the device takes, refused before the system call.
     *
     * @param limit the most this write could have had
     * @param header the length of the virtio_net_hdr in front of each packet (0 if none)
     */
    static PacketTooLargeException writeTooLarge(String device, boolean tun, int length, int limit, int maxIp,
            int header) {
        String rule = tun ? "a TUN device takes IPv4 packets of at most " + maxIp + " bytes and IPv6 packets of at "
                + "most " + (maxIp + 40) + " (the IPv4 total length and the IPv6 payload length are 16-bit fields)"
                + (header > 0 ? ", each behind the " + header + "-byte virtio_net_hdr" : "")
                : "a write can have at most " + limit + " bytes";
        return new PacketTooLargeException("write", length, limit, ErrorMessages.failed("write to " + device + " of "
                + length + " bytes", rule + "; nothing was sent. Split the data into smaller packets"));
    }

    /** A wait on a queue that ended because its thread was interrupted. */
    static DeviceInterruptedException interrupted(String device, int queue) {
        return new DeviceInterruptedException("poll", 0, ErrorMessages.failed("poll on " + device + " queue "
                + queue, "the waiting thread was interrupted; the device is still open"));
    }

    /** A failed read, write or poll on a queue's fd. */
    static TunTapException packetIo(String call, int errno, String device, int queue, boolean rawHeader) {
        return packetIo(call, errno, device, queue, rawHeader, null);
    }

    /** {@link #packetIo(String, int, String, int, boolean)} with {@code context}, if not null, saying where in a batch. */
    static TunTapException packetIo(String call, int errno, String device, int queue, boolean rawHeader,
            String context) {
        String explanation = switch (errno) {
            case Errno.EIO -> device + "'s link is down: bring it up with setUp(true) (the kernel refuses "
                    + "packets on a down interface)";
            case Errno.EINVAL -> "the kernel rejected the packet: a TUN device takes whole IPv4 or IPv6 packets, "
                    + "a TAP device whole Ethernet frames, with no extra header"
                    + (rawHeader ? " other than a valid virtio_net_hdr" : "");
            case Errno.EBADFD -> "queue " + queue + " of " + device + " is detached from its interface: the "
                    + "queue was detached (LinuxDevice.setQueueEnabled(" + queue + ", false); attach it again), or "
                    + "the interface was deleted (by another program, or 'ip link del') while this handle was open "
                    + "(close it and open the device again)";
            case Errno.EFAULT -> "the buffer is not valid native memory; this is a bug";
            default -> "unexpected error on " + device + " queue " + queue;
        } + (context == null ? "" : "; " + context);
        String function = call + "(" + device + ")";
        if (errno == Errno.EIO && call.startsWith("write")) {
            // tun_get_user() in drivers/net/tun.c returns -EIO when the interface lacks IFF_UP: the link is down,
            // and nothing else gives EIO on this path. In old drivers (torvalds/linux 143d9963) that is its first
            // check; in current ones (gregkh/linux 010eee265d6b) it comes after the packet's own checks and the
            // allocation, which is why a batch's packets are checked before any of them is sent.
            return new LinkDownException(function, errno, message(function, errno, explanation));
        }
        if (errno == Errno.EBADFD) {
            // As configuration calls report a vanished interface (mtu() and the like).
            return new DeviceNotFoundException(function, errno, message(function, errno, explanation));
        }
        return of(function, errno, explanation);
    }

    // ---------------------------------------------------------------- open: checks before any system call

    /** An interface name that the kernel would refuse; {@code problem} says why. */
    static InvalidConfigurationException invalidName(String name, String problem) {
        return new InvalidConfigurationException("open", 0, ErrorMessages.failed("open", "invalid interface name '"
                + name + "': " + problem + ". Choose a name of 1 to 15 letters, digits, '-', '_' or '.', such as "
                + "'tun0'"));
    }

    /** A name pattern such as {@code tun%d} given to {@code ATTACH_EXISTING}, which needs an exact name. */
    static InvalidConfigurationException nameIsAPattern(String name) {
        return new InvalidConfigurationException("open", 0, ErrorMessages.failed("open", "'" + name + "' is a "
                + "pattern for a new name; ATTACH_EXISTING needs the exact name of an existing device"));
    }

    /** More queues than the tun driver allows on one device. */
    static InvalidConfigurationException tooManyQueues(int requested, int max) {
        return new InvalidConfigurationException("open", 0, ErrorMessages.failed("open", requested + " queues "
                + "requested; Linux allows at most " + max + " per device"));
    }

    /** Several queues asked of a kernel without {@code IFF_MULTI_QUEUE}. */
    static UnsupportedFeatureException noMultiQueue() {
        return new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open", "this kernel does not offer "
                + "IFF_MULTI_QUEUE (Linux 3.8+); use queues(1)"));
    }

    /** {@code Offload.VIRTIO_NET_HDR} asked of a kernel without {@code IFF_VNET_HDR}. */
    static UnsupportedFeatureException noVnetHeader() {
        return new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open", "this kernel's tun driver "
                + "does not offer IFF_VNET_HDR (TUNGETFEATURES), so Offload.VIRTIO_NET_HDR is not possible; use "
                + "Offload.AUTO or OFF"));
    }

    /** A mode (TUN or TAP) that the kernel's tun driver does not offer. */
    static UnsupportedFeatureException modeNotOffered(DeviceMode mode) {
        return new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open", "this kernel's tun driver "
                + "does not offer " + mode + " devices (TUNGETFEATURES); no option can change that"));
    }

    /** {@code ATTACH_EXISTING} for a name that no interface has. */
    static DeviceNotFoundException nothingToAttach(String name) {
        return new DeviceNotFoundException("open", 0, ErrorMessages.failed("open", "cannot attach to " + name
                + ": there is no interface of that name in this network namespace. Create it (e.g. persistent, "
                + "with DeviceConfig.persistent(true)), or open with OpenPolicy.CREATE_OR_ATTACH"));
    }

    /** {@code CREATE_NEW} for a name that an interface has. */
    static DeviceBusyException nameTaken(String name) {
        return new DeviceBusyException("open", 0, ErrorMessages.failed("open", "cannot create " + name + ": an "
                + "interface of that name exists. Choose another name, leave the name unset, or attach with "
                + "OpenPolicy.CREATE_OR_ATTACH"));
    }

    /** The name belongs to an interface that is not TUN/TAP ({@code kind} null for a physical or loopback one). */
    static DeviceBusyException nameOfAnotherKind(String name, DeviceMode mode, String kind) {
        return new DeviceBusyException("open", 0, ErrorMessages.failed("open", "cannot open " + name + " as a "
                + mode + " device: the name belongs to an interface of another kind ("
                + (kind == null ? "a physical or loopback interface" : "kind '" + kind + "'")
                + "). Choose another name"));
    }

    /** The name belongs to a TUN/TAP device of the other mode. */
    static DeviceBusyException otherMode(String name, DeviceMode requested, DeviceMode existing) {
        return new DeviceBusyException("open", 0, ErrorMessages.failed("open", "cannot open " + name + " as a "
                + requested + " device: it exists as a " + existing + " device. Open it with DeviceConfig."
                + existing.name().toLowerCase(Locale.ROOT) + "(), or choose another name"));
    }

    /** Several queues asked of an existing single-queue device. */
    static InvalidConfigurationException singleQueueDevice(String name, int requested) {
        return new InvalidConfigurationException("open", 0, ErrorMessages.failed("open", "cannot open " + requested
                + " queues on " + name + ": it was created with a single queue. Open it with queues(1), or delete "
                + "it and create it again with more queues ('ip tuntap add ... multi_queue' or "
                + "DeviceConfig.queues(n))"));
    }

    // ---------------------------------------------------------------- configuration

    /**
     * The kernel answered {@code RTM_GETLINK} with ENODEV: the interface is gone.
     *
     * @param name the interface, e.g. {@code "tun0"} or {@code "tun0 (#7)"}
     * @param what how it went, e.g. {@code "vanished right after it was opened"}
     */
    static DeviceNotFoundException linkGone(String name, String what) {
        String call = "rtnetlink RTM_GETLINK";
        return new DeviceNotFoundException(call, ENODEV, message(call, ENODEV,
                "interface " + name + " " + what + ": another program deleted it (or 'ip link del'); close this "
                        + "handle and open the device again"));
    }

    /** A negative transmit queue length. */
    static InvalidConfigurationException negativeTxQueueLength(String name, int packets) {
        return new InvalidConfigurationException("setTxQueueLength", 0, ErrorMessages.failed("setTxQueueLength("
                + packets + ") on " + name, "the length is negative; use 0 or more packets"));
    }

    /** An MTU outside what {@code DeviceConfig} allows, refused before asking the kernel. */
    static InvalidConfigurationException mtuOutOfRange(String name, int mtu, int min, int max) {
        return new InvalidConfigurationException("setMtu", 0, ErrorMessages.failed("setMtu(" + mtu + ") on " + name,
                "MTU " + mtu + " is out of range: use " + min + " to " + max));
    }

    /** The kernel refused an MTU with EINVAL. */
    static InvalidConfigurationException mtuRefused(String name, int mtu, int errno) {
        String call = "rtnetlink RTM_SETLINK IFLA_MTU";
        return new InvalidConfigurationException(call, errno, message(call, errno, name + " does not accept MTU " + mtu + " (a TAP device takes at most 65521, the Ethernet "
                        + "header counts too)"));
    }

    /** {@code RTM_NEWADDR} answered EEXIST. */
    static DeviceBusyException addressExists(String call, String name, IpPrefix local, int errno) {
        return new DeviceBusyException(call, errno, message(call, errno, name + " already has " + local + "; remove it first or skip adding it"));
    }

    /** {@code RTM_NEWADDR} of an IPv6 address answered EACCES: IPv6 is off on the interface. */
    static UnsupportedFeatureException ipv6Disabled(String call, String name, int errno) {
        return new UnsupportedFeatureException(call, errno, message(call, errno, "IPv6 is disabled on " + name + " (sysctl net.ipv6.conf." + name + ".disable_ipv6=1, or IPv6 "
                        + "is off system-wide); enable it, or use IPv4 addresses"));
    }

    /** The address to remove is not on the interface; {@code errno} 0 if the lookup found that first. */
    static DeviceNotFoundException addressMissing(String call, String name, IpPrefix local, int errno) {
        String causeAndFix = name + " does not have " + local + "; see addresses() for what it has";
        return new DeviceNotFoundException(call, errno, errno == 0 ? ErrorMessages.failed(call, causeAndFix)
                : message(call, errno, causeAndFix));
    }

    /** A multicast, broadcast or all-zero MAC address, refused before asking the kernel. */
    static InvalidConfigurationException macNotUnicast(String name, MacAddress address, String kind) {
        return new InvalidConfigurationException("setMacAddress", 0, ErrorMessages.failed("setMacAddress(" + address
                + ") on " + name, "MAC address " + address + " is " + kind + "; an interface needs a unicast, "
                + "non-zero one (lowest bit of the first byte clear), e.g. " + MacAddress.randomLocal()));
    }

    /** The kernel's answer {@code errno} to setting {@code address} on {@code name}. */
    static TunTapException macRefused(String name, MacAddress address, int errno) {
        String call = "rtnetlink RTM_SETLINK IFLA_ADDRESS";
        if (errno == EADDRNOTAVAIL) {
            // eth_prepare_mac_addr_change: the kernel takes only valid unicast Ethernet addresses.
            return new InvalidConfigurationException(call, errno, message(call, errno,
                    "the kernel refused " + address + " for " + name + " as no valid unicast "
                            + "Ethernet address (all-zero, multicast or broadcast); use a unicast, non-zero one, "
                            + "e.g. " + MacAddress.randomLocal()));
        }
        return ofCommon(call, errno, "cannot set the MAC address of " + name + " to " + address);
    }

    /** A reply from the kernel that breaks the netlink framing; a bug here or in the kernel, not a user error. */
    static TunTapException malformedNetlink(int length, int offset, long received) {
        return new TunTapException("recv(rtnetlink)", 0, ErrorMessages.failed("recv(rtnetlink)", "a malformed "
                + "message (length " + length + " at offset " + offset + " of " + received + "); this is a bug"));
    }

    // ---------------------------------------------------------------- network namespaces

    /** A namespace name that cannot name a file under /run/netns. */
    static InvalidConfigurationException invalidNamespaceName(String name) {
        return new InvalidConfigurationException("setns", 0, ErrorMessages.failed("setns", "invalid namespace name '"
                + name + "': give the name used with 'ip netns add', without '/'"));
    }

    /** Namespaces asked for where the Linux backend cannot load; {@code detail} says why. */
    static UnsupportedFeatureException namespacesUnavailable(String detail) {
        return new UnsupportedFeatureException("setns", 0, ErrorMessages.failed("setns", "network namespaces need "
                + "the Linux backend, which is unavailable here: " + detail));
    }

    /** {@code open} of a namespace file answered ENOENT. */
    static DeviceNotFoundException noSuchNamespace(String path, int errno) {
        String call = "open(" + path + ")";
        return new DeviceNotFoundException(call, errno, message(call, errno, "no such network namespace; create it with 'ip netns add NAME'"));
    }
}
