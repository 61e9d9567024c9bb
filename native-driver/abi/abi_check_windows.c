/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compile-only check (x86_64-w64-mingw32-gcc -fsyntax-only): the IOCTL codes
 * of abi/tuntap_tap_ioctl.h equal what the Windows SDK's own CTL_CODE macro
 * computes, and the payload layouts hold under the Windows LLP64 ABI.
 * Nothing is linked or run; a mismatch is a compile error.
 */
#include <windows.h>
#include <winioctl.h>
#include <stddef.h>

#include "tuntap_tap_ioctl.h"

#define SDK_CODE(fn) CTL_CODE(FILE_DEVICE_UNKNOWN, fn, METHOD_BUFFERED, FILE_ANY_ACCESS)

_Static_assert(TUNTAP_FILE_DEVICE_UNKNOWN == FILE_DEVICE_UNKNOWN, "device type");
_Static_assert(TUNTAP_METHOD_BUFFERED == METHOD_BUFFERED, "method");
_Static_assert(TUNTAP_FILE_ANY_ACCESS == FILE_ANY_ACCESS, "access");
_Static_assert(TUNTAP_TAP_IOCTL_GET_MAC == SDK_CODE(1), "GET_MAC");
_Static_assert(TUNTAP_TAP_IOCTL_GET_VERSION == SDK_CODE(2), "GET_VERSION");
_Static_assert(TUNTAP_TAP_IOCTL_GET_MTU == SDK_CODE(3), "GET_MTU");
_Static_assert(TUNTAP_TAP_IOCTL_GET_INFO == SDK_CODE(4), "GET_INFO");
_Static_assert(TUNTAP_TAP_IOCTL_CONFIG_POINT_TO_POINT == SDK_CODE(5), "P2P");
_Static_assert(TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS == SDK_CODE(6), "MEDIA");
_Static_assert(TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ == SDK_CODE(7), "DHCP_MASQ");
_Static_assert(TUNTAP_TAP_IOCTL_GET_LOG_LINE == SDK_CODE(8), "LOG_LINE");
_Static_assert(TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT == SDK_CODE(9), "SET_OPT");
_Static_assert(TUNTAP_TAP_IOCTL_CONFIG_TUN == SDK_CODE(10), "TUN");
_Static_assert(TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR == SDK_CODE(11), "PRIORITY");

/* The tap ABI speaks of ULONG; under LLP64 that is 32 bits like uint32_t. */
_Static_assert(sizeof(ULONG) == sizeof(uint32_t), "ULONG is 32-bit");
_Static_assert(offsetof(tuntap_tap_dhcp_masq, lease_seconds) == 12, "lease offset");
_Static_assert(sizeof(tuntap_tap_version) == 3 * sizeof(ULONG), "version = 3 ULONG");
