/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tuntap_tap_ioctl.h - the user-space ABI of the tuntap6 Windows TAP driver.
 *
 * This is the ONE header that defines what crosses the user/kernel boundary:
 * the device path, the IOCTL codes and the byte layout of every IOCTL payload.
 * The driver (core/, glue/) includes it, abi/abi_dump.c prints it for the Java
 * backend's constant tests, and nothing else may restate these values.
 *
 * Compatibility: the codes, payloads and semantics are those of the
 * tap-windows6 ("tap0901") user-space ABI as documented by its MIT-licensed
 * interface header, so one Java backend drives either driver. Only the
 * component id differs (TUNTAP_TAP_COMPONENT_ID), so that this driver never
 * collides with an installed OpenVPN TAP adapter.
 *
 * The header is freestanding: it needs only <stdint.h>, no OS header, so the
 * portable core, Linux tests and the WDK build all include it unchanged.
 *
 * Byte order: IPv4 addresses are in network byte order (the four octets as
 * they appear on the wire). Every other 32-bit integer is in the native order
 * of the Windows target, which is little-endian on every architecture Windows
 * supports (x86, x64, ARM64).
 */
#ifndef TUNTAP_TAP_IOCTL_H
#define TUNTAP_TAP_IOCTL_H

#include "../core/tt_types.h"

/* ------------------------------------------------------------------------- */
/* Identity                                                                  */
/* ------------------------------------------------------------------------- */

/*
 * PnP hardware id / INF component id of this driver. The INF declares it as
 * "root\tuntap6" (root-enumerated adapters created by the installer) and
 * "tuntap6". Deliberately NOT "tap0901": see README.md, "Component id".
 */
#define TUNTAP_TAP_COMPONENT_ID      "tuntap6"
#define TUNTAP_TAP_ROOT_HARDWARE_ID  "root\\tuntap6"

/*
 * Device paths. The adapter's NetCfgInstanceId GUID, in registry form
 * "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}", is inserted between prefix and
 * suffix:
 *   user mode:   \\.\Global\{GUID}.tap        (CreateFileW path)
 *   kernel:      \Device\{GUID}.tap           (device object name)
 *                \DosDevices\Global\{GUID}.tap (symbolic link)
 * The strings below are C literals, so each backslash is written twice.
 */
#define TUNTAP_TAP_USER_DEVICE_PREFIX   "\\\\.\\Global\\"
#define TUNTAP_TAP_KERNEL_DEVICE_PREFIX "\\Device\\"
#define TUNTAP_TAP_SYMLINK_PREFIX       "\\DosDevices\\Global\\"
#define TUNTAP_TAP_DEVICE_SUFFIX        ".tap"

/*
 * Opening: CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL,
 * OPEN_EXISTING, FILE_ATTRIBUTE_SYSTEM | FILE_FLAG_OVERLAPPED, NULL).
 * Only SYSTEM and Administrators may open the device (ERROR_ACCESS_DENIED
 * otherwise), and only one handle may be open at a time: a second open
 * fails with ERROR_SHARING_VIOLATION. Closing the handle cancels pending
 * reads and resets the adapter to TAP mode with DHCP off and, unless the
 * adapter is configured "always connected", the media disconnected.
 * ReadFile returns one frame (TAP) or IP packet (TUN) per call and fails
 * with ERROR_MORE_DATA (STATUS_BUFFER_OVERFLOW) if the buffer is smaller;
 * WriteFile takes one frame or packet per call.
 */

/* Length of "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" without a terminator. */
#define TUNTAP_TAP_GUID_STRING_LENGTH   38u

/*
 * Version reported by TUNTAP_TAP_IOCTL_GET_VERSION. It names the level of the
 * tap-windows6 ABI this driver implements, not a tap-windows6 release:
 * clients such as OpenVPN refuse drivers older than 9.9.
 */
#define TUNTAP_TAP_ABI_VERSION_MAJOR 9u
#define TUNTAP_TAP_ABI_VERSION_MINOR 27u

/* ------------------------------------------------------------------------- */
/* IOCTL code construction                                                   */
/* ------------------------------------------------------------------------- */

/*
 * Same bit layout as the Windows CTL_CODE macro (winioctl.h / wdm.h):
 *   bits 31..16 device type, 15..14 required access, 13..2 function,
 *   1..0 transfer method.
 * Redefined here so that this header does not depend on an OS header.
 */
#define TUNTAP_CTL_CODE(device_type, function, method, access)              \
    ((uint32_t)(((uint32_t)(device_type) << 16) |                           \
                ((uint32_t)(access) << 14) |                                \
                ((uint32_t)(function) << 2) |                               \
                (uint32_t)(method)))

