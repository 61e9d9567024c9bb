// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

/**
 * The {@code CTL_CODE} macro of {@code winioctl.h}: a device I/O control code is
 * {@code (DeviceType << 16) | (Access << 14) | (Function << 2) | Method}.
 */
public final class CtlCode {
    /** {@code FILE_DEVICE_UNKNOWN}, the device type of tap-windows6's control device. */
    public static final int FILE_DEVICE_UNKNOWN = 0x22;
    /** {@code METHOD_BUFFERED}: the I/O manager copies input and output through a system buffer. */
    public static final int METHOD_BUFFERED = 0;
    /** {@code FILE_ANY_ACCESS}. */
    public static final int FILE_ANY_ACCESS = 0;
    /** {@code FILE_READ_DATA}, as an access bit of a control code. */
    public static final int FILE_READ_DATA = 1;
    /** {@code FILE_WRITE_DATA}, as an access bit of a control code. */
    public static final int FILE_WRITE_DATA = 2;

    private CtlCode() {
    }

    /**
     * {@code CTL_CODE(deviceType, function, method, access)}.
     *
     * @throws IllegalArgumentException if a field does not fit its bits (device type 16, function 12,
     *     method and access 2 each)
     */
    public static int of(int deviceType, int function, int method, int access) {
        if ((deviceType & ~0xffff) != 0 || (function & ~0xfff) != 0 || (method & ~3) != 0 || (access & ~3) != 0) {
            throw new IllegalArgumentException("CTL_CODE field out of range: device type " + deviceType
                    + ", function " + function + ", method " + method + ", access " + access);
        }
        return (deviceType << 16) | (access << 14) | (function << 2) | method;
    }

    /** The function number of a control code (bits 2 to 13). */
    public static int function(int code) {
        return (code >>> 2) & 0xfff;
    }
}
