/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run-time checks of the ABI payload layout under whatever C ABI this binary
 * was built for: LP64 natively, LLP64 when built with mingw-w64 for wine.
 */
#include <stddef.h>
#include <stdio.h>

#include "../../abi/tuntap_tap_ioctl.h"
#include "../support/harness.h"
#include "suites.h"

static void payload_sizes_and_offsets(void)
{
    CHECK_EQ(sizeof(tuntap_tap_version), 12);
    CHECK_EQ(sizeof(tuntap_tap_point_to_point), 8);
    CHECK_EQ(sizeof(tuntap_tap_tun), 12);
    CHECK_EQ(sizeof(tuntap_tap_dhcp_masq), 16);
    CHECK_EQ(offsetof(tuntap_tap_dhcp_masq, lease_seconds), 12);
    CHECK_EQ(offsetof(tuntap_tap_tun, remote_netmask), 8);
}

static void ioctl_codes(void)
{
    CHECK_EQ(TUNTAP_TAP_IOCTL_GET_MAC, 0x00220004);
    CHECK_EQ(TUNTAP_TAP_IOCTL_CONFIG_TUN, 0x00220028);
    CHECK_EQ(TUNTAP_CTL_FUNCTION(TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR), 11);
    CHECK_EQ(TUNTAP_CTL_DEVICE_TYPE(TUNTAP_TAP_IOCTL_GET_MTU), 0x22);
}

/* Which C data model ran this suite; LLP64 (long is 32 bits) under wine. */
static void data_model_reported(void)
{
    printf("  info: sizeof(long)=%u sizeof(void*)=%u\n", (unsigned)sizeof(long),
           (unsigned)sizeof(void *));
#ifdef _WIN64
    CHECK_EQ(sizeof(long), 4);
#endif
}

void suite_abi_layout(void)
{
    RUN(payload_sizes_and_offsets);
    RUN(ioctl_codes);
    RUN(data_model_reported);
}