#define TUNTAP_FILE_DEVICE_UNKNOWN 0x00000022u /* FILE_DEVICE_UNKNOWN */
#define TUNTAP_METHOD_BUFFERED     0u          /* METHOD_BUFFERED */
#define TUNTAP_FILE_ANY_ACCESS     0u          /* FILE_ANY_ACCESS */

#define TUNTAP_TAP_CONTROL_CODE(function)                                   \
    TUNTAP_CTL_CODE(TUNTAP_FILE_DEVICE_UNKNOWN, (function),                 \
                    TUNTAP_METHOD_BUFFERED, TUNTAP_FILE_ANY_ACCESS)

/* Extractors, used by the driver to validate a code before dispatching it. */
#define TUNTAP_CTL_DEVICE_TYPE(code) (((uint32_t)(code) >> 16) & 0xFFFFu)
#define TUNTAP_CTL_ACCESS(code)      (((uint32_t)(code) >> 14) & 0x3u)
#define TUNTAP_CTL_FUNCTION(code)    (((uint32_t)(code) >> 2) & 0xFFFu)
#define TUNTAP_CTL_METHOD(code)      ((uint32_t)(code) & 0x3u)

/* ------------------------------------------------------------------------- */
/* IOCTLs and their payloads                                                 */
/* ------------------------------------------------------------------------- */
/*
 * All IOCTLs are METHOD_BUFFERED: input and output share one system buffer,
 * so the driver reads the whole input before it writes any output.
 * "in" is the lpInBuffer of DeviceIoControl, "out" its lpOutBuffer. Inputs
 * longer than the payload are accepted and the excess ignored (as with
 * tap0901); shorter ones fail with ERROR_INVALID_PARAMETER, and output
 * buffers shorter than the payload fail with ERROR_INSUFFICIENT_BUFFER.
 * Configuration IOCTLs that succeed report 1 byte returned when the caller
 * passed an output buffer (tap0901 behaviour), otherwise 0.
 */

/* out: uint8_t[6], the adapter's current MAC address. */
#define TUNTAP_TAP_IOCTL_GET_MAC               TUNTAP_TAP_CONTROL_CODE(1)
#define TUNTAP_TAP_MAC_SIZE                    6u

/* out: tuntap_tap_version (12 bytes). */
#define TUNTAP_TAP_IOCTL_GET_VERSION           TUNTAP_TAP_CONTROL_CODE(2)

/* out: uint32_t, the adapter MTU in bytes (IP packet size, no L2 header). */
#define TUNTAP_TAP_IOCTL_GET_MTU               TUNTAP_TAP_CONTROL_CODE(3)

/*
 * out: NUL-terminated ASCII text describing the adapter state, truncated to
 * the output buffer (which must hold at least 1 byte). For diagnostics only;
 * the format is not part of the ABI. (tap0901 writes a text but fails the
 * request; this driver succeeds.)
 */
#define TUNTAP_TAP_IOCTL_GET_INFO              TUNTAP_TAP_CONTROL_CODE(4)

/* in: tuntap_tap_point_to_point (8 bytes). TUN mode with a /32 peer. */
#define TUNTAP_TAP_IOCTL_CONFIG_POINT_TO_POINT TUNTAP_TAP_CONTROL_CODE(5)

/* in: uint32_t, 0 = media disconnected, 1 = connected. Other values fail. */
#define TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS      TUNTAP_TAP_CONTROL_CODE(6)

/* in: tuntap_tap_dhcp_masq (16 bytes). Enables the DHCP masquerade server. */
#define TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ      TUNTAP_TAP_CONTROL_CODE(7)

/* Debug builds of tap0901 only; this driver always fails it as unsupported. */
#define TUNTAP_TAP_IOCTL_GET_LOG_LINE          TUNTAP_TAP_CONTROL_CODE(8)

/*
 * in: raw DHCP options (RFC 2132 encoding: code, length, data; pads allowed,
 * no END option), at most TUNTAP_TAP_DHCP_USER_OPTIONS_MAX bytes. They are
 * appended to every OFFER/ACK. Replaces any earlier set. Fails unless the
 * DHCP masquerade is enabled or if the options are not well formed.
 */
#define TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT   TUNTAP_TAP_CONTROL_CODE(9)
#define TUNTAP_TAP_DHCP_USER_OPTIONS_MAX       256u

/* in: tuntap_tap_tun (12 bytes). TUN (layer 3) mode. */
#define TUNTAP_TAP_IOCTL_CONFIG_TUN            TUNTAP_TAP_CONTROL_CODE(10)

