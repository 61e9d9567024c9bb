// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static io.tuntap.linux.jna.Errno.EACCES;
import static io.tuntap.linux.jna.Errno.EADDRNOTAVAIL;
import static io.tuntap.linux.jna.Errno.EBUSY;
import static io.tuntap.linux.jna.Errno.EEXIST;
import static io.tuntap.linux.jna.Errno.EMFILE;
import static io.tuntap.linux.jna.Errno.ENFILE;
import static io.tuntap.linux.jna.Errno.ENODEV;
import static io.tuntap.linux.jna.Errno.ENOENT;
import static io.tuntap.linux.jna.Errno.ENXIO;
import static io.tuntap.linux.jna.Errno.EOPNOTSUPP;
import static io.tuntap.linux.jna.Errno.EPERM;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.Route;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.spi.ErrorMessages;

/**
 * The one place where a Linux errno becomes an exception. Call sites give the cause and the fix that fit
 * their call; the errno picks the exception type. It returns the exception and never throws it, so that a
 * call site reads {@code throw LinuxErrors.of(...)}.
 */
final class LinuxErrors {
    private LinuxErrors() {
    }

    /** How to get the privilege that creating devices and configuring interfaces needs. */
    static final String PRIVILEGE_FIX = "run as root, or give the JVM CAP_NET_ADMIN "
            + "(setcap cap_net_admin+ep on the java binary), or attach to a persistent device owned by your "
            + "uid or group (made once by root with DeviceConfig.owner(uid).persistent(true), or "
            + "'ip tuntap add dev NAME mode tun user YOU')";

    /**
     * An exception for a failed native call.
     *
     * @param function the call, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errno the error number
     * @param explanation what it means at this call site and what to do, e.g. {@code "tun0 is in use: ..."}
     */
    static TunTapException of(String function, int errno, String explanation) {
        return typed(function, errno, ErrorMessages.osError(function, Errno.name(errno), "errno", errno, explanation));
    }

    /** The exception type the errno picks, with a message already made. */
    private static TunTapException typed(String function, int errno, String message) {
        return switch (errno) {
            case EPERM, EACCES -> new DevicePermissionException(function, errno, message);
            case EBUSY, EEXIST -> new DeviceBusyException(function, errno, message);
            case ENOENT, ENODEV, ENXIO, EADDRNOTAVAIL -> new DeviceNotFoundException(function, errno, message);
            case EOPNOTSUPP -> new UnsupportedFeatureException(function, errno, message);
            default -> new TunTapException(function, errno, message);
        };
    }

    /** An explanation for errno values that mean the same at every call site, or null. */
    static String common(int errno) {
        return switch (errno) {
            case EPERM, EACCES -> "permission denied: " + PRIVILEGE_FIX;
            case EMFILE, ENFILE -> "too many open files: close unused devices or raise the limit (ulimit -n)";
            default -> null;
        };
    }

    /** {@link #of} with the explanation shared by all call sites for this errno if there is one, else {@code otherwise}. */
    static TunTapException ofCommon(String function, int errno, String otherwise) {
        String common = common(errno);
        return of(function, errno, common != null ? common : otherwise);
    }

    /** A failed {@code RTM_NEWROUTE} or {@code RTM_DELROUTE}. */
    static TunTapException route(String function, int errno, Route route, String device) {
        String message = ErrorMessages.osError(function, Errno.name(errno), "errno", errno, switch (errno) {
            case Errno.EEXIST -> device + " already has the route " + route + "; remove it first or leave it";
            case Errno.ESRCH -> device + " has no route " + route + "; see routes() for the routes it has";
            case Errno.ENETDOWN -> device + " is down; bring it up with setUp(true) before adding routes";
            case Errno.ENETUNREACH -> "the gateway " + route.gateway().map(g -> g.getHostAddress()).orElse("")
                    + " is not on a network " + device + " reaches; add an address whose prefix contains it, or an "
                    + "on-link route to it, first";
            case Errno.EINVAL -> "the kernel refused the route " + route + " on " + device + " (a gateway that is "
                    + "one of the host's own addresses, or IPv6 disabled on the interface)";
            default -> common(errno) != null ? common(errno) : "cannot change the routes of " + device;
        });
        return switch (errno) {
            case Errno.ENETUNREACH, Errno.EINVAL -> new InvalidConfigurationException(function, errno, message);
            case Errno.ESRCH -> new DeviceNotFoundException(function, errno, message);
            default -> typed(function, errno, message);
        };
    }

    /** A failed {@code TUNSETCARRIER}. */
    static TunTapException carrier(int errno, String device) {
        String function = "ioctl(TUNSETCARRIER) on " + device;
        if (errno == Errno.EINVAL || errno == Errno.ENOTTY) {
            return new UnsupportedFeatureException(function, errno, ErrorMessages.osError(function, Errno.name(errno),
                    "errno", errno, "this kernel cannot switch a TUN/TAP carrier; TUNSETCARRIER needs Linux 5.0 or "
                            + "later"));
        }
        return ofCommon(function, errno, "cannot switch the carrier of " + device);
    }

    /** A failed {@code TUNSETQUEUE}. */
    static TunTapException queue(int errno, String device, int queue, boolean enable) {
        String function = "ioctl(TUNSETQUEUE) on " + device + " queue " + queue;
        if (errno == Errno.EINVAL) {
            return new InvalidConfigurationException(function, errno, ErrorMessages.osError(function, "EINVAL",
                    "errno", errno, "queue " + queue + " cannot be " + (enable ? "attached" : "detached") + ": "
                            + device + " is a single-queue device (open it with queues(n) for several), or the "
                            + "queue is " + (enable ? "attached" : "detached") + " already"));
        }
        return ofCommon(function, errno, "cannot " + (enable ? "attach" : "detach") + " queue " + queue + " of "
                + device);
    }

    /** A read whose buffer is too small for the packet, which was dropped. */
    static PacketTooLargeException readTooLarge(String device, int length, int room, int alwaysEnough) {
        return new PacketTooLargeException("read", length, room, ErrorMessages.failed("read from " + device,
                "the packet has " + length + " bytes but the buffer had room for " + room + "; the packet was "
                        + "dropped. Give read() a buffer with at least MTU bytes remaining (" + alwaysEnough
                        + " is always enough)"));
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
        if (errno == Errno.EBADFD) {
            // As configuration calls report a vanished interface (mtu() and the like).
            return new DeviceNotFoundException(function, errno, ErrorMessages.osError(function, Errno.name(errno),
                    "errno", errno, explanation));
        }
        return of(function, errno, explanation);
    }
}
