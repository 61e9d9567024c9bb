// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.spi.ErrorCodes;

/**
 * The errno translator of one Unix system: the errno picks the exception type by its symbolic name, the same
 * on every system, over that system's own table of numbers, and the message is {@link ErrorCodes#message}'s.
 * Each backend keeps one instance in its errors class and gives the cause and the fix at each call site. Every
 * method returns the exception and never throws it.
 */
public final class PosixErrors {
    private final ErrorCodes errno;
    private final String privilegeFix;

    /**
     * A translator.
     *
     * @param errno the system's errno table
     * @param privilegeFix how to get the privilege that creating and configuring interfaces needs there
     */
    public PosixErrors(ErrorCodes errno, String privilegeFix) {
        this.errno = errno;
        this.privilegeFix = privilegeFix;
    }

    /**
     * The system's errno table.
     *
     * @return it
     */
    public ErrorCodes table() {
        return errno;
    }

    /**
     * An exception for a failed call.
     *
     * @param function the call, e.g. {@code "ioctl(TUNSETIFF) on tun0"}
     * @param code the errno it failed with
     * @param causeAndFix what the errno means at this call and what to do
     * @return the exception, of the type the errno picks
     */
    public TunTapException of(String function, int code, String causeAndFix) {
        return typed(function, code, errno.message(function, code, causeAndFix));
    }

    /**
     * {@link #of} with the cause and fix that this errno has at every call, if it has one (permission, open
     * files), else {@code otherwise}.
     *
     * @param function the call
     * @param code the errno
     * @param otherwise the cause and fix at this call
     * @return the exception
     */
    public TunTapException ofCommon(String function, int code, String otherwise) {
        String common = common(code);
        return of(function, code, common != null ? common : otherwise);
    }

    /**
     * The cause and fix that an errno has at every call.
     *
     * @param code the errno
     * @return them, or null if the errno means something different at each call
     */
    public String common(int code) {
        String name = errno.symbol(code);
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "EPERM", "EACCES" -> "permission denied: " + privilegeFix;
            case "EMFILE", "ENFILE" -> "too many open files: close unused devices or raise the limit (ulimit -n)";
            default -> null;
        };
    }

    /**
     * The exception type an errno picks, for a message already made.
     *
     * @param function the call
     * @param code the errno
     * @param message the message
     * @return the exception
     */
    public TunTapException typed(String function, int code, String message) {
        String name = errno.symbol(code);
        return switch (name == null ? "" : name) {
            case "EPERM", "EACCES" -> new DevicePermissionException(function, code, message);
            case "EBUSY", "EEXIST" -> new DeviceBusyException(function, code, message);
            case "ENOENT", "ENODEV", "ENXIO", "EADDRNOTAVAIL", "ESRCH" ->
                    new DeviceNotFoundException(function, code, message);
            case "EOPNOTSUPP", "ENOTTY" -> new UnsupportedFeatureException(function, code, message);
            default -> new TunTapException(function, code, message);
        };
    }
}
