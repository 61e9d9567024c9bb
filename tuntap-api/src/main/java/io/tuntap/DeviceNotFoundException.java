// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** Something the operation needs does not exist: the named device, or the kernel's tun/tap facility itself. */
public class DeviceNotFoundException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /** See {@link TunTapException#TunTapException(String, int, String)}. */
    public DeviceNotFoundException(String function, int errorCode, String message) {
        super(function, errorCode, message);
    }

    /** See {@link TunTapException#TunTapException(String, int, String, Throwable)}. */
    public DeviceNotFoundException(String function, int errorCode, String message, Throwable cause) {
        super(function, errorCode, message, cause);
    }
}
