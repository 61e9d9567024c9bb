// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** No backend on the class path or module path can open devices on this system; the message lists each provider found and why it cannot serve, and names the artifact to add. */
public class NoProviderException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /** See {@link TunTapException#TunTapException(String, int, String)}. */
    public NoProviderException(String function, int errorCode, String message) {
        super(function, errorCode, message);
    }

    /** See {@link TunTapException#TunTapException(String, int, String, Throwable)}. */
    public NoProviderException(String function, int errorCode, String message, Throwable cause) {
        super(function, errorCode, message, cause);
    }
}
