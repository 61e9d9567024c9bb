/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_ntstatus_map.h - how core/ results become IRP completion codes, and so
 * the Win32 errors user space sees (RtlNtStatusToDosError):
 *   TT_E_INVALID_REQUEST   STATUS_INVALID_DEVICE_REQUEST ERROR_INVALID_FUNCTION
 *   TT_E_BUFFER_TOO_SMALL  STATUS_BUFFER_TOO_SMALL       ERROR_INSUFFICIENT_BUFFER
 *   TT_E_INVALID_PARAMETER STATUS_INVALID_PARAMETER      ERROR_INVALID_PARAMETER
 *   TT_E_MALFORMED         STATUS_INVALID_PARAMETER      ERROR_INVALID_PARAMETER
 *   TT_E_NOT_SUPPORTED     STATUS_NOT_SUPPORTED          ERROR_NOT_SUPPORTED
 *   TT_E_INVALID_STATE     STATUS_INVALID_DEVICE_STATE   ERROR_BAD_COMMAND
 *   TT_E_QUEUE_FULL        STATUS_INSUFFICIENT_RESOURCES ERROR_NO_SYSTEM_RESOURCES
 * Portable: builds against the WDK and tests/stubs.
 */
#ifndef TT_NTSTATUS_MAP_H
#define TT_NTSTATUS_MAP_H

#include <ndis.h>

#include "../core/tt_status.h"

static inline NTSTATUS TtNtStatusFromCore(tt_status Status)
{
    switch (Status) {
    case TT_OK:
        return STATUS_SUCCESS;
    case TT_E_INVALID_REQUEST:
        return STATUS_INVALID_DEVICE_REQUEST;
    case TT_E_BUFFER_TOO_SMALL:
        return STATUS_BUFFER_TOO_SMALL;
    case TT_E_NOT_SUPPORTED:
        return STATUS_NOT_SUPPORTED;
    case TT_E_INVALID_STATE:
        return STATUS_INVALID_DEVICE_STATE;
    case TT_E_QUEUE_FULL:
        return STATUS_INSUFFICIENT_RESOURCES;
    case TT_E_INVALID_PARAMETER:
    case TT_E_MALFORMED:
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

#endif /* TT_NTSTATUS_MAP_H */
