/* SPDX-License-Identifier: Apache-2.0 */
/* The core unit test suites; each runs its tests through RUN(). */
#ifndef TT_CORE_SUITES_H
#define TT_CORE_SUITES_H

void suite_checksum(void);
void suite_frame(void);
void suite_ipv4(void);
void suite_arp(void);
void suite_nd(void);
void suite_dhcp(void);
void suite_queue(void);
void suite_mac_state(void);
void suite_ioctl(void);
void suite_engine(void);
void suite_abi_layout(void);

#endif
