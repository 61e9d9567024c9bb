// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** The thread was interrupted while blocked in a read or write. The thread's interrupt status is set again, and the device stays open. */
public class DeviceInterruptedException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link TunTapException#TunTapException(String, int, String)}.
     *
     * @param function the call that failed, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errorCode the operating system's error number, or 0 if the failure did not come from one
     * @param message the whole message: call, cause and fix
     */
    public DeviceInterruptedException(String function, int errorCode, String message) {
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
    public DeviceInterruptedException(String function, int errorCode, String message, Throwable cause) {
        super(function, errorCode, message, cause);
    }
}
