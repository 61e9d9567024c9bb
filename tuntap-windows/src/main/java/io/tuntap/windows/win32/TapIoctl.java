// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

/**
 * The user-space ABI of tap-windows6-compatible drivers (OpenVPN's {@code tap0901} and the project's
 * {@code tuntap6}), as documented in tap-windows6's MIT-licensed {@code tap-windows.h} and in the project's
 * {@code native-driver/abi/tuntap_tap_ioctl.h}. Every control code is
 * {@code CTL_CODE(FILE_DEVICE_UNKNOWN, function, METHOD_BUFFERED, FILE_ANY_ACCESS)}; IPv4 addresses in the
 * payloads are in network byte order. The test {@code TapIoctlGoldenTest} compares these values with
 * {@code native-driver/abi/abi-golden.txt}.
 */
public final class TapIoctl {
    private TapIoctl() {
    }

    private static int code(int function) {
        return CtlCode.of(CtlCode.FILE_DEVICE_UNKNOWN, function, CtlCode.METHOD_BUFFERED, CtlCode.FILE_ANY_ACCESS);
    }

    /** Out: the adapter's 6-byte MAC address. */
    public static final int GET_MAC = code(1);
    /** Out: three ULONGs, major, minor and debug flag. */
    public static final int GET_VERSION = code(2);
    /** Out: one ULONG, the adapter's MTU. */
    public static final int GET_MTU = code(3);
    /** Out: a text describing the driver state (the driver may refuse it). */
    public static final int GET_INFO = code(4);
    /** In: two IPv4 addresses, local and remote: TUN mode with a /32 peer (superseded by {@link #CONFIG_TUN}). */
    public static final int CONFIG_POINT_TO_POINT = code(5);
    /** In: one ULONG, 1 for connected, 0 for disconnected. */
    public static final int SET_MEDIA_STATUS = code(6);
    /** In: four ULONGs, client address, netmask, DHCP server address, lease seconds. */
    public static final int CONFIG_DHCP_MASQ = code(7);
    /** Out: one line of the driver's debug log (debug builds only). */
    public static final int GET_LOG_LINE = code(8);
    /** In: raw DHCP options appended to the masqueraded replies. */
    public static final int CONFIG_DHCP_SET_OPT = code(9);
    /** In: three IPv4 addresses, local address, remote network, remote netmask: TUN (layer 3) mode. */
    public static final int CONFIG_TUN = code(10);
    /** In: one ULONG, 802.1Q priority behaviour (TAP mode). */
    public static final int PRIORITY_BEHAVIOR = code(11);

    /** Payload sizes, in bytes. */
    public static final int MAC_SIZE = 6;
    /** {@code GET_VERSION}'s payload: three ULONGs. */
    public static final int VERSION_SIZE = 12;
    /** {@code GET_MTU}'s payload. */
    public static final int MTU_SIZE = 4;
    /** {@code SET_MEDIA_STATUS}'s payload. */
    public static final int MEDIA_STATUS_SIZE = 4;
    /** {@code CONFIG_POINT_TO_POINT}'s payload: local at 0, remote at 4. */
    public static final int POINT_TO_POINT_SIZE = 8;
    /** {@code CONFIG_TUN}'s payload: local address at 0, remote network at 4, remote netmask at 8. */
    public static final int TUN_SIZE = 12;
    /** {@code CONFIG_DHCP_MASQ}'s payload. */
    public static final int DHCP_MASQ_SIZE = 16;

    /** Offsets in the {@code GET_VERSION} payload. */
    public static final int VERSION_MAJOR = 0;
    /** The minor version's offset. */
    public static final int VERSION_MINOR = 4;
    /** The debug flag's offset. */
    public static final int VERSION_DEBUG = 8;
    /** Offsets in the {@code CONFIG_TUN} payload. */
    public static final int TUN_LOCAL_IP = 0;
    /** The remote network's offset. */
    public static final int TUN_REMOTE_NETWORK = 4;
    /** The remote netmask's offset. */
    public static final int TUN_REMOTE_NETMASK = 8;

    /** The oldest driver the backend accepts, as OpenVPN requires: 9.9. */
    public static final int MIN_MAJOR = 9;
    /** See {@link #MIN_MAJOR}. */
    public static final int MIN_MINOR = 9;

    /** The user-mode path of an adapter is this, the adapter's {@code {GUID}}, then {@link #DEVICE_SUFFIX}. */
    public static final String USER_DEVICE_PREFIX = "\\\\.\\Global\\";
    /** See {@link #USER_DEVICE_PREFIX}. */
    public static final String DEVICE_SUFFIX = ".tap";
    /** OpenVPN's component id. */
    public static final String COMPONENT_TAP0901 = "tap0901";
    /** The project's own driver's component id. */
    public static final String COMPONENT_TUNTAP6 = "tuntap6";

    /** The device path of the adapter whose {@code NetCfgInstanceId} is {@code guidInBraces}. */
    public static String devicePath(String guidInBraces) {
        return USER_DEVICE_PREFIX + guidInBraces + DEVICE_SUFFIX;
    }
}
