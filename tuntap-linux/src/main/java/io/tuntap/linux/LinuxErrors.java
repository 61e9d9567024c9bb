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
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.linux.jna.Errno;

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
        String message = function + " failed with " + Errno.name(errno) + " (errno " + errno + "): " + explanation;
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
}
