// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * A write was refused because the device's link is down ({@link TunTapDevice#setUp(boolean)} with false, or the
 * administrator took it down). The packet was not sent; the device stays open, and writes work again once the link
 * is up. A pump loop drops the packet, or waits for {@link DeviceEvent.LinkChanged}, and goes on.
 */
public class LinkDownException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link TunTapException#TunTapException(String, int, String)}.
     *
     * @param function the call that failed, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param errorCode the operating system's error number, or 0 if the failure did not come from one
     * @param message the whole message: call, cause and fix
     */
    public LinkDownException(String function, int errorCode, String message) {
        super(function, errorCode, message);
    }
}
