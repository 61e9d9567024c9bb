// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** The device or queue is closed, possibly by another thread while this one was blocked in a read or write. */
public class DeviceClosedException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /** See {@link TunTapException#TunTapException(String, int, String)}. */
    public DeviceClosedException(String function, int errorCode, String message) {
        super(function, errorCode, message);
    }

    /** See {@link TunTapException#TunTapException(String, int, String, Throwable)}. */
    public DeviceClosedException(String function, int errorCode, String message, Throwable cause) {
        super(function, errorCode, message, cause);
    }
}
