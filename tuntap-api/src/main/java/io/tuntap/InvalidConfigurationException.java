// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** The configuration or an argument is invalid. Thrown before any native call, so nothing is left behind. */
public class InvalidConfigurationException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link TunTapException#TunTapException(String, int, String)}.
     *
     * @param function the call that failed, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errorCode the operating system's error number, or 0 if the failure did not come from one
     * @param message the whole message: call, cause and fix
     */
    public InvalidConfigurationException(String function, int errorCode, String message) {
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
    public InvalidConfigurationException(String function, int errorCode, String message, Throwable cause) {
        super(function, errorCode, message, cause);
    }
}
