// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * A descriptor given to {@link TunTap#adopt(int)} or received by {@link DeviceHandoff#receive} is not an open
 * TUN or TAP descriptor this backend can take over: not open at all, another kind of file (a pipe, a socket,
 * {@code /dev/null}), a TUN/TAP handle attached to no interface, or one with settings the library does not
 * handle. The message says which, and what to pass instead. The descriptor is left as it was.
 */
public class InvalidDescriptorException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link TunTapException#TunTapException(String, int, String)}.
     *
     * @param function the call that failed, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errorCode the operating system's error number, or 0 if the failure did not come from one
     * @param message the whole message: call, cause and fix
     */
    public InvalidDescriptorException(String function, int errorCode, String message) {
        super(function, errorCode, message);
    }
}
