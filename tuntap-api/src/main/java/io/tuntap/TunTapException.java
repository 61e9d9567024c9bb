// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import java.io.IOException;

/**
 * A failure of a tuntap operation. Its message names the call that failed, the cause and the fix, for
 * example {@code "ioctl(TUNSETIFF) on /dev/net/tun failed with errno 1 (Operation not permitted): creating
 * a device needs CAP_NET_ADMIN; ..."}. Subclasses say which kind of failure it is, so that callers can react
 * without parsing messages.
 */
public class TunTapException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The call that failed. */
    private final String function;
    /** The operating system's error number, or 0. */
    private final int errorCode;

    /**
     * @param function the call that failed, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errorCode the operating system's error number, or 0 if the failure did not come from one
     * @param message the whole message: call, cause and fix
     */
    public TunTapException(String function, int errorCode, String message) {
        super(message);
        this.function = function;
        this.errorCode = errorCode;
    }

    /**
     * Like {@link #TunTapException(String, int, String)}, with the exception that caused this one.
     *
     * @param function the call that failed, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errorCode the operating system's error number, or 0 if the failure did not come from one
     * @param message the whole message: call, cause and fix
     * @param cause the exception that caused this one
     */
    public TunTapException(String function, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.function = function;
        this.errorCode = errorCode;
    }

    /** {@return the call that failed, such as {@code "open(/dev/net/tun)"} or {@code "rtnetlink RTM_NEWADDR"}} */
    public String function() {
        return function;
    }

    /** {@return the operating system's error number ({@code errno}, or a Windows error code); 0 if none} */
    public int errorCode() {
        return errorCode;
    }
}
