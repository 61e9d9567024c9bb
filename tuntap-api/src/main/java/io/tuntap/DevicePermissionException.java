// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** The caller lacks the privilege the operation needs (for example CAP_NET_ADMIN on Linux, or Administrator rights on Windows). */
public class DevicePermissionException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link TunTapException#TunTapException(String, int, String)}.
     *
     * @param function the call that failed, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errorCode the operating system's error number, or 0 if the failure did not come from one
     * @param message the whole message: call, cause and fix
     */
    public DevicePermissionException(String function, int errorCode, String message) {
        super(function, errorCode, message);
    }

    /**
     * See {@link TunTapException#TunTapException(String, int, String, Throwable)}.
     *
     * @param function the call that failed, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errorCode the operating system's error number, or 0 if the failure did not come from one
     * @param message the whole message: call, cause and fix
     * @param cause the exception that caused this one
     */
    public DevicePermissionException(String function, int errorCode, String message, Throwable cause) {
        super(function, errorCode, message, cause);
    }
}