/*
 * in: uint32_t, one of TUNTAP_TAP_PRIORITY_*. This driver implements only
 * NOPRIORITY; ENABLED and ADDALWAYS (802.1Q priority tagging) fail with
 * ERROR_NOT_SUPPORTED rather than being silently ignored.
 */
#define TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR     TUNTAP_TAP_CONTROL_CODE(11)
#define TUNTAP_TAP_PRIORITY_NOPRIORITY         0u
#define TUNTAP_TAP_PRIORITY_ENABLED            1u
#define TUNTAP_TAP_PRIORITY_ADDALWAYS          2u

/*
 * Payload structures. Every member is a fixed-width integer or byte array
 * with natural alignment, so the layout is identical under every C ABI
 * (LP64, LLP64, ILP32); the sizes are pinned by the static assertions below
 * and printed by abi/abi_dump.c.
 */

/* GET_VERSION output; 12 bytes. */
typedef struct tuntap_tap_version {
    uint32_t major; /* TUNTAP_TAP_ABI_VERSION_MAJOR */
    uint32_t minor; /* TUNTAP_TAP_ABI_VERSION_MINOR */
    uint32_t debug; /* 1 for a checked (debug) driver build, else 0 */
} tuntap_tap_version;

/* CONFIG_POINT_TO_POINT input; 8 bytes; network byte order. */
typedef struct tuntap_tap_point_to_point {
    uint8_t local_ip[4];  /* the adapter's own IPv4 address */
    uint8_t remote_ip[4]; /* the peer; ARP for it is answered by the driver */
} tuntap_tap_point_to_point;

/* CONFIG_TUN input; 12 bytes; network byte order. */
typedef struct tuntap_tap_tun {
    uint8_t local_ip[4];       /* the adapter's own IPv4 address */
    uint8_t remote_network[4]; /* network reached through the peer */
    uint8_t remote_netmask[4]; /* contiguous mask; network & ~mask must be 0 */
} tuntap_tap_tun;

/* CONFIG_DHCP_MASQ input; 16 bytes. */
typedef struct tuntap_tap_dhcp_masq {
    uint8_t  client_ip[4];  /* network order: address handed to the host */
    uint8_t  netmask[4];    /* network order: contiguous, not 0 */
    uint8_t  server_ip[4];  /* network order: the pretend DHCP server */
    uint32_t lease_seconds; /* native order: lease time, at least 1 */
} tuntap_tap_dhcp_masq;

#define TUNTAP_TAP_VERSION_SIZE        12u
#define TUNTAP_TAP_MTU_SIZE            4u
#define TUNTAP_TAP_MEDIA_STATUS_SIZE   4u
#define TUNTAP_TAP_POINT_TO_POINT_SIZE 8u
#define TUNTAP_TAP_TUN_SIZE            12u
#define TUNTAP_TAP_DHCP_MASQ_SIZE      16u
#define TUNTAP_TAP_PRIORITY_SIZE       4u

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define TUNTAP_ABI_ASSERT(cond, msg) _Static_assert(cond, msg)
#else
/* C99 fallback: a negative array size fails the build. */
#define TUNTAP_ABI_ASSERT_CAT2(a, b) a##b
#define TUNTAP_ABI_ASSERT_CAT(a, b) TUNTAP_ABI_ASSERT_CAT2(a, b)
#define TUNTAP_ABI_ASSERT(cond, msg)                                         \
    typedef char TUNTAP_ABI_ASSERT_CAT(tuntap_abi_assert_, __LINE__)[(cond) ? 1 : -1]
#endif

TUNTAP_ABI_ASSERT(sizeof(tuntap_tap_version) == TUNTAP_TAP_VERSION_SIZE, "version");
TUNTAP_ABI_ASSERT(sizeof(tuntap_tap_point_to_point) == TUNTAP_TAP_POINT_TO_POINT_SIZE, "p2p");
TUNTAP_ABI_ASSERT(sizeof(tuntap_tap_tun) == TUNTAP_TAP_TUN_SIZE, "tun");
TUNTAP_ABI_ASSERT(sizeof(tuntap_tap_dhcp_masq) == TUNTAP_TAP_DHCP_MASQ_SIZE, "dhcp masq");
TUNTAP_ABI_ASSERT(TUNTAP_TAP_IOCTL_GET_MAC == 0x00220004u, "CTL_CODE layout");
TUNTAP_ABI_ASSERT(TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR == 0x0022002Cu, "CTL_CODE layout");

#endif /* TUNTAP_TAP_IOCTL_H */
