/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_status.h - the error convention of every core/ function.
 *
 * Functions that can fail return tt_status: TT_OK (0) on success, a negative
 * TT_E_* value otherwise. On failure no output parameter is meaningful unless
 * the function's comment says otherwise, and no caller-owned memory has been
 * taken over. The glue maps these to NTSTATUS (glue/tt_ntstatus_map.h).
 */
#ifndef TT_STATUS_H
#define TT_STATUS_H

typedef enum tt_status {
    TT_OK = 0,
    TT_E_INVALID_REQUEST = -1,  /* unknown or unsupported IOCTL function   */
    TT_E_BUFFER_TOO_SMALL = -2, /* output buffer cannot hold the result     */
    TT_E_INVALID_PARAMETER = -3,/* input too short or a value out of range  */
    TT_E_MALFORMED = -4,        /* a packet failed a parser's bounds checks */
    TT_E_QUEUE_FULL = -5,       /* bounded queue has no room; item refused  */
    TT_E_NOT_SUPPORTED = -6,    /* a valid request this driver does not do  */
    TT_E_INVALID_STATE = -7     /* request not allowed in the current mode  */
} tt_status;

#endif /* TT_STATUS_H */
