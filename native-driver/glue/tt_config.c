/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_config.c - per-adapter registry parameters (the INF's Ndi\params):
 *   MTU            REG_SZ/DWORD, TT_MTU_MIN..TT_MTU_MAX, default 1500
 *   MediaStatus    0 = application controlled (default), 1 = always connected
 *   NetworkAddress optional administrator MAC; must be unicast and locally
 *                  administered, else the GUID-derived MAC is used
 *   NetCfgInstanceId  the adapter GUID; names the control device
 *
 * WDK ONLY (see tt_adapter.h). Not compiled on Linux.
 */
#include "tt_adapter.h"

#include <ntstrsafe.h>

#include "../core/tt_ether.h"
#include "../core/tt_mac.h"

static ULONG ReadInteger(NDIS_HANDLE Config, PCWSTR Name, ULONG Default)
{
    NDIS_STATUS status;
    PNDIS_CONFIGURATION_PARAMETER value = NULL;
    NDIS_STRING key;
    RtlInitUnicodeString(&key, Name);
    NdisReadConfiguration(&status, &value, Config, &key, NdisParameterInteger);
    if (status != NDIS_STATUS_SUCCESS || value == NULL ||
        value->ParameterType != NdisParameterInteger) {
        return Default;
    }
    return value->ParameterData.IntegerData;
}

_Use_decl_annotations_
NDIS_STATUS TtReadConfiguration(NDIS_HANDLE MiniportHandle, PTT_CONFIG Config)
{
    NDIS_CONFIGURATION_OBJECT object;
    NDIS_HANDLE config = NULL;
    NDIS_STATUS status;
    PNDIS_CONFIGURATION_PARAMETER value = NULL;
    NDIS_STRING key = NDIS_STRING_CONST("NetCfgInstanceId");
    PVOID address = NULL;
    UINT address_length = 0;

    NdisZeroMemory(Config, sizeof(*Config));
    NdisZeroMemory(&object, sizeof(object));
    object.Header.Type = NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT;
    object.Header.Revision = NDIS_CONFIGURATION_OBJECT_REVISION_1;
    object.Header.Size = NDIS_SIZEOF_CONFIGURATION_OBJECT_REVISION_1;
    object.NdisHandle = MiniportHandle;
    object.Flags = 0;
    status = NdisOpenConfigurationEx(&object, &config);
    if (status != NDIS_STATUS_SUCCESS) {
        return status;
    }

    /* The GUID names the control device, so without it there is no adapter. */
    NdisReadConfiguration(&status, &value, config, &key, NdisParameterString);
    if (status != NDIS_STATUS_SUCCESS || value == NULL ||
        value->ParameterType != NdisParameterString ||
        value->ParameterData.StringData.Length != TUNTAP_TAP_GUID_STRING_LENGTH * sizeof(WCHAR)) {
        status = NDIS_STATUS_FAILURE;
        goto out;
    }
    RtlInitEmptyUnicodeString(&Config->InstanceId, Config->InstanceIdBuffer,
                              sizeof(Config->InstanceIdBuffer));
    RtlCopyUnicodeString(&Config->InstanceId, &value->ParameterData.StringData);
    if (!NT_SUCCESS(RtlGUIDFromString(&Config->InstanceId, &Config->InstanceGuid))) {
        status = NDIS_STATUS_FAILURE;
        goto out;
    }

    Config->Mtu = ReadInteger(config, L"MTU", TT_MTU_DEFAULT);
    if (Config->Mtu < TT_MTU_MIN || Config->Mtu > TT_MTU_MAX) {
        Config->Mtu = TT_MTU_DEFAULT;
    }
    Config->MediaPolicy = ReadInteger(config, L"MediaStatus", 0) == 1
                              ? TT_MEDIA_ALWAYS_CONNECTED
                              : TT_MEDIA_APPLICATION_CONTROLLED;

    /* A GUID in memory is Data1..Data3 little-endian then Data4, the same
     * 16 bytes tt_mac_from_guid documents. */
    tt_mac_from_guid((const uint8_t *)&Config->InstanceGuid, TT_MAC_ROLE_ADAPTER, Config->Mac);
    NdisReadNetworkAddress(&status, &address, &address_length, config);
    if (status == NDIS_STATUS_SUCCESS && address_length == 6 &&
        tt_mac_is_assignable((const uint8_t *)address)) {
        NdisMoveMemory(Config->Mac, address, 6);
    }
    status = NDIS_STATUS_SUCCESS;

out:
    NdisCloseConfiguration(config);
    return status;
}
