// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** The backend, the operating system or the running kernel cannot do what was asked; see {@link Capability}. */
public class UnsupportedFeatureException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /** See {@link TunTapException#TunTapException(String, int, String)}. */
    public UnsupportedFeatureException(String function, int errorCode, String message) {
        super(function, errorCode, message);
    }

    /** See {@link TunTapException#TunTapException(String, int, String, Throwable)}. */
    public UnsupportedFeatureException(String function, int errorCode, String message, Throwable cause) {
        super(function, errorCode, message, cause);
    }
}
