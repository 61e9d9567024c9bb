/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_dhcp.h - the DHCP masquerade server (RFC 2131, options RFC 2132).
 *
 * When user space enables it (CONFIG_DHCP_MASQ), the driver answers the
 * host's DHCP client itself, so the adapter is configured with the address
 * the VPN assigned without a DHCP server on the far side. One address is
 * leased; the only client on this link is the host.
 */
#ifndef TT_DHCP_H
#define TT_DHCP_H

#include "tt_types.h"
#include <stddef.h>

#include "tt_status.h"

#define TT_DHCP_SERVER_PORT     67u
#define TT_DHCP_CLIENT_PORT     68u
#define TT_BOOTP_FIXED_LEN      236u /* op .. file (RFC 2131 section 2) */
#define TT_BOOTP_OPTIONS_OFFSET 240u /* after the magic cookie */
#define TT_BOOTP_MIN_LEN        300u /* RFC 951 section 3: 64-byte vend field */
/* RFC 2131 section 2: a client must accept 576-byte IP datagrams, i.e. a
 * DHCP message of 576 - 20 - 8 = 548 bytes. Replies never exceed it. */
#define TT_DHCP_MAX_MESSAGE_LEN 548u
#define TT_DHCP_REPLY_FRAME_MAX (14u + 20u + 8u + TT_DHCP_MAX_MESSAGE_LEN)
#define TT_DHCP_USER_OPTIONS_MAX 256u

/* Message types, option 53 (RFC 2132 9.6). */
enum {
    TT_DHCP_DISCOVER = 1,
    TT_DHCP_OFFER = 2,
    TT_DHCP_REQUEST = 3,
    TT_DHCP_DECLINE = 4,
    TT_DHCP_ACK = 5,
    TT_DHCP_NAK = 6,
    TT_DHCP_RELEASE = 7,
    TT_DHCP_INFORM = 8
};

/* What the server hands out. Addresses in host byte order. */
typedef struct tt_dhcp_server_config {
    uint32_t client_ip;
    uint32_t netmask;
    uint32_t server_ip;
    uint32_t lease_seconds;
    uint8_t server_mac[6];
    const uint8_t *user_options; /* borrowed; validated TLVs; may be NULL */
    size_t user_options_length;  /* <= TT_DHCP_USER_OPTIONS_MAX          */
} tt_dhcp_server_config;

/* The fields of a client message the server acts on. */
typedef struct tt_dhcp_request {
    uint8_t message_type;
    uint32_t xid;
    uint16_t flags;
    uint32_t ciaddr;
    uint32_t giaddr;
    uint8_t chaddr[6];
    bool has_requested_ip;
    uint32_t requested_ip; /* option 50 */
    bool has_server_id;
    uint32_t server_id;    /* option 54 */
} tt_dhcp_request;

/*
 * Parses a BOOTREQUEST (the UDP payload, len bytes). Requires op 1, htype 1,
 * hlen 6, the magic cookie 99.130.83.99 and an option 53 of length 1.
 * Options are read from the options field only (an option-overload of
 * sname/file is not followed). Returns TT_OK or TT_E_MALFORMED.
 */
tt_status tt_dhcp_parse_request(const uint8_t *msg, size_t len, tt_dhcp_request *req);

/*
 * Validates options supplied through CONFIG_DHCP_SET_OPT: a sequence of
 * RFC 2132 options (pad bytes allowed, END not allowed) exactly filling len
 * bytes, len <= TT_DHCP_USER_OPTIONS_MAX, and none of the options the server
 * owns (51 lease, 52 overload, 53 type, 54 server id, 58 T1, 59 T2).
 * Returns TT_OK or TT_E_INVALID_PARAMETER.
 */
tt_status tt_dhcp_validate_user_options(const uint8_t *opts, size_t len);

/*
 * Decides the answer to *req (RFC 2131 4.3) and, if there is one, builds the
 * complete Ethernet frame at out. DISCOVER -> OFFER; REQUEST -> ACK or NAK;
 * INFORM -> ACK without lease; DECLINE, RELEASE, relayed messages (giaddr
 * set) and REQUESTs addressed to another server get no answer.
 * Returns TT_OK with *out_len = frame length, or 0 when no answer is due;
 * TT_E_BUFFER_TOO_SMALL (nothing written) when cap < TT_DHCP_REPLY_FRAME_MAX.
 */
tt_status tt_dhcp_respond(const tt_dhcp_server_config *cfg, const tt_dhcp_request *req,
                          uint8_t *out, size_t cap, size_t *out_len);

/*
 * Convenience for the data path: if the Ethernet frame is an IPv4/UDP
 * message from port 68 to port 67 that parses as a DHCP request, answers it
 * as tt_dhcp_respond does and returns TT_OK (*out_len may be 0). Returns
 * TT_E_MALFORMED, with *out_len = 0, for anything else.
 */
tt_status tt_dhcp_handle_frame(const tt_dhcp_server_config *cfg, const uint8_t *frame,
                               size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* True if the Ethernet frame is IPv4/UDP addressed to the DHCP server port.
 * Cheap pre-check; does not validate checksums. */
bool tt_dhcp_is_client_frame(const uint8_t *frame, size_t len);

#endif /* TT_DHCP_H */
