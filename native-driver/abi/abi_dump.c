/* SPDX-License-Identifier: Apache-2.0 */
/*
 * abi_dump - prints every value of abi/tuntap_tap_ioctl.h as "NAME=VALUE"
 * lines: integers as 0x%08X, strings in double quotes, sizes and offsets in
 * hex too. `make check` writes the output to build/abi.txt and compares it
 * with the committed abi/abi-golden.txt, so any change to the ABI is a
 * visible, reviewed diff; the Java backend tests its constants against the
 * same listing.
 *
 * This is a host tool (it uses stdio), not part of the driver.
 */
#include <stddef.h>
#include <stdio.h>

#include "tuntap_tap_ioctl.h"

#define DUMP_U32(name) printf("%s=0x%08X\n", #name, (unsigned)(name))
#define DUMP_STR(name) printf("%s=\"%s\"\n", #name, name)
#define DUMP_SIZE(type) printf("sizeof(%s)=0x%08X\n", #type, (unsigned)sizeof(type))
#define DUMP_OFFSET(type, member)                                             \
    printf("offsetof(%s,%s)=0x%08X\n", #type, #member, (unsigned)offsetof(type, member))

int main(void)
{
    DUMP_STR(TUNTAP_TAP_COMPONENT_ID);
    DUMP_STR(TUNTAP_TAP_ROOT_HARDWARE_ID);
    DUMP_STR(TUNTAP_TAP_USER_DEVICE_PREFIX);
    DUMP_STR(TUNTAP_TAP_KERNEL_DEVICE_PREFIX);
    DUMP_STR(TUNTAP_TAP_SYMLINK_PREFIX);
    DUMP_STR(TUNTAP_TAP_DEVICE_SUFFIX);
    DUMP_U32(TUNTAP_TAP_GUID_STRING_LENGTH);
    DUMP_U32(TUNTAP_TAP_ABI_VERSION_MAJOR);
    DUMP_U32(TUNTAP_TAP_ABI_VERSION_MINOR);

    DUMP_U32(TUNTAP_TAP_IOCTL_GET_MAC);
    DUMP_U32(TUNTAP_TAP_IOCTL_GET_VERSION);
    DUMP_U32(TUNTAP_TAP_IOCTL_GET_MTU);
    DUMP_U32(TUNTAP_TAP_IOCTL_GET_INFO);
    DUMP_U32(TUNTAP_TAP_IOCTL_CONFIG_POINT_TO_POINT);
    DUMP_U32(TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS);
    DUMP_U32(TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ);
    DUMP_U32(TUNTAP_TAP_IOCTL_GET_LOG_LINE);
    DUMP_U32(TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT);
    DUMP_U32(TUNTAP_TAP_IOCTL_CONFIG_TUN);
    DUMP_U32(TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR);

    DUMP_U32(TUNTAP_TAP_PRIORITY_NOPRIORITY);
    DUMP_U32(TUNTAP_TAP_PRIORITY_ENABLED);
    DUMP_U32(TUNTAP_TAP_PRIORITY_ADDALWAYS);
    DUMP_U32(TUNTAP_TAP_DHCP_USER_OPTIONS_MAX);

    DUMP_U32(TUNTAP_TAP_MAC_SIZE);
    DUMP_U32(TUNTAP_TAP_VERSION_SIZE);
    DUMP_U32(TUNTAP_TAP_MTU_SIZE);
    DUMP_U32(TUNTAP_TAP_MEDIA_STATUS_SIZE);
    DUMP_U32(TUNTAP_TAP_POINT_TO_POINT_SIZE);
    DUMP_U32(TUNTAP_TAP_TUN_SIZE);
    DUMP_U32(TUNTAP_TAP_DHCP_MASQ_SIZE);
    DUMP_U32(TUNTAP_TAP_PRIORITY_SIZE);

    DUMP_SIZE(tuntap_tap_version);
    DUMP_OFFSET(tuntap_tap_version, major);
    DUMP_OFFSET(tuntap_tap_version, minor);
    DUMP_OFFSET(tuntap_tap_version, debug);
    DUMP_SIZE(tuntap_tap_point_to_point);
    DUMP_OFFSET(tuntap_tap_point_to_point, local_ip);
    DUMP_OFFSET(tuntap_tap_point_to_point, remote_ip);
    DUMP_SIZE(tuntap_tap_tun);
    DUMP_OFFSET(tuntap_tap_tun, local_ip);
    DUMP_OFFSET(tuntap_tap_tun, remote_network);
    DUMP_OFFSET(tuntap_tap_tun, remote_netmask);
    DUMP_SIZE(tuntap_tap_dhcp_masq);
    DUMP_OFFSET(tuntap_tap_dhcp_masq, client_ip);
    DUMP_OFFSET(tuntap_tap_dhcp_masq, netmask);
    DUMP_OFFSET(tuntap_tap_dhcp_masq, server_ip);
    DUMP_OFFSET(tuntap_tap_dhcp_masq, lease_seconds);
    return 0;
}
