/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runner of the core/ unit tests. The same source is built natively (gcc
 * with ASan/UBSan) and with mingw-w64 for wine, where it checks core/ under
 * the Windows LLP64 ABI; the suite name says which.
 */
#include "../support/harness.h"
#include "suites.h"

#ifndef SUITE_NAME
#define SUITE_NAME "core"
#endif

int main(void)
{
    suite_checksum();
    suite_frame();
    suite_ipv4();
    suite_arp();
    suite_nd();
    suite_dhcp();
    suite_queue();
    suite_mac_state();
    suite_ioctl();
    suite_engine();
    suite_abi_layout();
    return harness_finish(SUITE_NAME);
}
