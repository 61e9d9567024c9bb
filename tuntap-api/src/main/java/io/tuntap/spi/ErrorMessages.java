// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.Capability;
import io.tuntap.DeviceClosedException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.UnsupportedFeatureException;

/**
 * The one message format of every {@link io.tuntap.TunTapException}, on every backend:
 *
 * <pre>
 * CALL failed with NAME (KIND CODE): CAUSE AND FIX     when the operating system reported an error code
 * CALL failed: CAUSE AND FIX                           when it did not
 * </pre>
 *
 * for example {@code "ioctl(TUNSETIFF) on tun0 failed with EBUSY (errno 16): tun0 is in use; close the other
 * handle"} or {@code "DeviceIoControl(TAP_WIN_IOCTL_SET_MEDIA_STATUS) failed with ERROR_ACCESS_DENIED (error 5):
 * ..."}. An exception's {@link io.tuntap.TunTapException#errorCode()} is the code only when the system
 * reported one, else 0. Each backend keeps one class that builds its exceptions with these messages.
 */
public final class ErrorMessages {
    private ErrorMessages() {
    }

    /**
     * A message for a failure the operating system reported.
     *
     * @param call the call that failed, e.g. {@code "ioctl(TUNSETIFF) on tun0"}
     * @param codeName the symbolic name of the code, e.g. {@code "EBUSY"}, or null if unknown
     * @param codeKind what the code is, e.g. {@code "errno"} or {@code "error"}
     * @param code the code
     * @param causeAndFix what it means at this call and what to do about it
     * @return the message
     */
    public static String osError(String call, String codeName, String codeKind, int code, String causeAndFix) {
        return call + " failed with " + (codeName == null ? codeKind + " " + code
                : codeName + " (" + codeKind + " " + code + ")") + ": " + causeAndFix;
    }

    /**
     * A message for a failure found without the operating system (a check, a closed device).
     *
     * @param call the call that failed, e.g. {@code "setMtu(70000) on tun0"}
     * @param causeAndFix what is wrong and what to do about it
     * @return the message
     */
    public static String failed(String call, String causeAndFix) {
        return call + " failed: " + causeAndFix;
    }

    /**
     * The exception for a call on a closed device or queue.
     *
     * @param call the call, e.g. {@code "read"}
     * @param what the device or queue, e.g. {@code "tun0 queue 1"}
     * @return the exception, with error code 0
     */
    public static DeviceClosedException closed(String call, String what) {
        return new DeviceClosedException(call, 0, failed(call + " on " + what, what + " is closed (possibly by "
                + "another thread); open the device again to go on"));
    }

    /**
     * The exception for a method that needs a capability the device lacks.
     *
     * @param call the method, e.g. {@code "addRoute"}
     * @param what the device, e.g. {@code "tun0"}
     * @param missing the capability needed
     * @param why the reason the backend lacks it, e.g. {@code "utun has no persistent interfaces"}
     * @return the exception, with error code 0
     */
    public static UnsupportedFeatureException unsupported(String call, String what, Capability missing, String why) {
        return new UnsupportedFeatureException(call, 0, failed(call + " on " + what, "this device lacks "
                + "Capability." + missing + ": " + why + "; check capabilities() before calling"));
    }

    /**
     * The exception for a read whose buffer was too small for the packet, which was dropped.
     *
     * @param device the device, e.g. {@code "tun0"}
     * @param length the packet's length
     * @param room the room the buffer had
     * @param frameHeader the bytes a frame has beyond the MTU (18 for an Ethernet header and VLAN tag), else 0
     * @param alwaysEnough a buffer size that always suffices, or 0 if there is none to give
     * @return the exception, with error code 0
     */
    public static PacketTooLargeException readTooLarge(String device, int length, int room, int frameHeader,
            int alwaysEnough) {
        return new PacketTooLargeException("read", length, room, failed("read from " + device, "the packet has "
                + length + " bytes but the buffer had room for " + room + "; the packet was dropped. Give read() a "
                + "buffer with at least MTU" + (frameHeader > 0 ? " + " + frameHeader : "") + " bytes remaining"
                + (alwaysEnough > 0 ? " (" + alwaysEnough + " is always enough)" : "")));
    }
}
