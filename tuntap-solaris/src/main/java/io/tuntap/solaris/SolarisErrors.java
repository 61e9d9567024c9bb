// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static io.tuntap.solaris.jna.Errno.EACCES;
import static io.tuntap.solaris.jna.Errno.EADDRNOTAVAIL;
import static io.tuntap.solaris.jna.Errno.EBUSY;
import static io.tuntap.solaris.jna.Errno.EEXIST;
import static io.tuntap.solaris.jna.Errno.EMFILE;
import static io.tuntap.solaris.jna.Errno.ENFILE;
import static io.tuntap.solaris.jna.Errno.ENODEV;
import static io.tuntap.solaris.jna.Errno.ENOENT;
import static io.tuntap.solaris.jna.Errno.ENXIO;
import static io.tuntap.solaris.jna.Errno.EOPNOTSUPP;
import static io.tuntap.solaris.jna.Errno.EPERM;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.solaris.jna.Errno;

/**
 * The one place where an illumos errno becomes an exception. Call sites give the cause and the fix that fit
 * their call; the errno picks the type. It returns the exception and never throws it.
 */
final class SolarisErrors {
    /** Where the driver comes from. */
    static final String DRIVER_FIX = "install the STREAMS tun/tap driver: on OpenIndiana 'pkg install "
            + "driver/network/tun driver/network/tap', on OmniOS 'pkg install driver/tuntap' from the extra.omnios "
            + "publisher, elsewhere build https://github.com/kaizawa/tuntap; it works in the global zone only";
    /** How to get the privilege that plumbing interfaces needs. */
    static final String PRIVILEGE_FIX = "run as root, or grant the JVM the net_rawaccess and sys_ip_config "
            + "privileges (ppriv), in the global zone";

    private SolarisErrors() {
    }

    /**
     * An exception for a failed native call.
     *
     * @param function the call, e.g. {@code "ioctl(I_STR TUNNEWPPA)"}
     * @param errno the error number
     * @param explanation what it means at this call site and what to do
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

    /**
     * {@link #of} with the explanation shared by all call sites for this errno if there is one, else
     * {@code otherwise}.
     */
    static TunTapException ofCommon(String function, int errno, String otherwise) {
        String common = switch (errno) {
            case EPERM, EACCES -> "permission denied: " + PRIVILEGE_FIX;
            case EMFILE, ENFILE -> "too many open files: close unused devices or raise the limit (ulimit -n)";
            default -> null;
        };
        return of(function, errno, common != null ? common : otherwise);
    }
}
