// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** The caller lacks the privilege the operation needs (for example CAP_NET_ADMIN on Linux, or Administrator rights on Windows). */
public class DevicePermissionException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /** See {@link TunTapException#TunTapException(String, int, String)}. */
    public DevicePermissionException(String function, int errorCode, String message) {
        super(function, errorCode, message);
    }

    /** See {@link TunTapException#TunTapException(String, int, String, Throwable)}. */
    public DevicePermissionException(String function, int errorCode, String message, Throwable cause) {
        super(function, errorCode, message, cause);
    }
}
