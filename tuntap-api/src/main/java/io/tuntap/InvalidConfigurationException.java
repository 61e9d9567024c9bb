// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** The configuration or an argument is invalid. Thrown before any native call, so nothing is left behind. */
public class InvalidConfigurationException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /** See {@link TunTapException#TunTapException(String, int, String)}. */
    public InvalidConfigurationException(String function, int errorCode, String message) {
        super(function, errorCode, message);
    }

    /** See {@link TunTapException#TunTapException(String, int, String, Throwable)}. */
    public InvalidConfigurationException(String function, int errorCode, String message, Throwable cause) {
        super(function, errorCode, message, cause);
    }
}
