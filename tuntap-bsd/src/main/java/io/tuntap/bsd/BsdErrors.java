// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.jna.BsdErrno.EACCES;
import static io.tuntap.bsd.jna.BsdErrno.EADDRNOTAVAIL;
import static io.tuntap.bsd.jna.BsdErrno.EBUSY;
import static io.tuntap.bsd.jna.BsdErrno.EEXIST;
import static io.tuntap.bsd.jna.BsdErrno.EMFILE;
import static io.tuntap.bsd.jna.BsdErrno.ENFILE;
import static io.tuntap.bsd.jna.BsdErrno.ENODEV;
import static io.tuntap.bsd.jna.BsdErrno.ENOENT;
import static io.tuntap.bsd.jna.BsdErrno.ENOTTY;
import static io.tuntap.bsd.jna.BsdErrno.ENXIO;
import static io.tuntap.bsd.jna.BsdErrno.EPERM;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.spi.ErrorMessages;

/**
 * The one place where a BSD or macOS errno becomes an exception; call sites give the cause and the fix. It
 * returns the exception and never throws it.
 */
final class BsdErrors {
    private BsdErrors() {
    }

    /** How to get the privilege that creating and configuring interfaces needs on these systems. */
    static final String PRIVILEGE_FIX = "run as root (creating tun, tap and utun interfaces and changing "
            + "addresses needs it on FreeBSD, OpenBSD, NetBSD and macOS)";

    /**
     * An exception for a failed native call.
     *
     * @param function the call, e.g. {@code "ioctl(SIOCAIFADDR)"}
     * @param errno the error number
     * @param explanation what it means at this call site and what to do
     */
    static TunTapException of(String function, int errno, String explanation) {
        String message = ErrorMessages.osError(function, BsdErrno.name(errno), "errno", errno, explanation);
        return switch (errno) {
            case EPERM, EACCES -> new DevicePermissionException(function, errno, message);
            case EBUSY, EEXIST -> new DeviceBusyException(function, errno, message);
            case ENOENT, ENODEV, ENXIO, EADDRNOTAVAIL -> new DeviceNotFoundException(function, errno, message);
            case ENOTTY -> new UnsupportedFeatureException(function, errno, message);
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

    /** {@link #of} with the shared explanation for this errno if there is one, else {@code otherwise}. */
    static TunTapException ofCommon(String function, int errno, String otherwise) {
        String common = common(errno);
        return of(function, errno, common != null ? common : otherwise);
    }
}
