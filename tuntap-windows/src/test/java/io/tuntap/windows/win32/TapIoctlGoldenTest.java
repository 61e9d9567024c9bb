// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tap-windows6 ABI constants against the listing the driver's own header produces
 * ({@code native-driver/abi/abi-golden.txt}, printed by {@code abi_dump.c}).
 */
class TapIoctlGoldenTest {
    private static Map<String, String> abi;

    @BeforeAll
    static void load() throws Exception {
        abi = GoldenFile.file(GoldenFile.repoRoot().resolve("native-driver/abi/abi-golden.txt"));
    }

    private static int value(String name) {
        String v = abi.get(name);
        assertTrue(v != null, name + " is in abi-golden.txt");
        return (int) GoldenFile.number(v);
    }

    private static String string(String name) {
        String v = abi.get(name);
        assertTrue(v != null && v.startsWith("\"") && v.endsWith("\""), name + " is a string in abi-golden.txt");
        return v.substring(1, v.length() - 1);
    }

    @Test
    void everyControlCodeMatchesTheDriverHeader() {
        assertEquals(value("TUNTAP_TAP_IOCTL_GET_MAC"), TapIoctl.GET_MAC);
        assertEquals(value("TUNTAP_TAP_IOCTL_GET_VERSION"), TapIoctl.GET_VERSION);
        assertEquals(value("TUNTAP_TAP_IOCTL_GET_MTU"), TapIoctl.GET_MTU);
        assertEquals(value("TUNTAP_TAP_IOCTL_GET_INFO"), TapIoctl.GET_INFO);
        assertEquals(value("TUNTAP_TAP_IOCTL_CONFIG_POINT_TO_POINT"), TapIoctl.CONFIG_POINT_TO_POINT);
        assertEquals(value("TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS"), TapIoctl.SET_MEDIA_STATUS);
        assertEquals(value("TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ"), TapIoctl.CONFIG_DHCP_MASQ);
        assertEquals(value("TUNTAP_TAP_IOCTL_GET_LOG_LINE"), TapIoctl.GET_LOG_LINE);
        assertEquals(value("TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT"), TapIoctl.CONFIG_DHCP_SET_OPT);
        assertEquals(value("TUNTAP_TAP_IOCTL_CONFIG_TUN"), TapIoctl.CONFIG_TUN);
        assertEquals(value("TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR"), TapIoctl.PRIORITY_BEHAVIOR);
    }

    @Test
    void controlCodesAreThoseOfTheReferenceTable() {
        // The values tap-windows6's tap-windows.h yields, independent of the project's header.
        assertEquals(0x00220004, TapIoctl.GET_MAC);
        assertEquals(0x00220008, TapIoctl.GET_VERSION);
        assertEquals(0x0022000C, TapIoctl.GET_MTU);
        assertEquals(0x00220018, TapIoctl.SET_MEDIA_STATUS);
        assertEquals(0x00220028, TapIoctl.CONFIG_TUN);
        assertEquals(0x0022002C, TapIoctl.PRIORITY_BEHAVIOR);
        assertEquals(0xCA6CE5C0, CtlCode.of(51820, 0x970, CtlCode.METHOD_BUFFERED,
                CtlCode.FILE_READ_DATA | CtlCode.FILE_WRITE_DATA), "Wintun's TUN_IOCTL_REGISTER_RINGS");
        assertEquals(10, CtlCode.function(TapIoctl.CONFIG_TUN));
        assertThrows(IllegalArgumentException.class, () -> CtlCode.of(0x10000, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CtlCode.of(0x22, 0x1000, 0, 0));
    }

    @Test
    void payloadSizesAndOffsetsMatchTheDriverHeader() {
        assertEquals(value("TUNTAP_TAP_MAC_SIZE"), TapIoctl.MAC_SIZE);
        assertEquals(value("TUNTAP_TAP_VERSION_SIZE"), TapIoctl.VERSION_SIZE);
        assertEquals(value("sizeof(tuntap_tap_version)"), TapIoctl.VERSION_SIZE);
        assertEquals(value("offsetof(tuntap_tap_version,major)"), TapIoctl.VERSION_MAJOR);
        assertEquals(value("offsetof(tuntap_tap_version,minor)"), TapIoctl.VERSION_MINOR);
        assertEquals(value("offsetof(tuntap_tap_version,debug)"), TapIoctl.VERSION_DEBUG);
        assertEquals(value("TUNTAP_TAP_MTU_SIZE"), TapIoctl.MTU_SIZE);
        assertEquals(value("TUNTAP_TAP_MEDIA_STATUS_SIZE"), TapIoctl.MEDIA_STATUS_SIZE);
        assertEquals(value("TUNTAP_TAP_POINT_TO_POINT_SIZE"), TapIoctl.POINT_TO_POINT_SIZE);
        assertEquals(value("sizeof(tuntap_tap_point_to_point)"), TapIoctl.POINT_TO_POINT_SIZE);
        assertEquals(value("TUNTAP_TAP_TUN_SIZE"), TapIoctl.TUN_SIZE);
        assertEquals(value("sizeof(tuntap_tap_tun)"), TapIoctl.TUN_SIZE);
        assertEquals(value("offsetof(tuntap_tap_tun,local_ip)"), TapIoctl.TUN_LOCAL_IP);
        assertEquals(value("offsetof(tuntap_tap_tun,remote_network)"), TapIoctl.TUN_REMOTE_NETWORK);
        assertEquals(value("offsetof(tuntap_tap_tun,remote_netmask)"), TapIoctl.TUN_REMOTE_NETMASK);
        assertEquals(value("TUNTAP_TAP_DHCP_MASQ_SIZE"), TapIoctl.DHCP_MASQ_SIZE);
    }

    @Test
    void namesAndPathsMatchTheDriverHeader() {
        assertEquals(string("TUNTAP_TAP_COMPONENT_ID"), TapIoctl.COMPONENT_TUNTAP6);
        assertEquals(string("TUNTAP_TAP_USER_DEVICE_PREFIX"), TapIoctl.USER_DEVICE_PREFIX);
        assertEquals(string("TUNTAP_TAP_DEVICE_SUFFIX"), TapIoctl.DEVICE_SUFFIX);
        assertEquals("\\\\.\\Global\\{01234567-89AB-CDEF-0123-456789ABCDEF}.tap",
                TapIoctl.devicePath("{01234567-89AB-CDEF-0123-456789ABCDEF}"));
        assertTrue(TapIoctl.MIN_MAJOR < value("TUNTAP_TAP_ABI_VERSION_MAJOR")
                || TapIoctl.MIN_MINOR <= value("TUNTAP_TAP_ABI_VERSION_MINOR"), "the project's driver is new enough");
    }
}
