/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_ioctl.h - decoding, validation and execution of the control device's
 * IOCTLs (abi/tuntap_tap_ioctl.h).
 *
 * Two steps, so that the glue can hold its lock only for the second:
 *   tt_ioctl_decode  checks the code, the buffer lengths and every input
 *                    value, and copies the input into a tt_ioctl_request;
 *   tt_ioctl_execute applies it to a tt_state and writes the output.
 * Because decode copies the input first, in and out may be the same buffer
 * (METHOD_BUFFERED passes one system buffer for both).
 */
#ifndef TT_IOCTL_H
#define TT_IOCTL_H

#include "tt_types.h"
#include <stddef.h>

#include "tt_state.h"
#include "tt_status.h"

typedef struct tt_ioctl_request {
    uint32_t code;
    uint32_t function;     /* TUNTAP_CTL_FUNCTION(code), 1..11           */
    uint32_t value;        /* SET_MEDIA_STATUS, PRIORITY_BEHAVIOR        */
    tt_tun_config tun;     /* CONFIG_TUN, CONFIG_POINT_TO_POINT          */
    uint32_t dhcp_client_ip, dhcp_netmask, dhcp_server_ip, dhcp_lease_seconds;
    uint8_t options[TT_DHCP_USER_OPTIONS_MAX];
    uint32_t options_length; /* CONFIG_DHCP_SET_OPT                      */
} tt_ioctl_request;

/*
 * Decodes and validates one request. in/in_len is the input buffer,
 * out_len the size of the output buffer (only its size is checked here).
 * Returns TT_OK and fills *req, or:
 *   TT_E_INVALID_REQUEST   unknown code, or wrong device type, access or
 *                          method bits, or GET_LOG_LINE;
 *   TT_E_INVALID_PARAMETER input shorter than the payload, or a value out
 *                          of range (media not 0/1, priority > 2, mask not
 *                          contiguous, network & ~mask != 0, zero or equal
 *                          addresses, lease 0, malformed DHCP options);
 *   TT_E_BUFFER_TOO_SMALL  output buffer shorter than the result;
 *   TT_E_NOT_SUPPORTED     a valid priority behaviour other than NOPRIORITY.
 */
tt_status tt_ioctl_decode(uint32_t code, const void *in, size_t in_len, size_t out_len,
                          tt_ioctl_request *req);

/*
 * Executes a decoded request against *st and writes any output to out
 * (out_len bytes). *bytes_returned receives the IoStatus.Information value;
 * *media_changed is set true if the reported link state changed (the glue
 * then indicates NDIS_STATUS_LINK_STATE). Returns TT_OK, or
 * TT_E_INVALID_STATE for CONFIG_DHCP_SET_OPT while the DHCP masquerade is
 * off (st unchanged), or TT_E_BUFFER_TOO_SMALL if out_len changed since
 * decoding.
 */
tt_status tt_ioctl_execute(tt_state *st, const tt_ioctl_request *req, void *out,
                           size_t out_len, size_t *bytes_returned, bool *media_changed);

#endif /* TT_IOCTL_H */
