/* SPDX-License-Identifier: Apache-2.0 */
/*
 * win32_layout_probe - prints the size and field offsets of every Windows
 * structure that tuntap-windows maps with JNA, and the sizes of the basic
 * Windows types, as "sizeof(T)=N" and "offsetof(T,field)=N" lines (decimal),
 * and the constants of the waits and control codes the backend uses.
 *
 * Built with mingw-w64 for x86_64 (LLP64) and run under wine, or on Windows;
 * scripts/win32-layout-probe writes its output to
 * src/test/resources/io/tuntap/windows/win32/win64-layout-golden.txt, and the
 * Java test Win32LayoutGoldenTest compares every JNA Structure with that file.
 *
 * DNS_INTERFACE_SETTINGS is missing from mingw-w64 10's netioapi.h, so it is
 * declared here as Microsoft documents it (netioapi.h, Windows 10 2004 SDK).
 */
#define WIN32_LEAN_AND_MEAN
#define _WIN32_WINNT 0x0A00
#include <winsock2.h>
#include <ws2ipdef.h>
#include <windows.h>
#include <iphlpapi.h>
#include <netioapi.h>
#include <setupapi.h>
#include <winioctl.h>
#include <stddef.h>
#include <stdio.h>

typedef struct _PROBE_DNS_INTERFACE_SETTINGS {
    ULONG Version;
    ULONG64 Flags;
    PWSTR Domain;
    PWSTR NameServer;
    PWSTR SearchList;
    ULONG RegistrationEnabled;
    ULONG RegisterAdapterName;
    ULONG EnableLLMNR;
    ULONG QueryAdapterName;
    PWSTR ProfileNameServer;
} PROBE_DNS_INTERFACE_SETTINGS;
#define DNS_INTERFACE_SETTINGS PROBE_DNS_INTERFACE_SETTINGS

#define SIZE(t) printf("sizeof(%s)=%u\n", #t, (unsigned)sizeof(t))
#define OFF(t, f) printf("offsetof(%s,%s)=%u\n", #t, #f, (unsigned)offsetof(t, f))

int main(void)
{
    /* Basic types: LLP64 means 4-byte long and 8-byte pointers. */
    SIZE(DWORD);
    SIZE(ULONG);
    SIZE(long);
    SIZE(void *);
    SIZE(HANDLE);
    SIZE(WCHAR);
    SIZE(BOOL);
    SIZE(BOOLEAN);
    SIZE(NET_LUID);

    SIZE(OVERLAPPED);
    OFF(OVERLAPPED, Internal);
    OFF(OVERLAPPED, InternalHigh);
    OFF(OVERLAPPED, Offset);
    OFF(OVERLAPPED, OffsetHigh);
    OFF(OVERLAPPED, hEvent);

    SIZE(GUID);
    OFF(GUID, Data1);
    OFF(GUID, Data2);
    OFF(GUID, Data3);
    OFF(GUID, Data4);

    SIZE(SP_DEVINFO_DATA);
    OFF(SP_DEVINFO_DATA, cbSize);
    OFF(SP_DEVINFO_DATA, ClassGuid);
    OFF(SP_DEVINFO_DATA, DevInst);
    OFF(SP_DEVINFO_DATA, Reserved);

    SIZE(SP_CLASSINSTALL_HEADER);
    OFF(SP_CLASSINSTALL_HEADER, cbSize);
    OFF(SP_CLASSINSTALL_HEADER, InstallFunction);

    SIZE(SP_REMOVEDEVICE_PARAMS);
    OFF(SP_REMOVEDEVICE_PARAMS, ClassInstallHeader);
    OFF(SP_REMOVEDEVICE_PARAMS, Scope);
    OFF(SP_REMOVEDEVICE_PARAMS, HwProfile);

    SIZE(SOCKADDR_INET);
    OFF(SOCKADDR_INET, si_family);
    OFF(SOCKADDR_INET, Ipv4.sin_port);
    OFF(SOCKADDR_INET, Ipv4.sin_addr);
    OFF(SOCKADDR_INET, Ipv6.sin6_flowinfo);
    OFF(SOCKADDR_INET, Ipv6.sin6_addr);
    OFF(SOCKADDR_INET, Ipv6.sin6_scope_id);

    SIZE(IP_ADDRESS_PREFIX);
    OFF(IP_ADDRESS_PREFIX, Prefix);
    OFF(IP_ADDRESS_PREFIX, PrefixLength);

    SIZE(MIB_UNICASTIPADDRESS_ROW);
    OFF(MIB_UNICASTIPADDRESS_ROW, Address);
    OFF(MIB_UNICASTIPADDRESS_ROW, InterfaceLuid);
    OFF(MIB_UNICASTIPADDRESS_ROW, InterfaceIndex);
    OFF(MIB_UNICASTIPADDRESS_ROW, PrefixOrigin);
    OFF(MIB_UNICASTIPADDRESS_ROW, SuffixOrigin);
    OFF(MIB_UNICASTIPADDRESS_ROW, ValidLifetime);
    OFF(MIB_UNICASTIPADDRESS_ROW, PreferredLifetime);
    OFF(MIB_UNICASTIPADDRESS_ROW, OnLinkPrefixLength);
    OFF(MIB_UNICASTIPADDRESS_ROW, SkipAsSource);
    OFF(MIB_UNICASTIPADDRESS_ROW, DadState);
    OFF(MIB_UNICASTIPADDRESS_ROW, ScopeId);
    OFF(MIB_UNICASTIPADDRESS_ROW, CreationTimeStamp);
    SIZE(MIB_UNICASTIPADDRESS_TABLE);
    OFF(MIB_UNICASTIPADDRESS_TABLE, NumEntries);
    OFF(MIB_UNICASTIPADDRESS_TABLE, Table);

    SIZE(MIB_IPINTERFACE_ROW);
    OFF(MIB_IPINTERFACE_ROW, Family);
    OFF(MIB_IPINTERFACE_ROW, InterfaceLuid);
    OFF(MIB_IPINTERFACE_ROW, InterfaceIndex);
    OFF(MIB_IPINTERFACE_ROW, MaxReassemblySize);
    OFF(MIB_IPINTERFACE_ROW, InterfaceIdentifier);
    OFF(MIB_IPINTERFACE_ROW, MinRouterAdvertisementInterval);
    OFF(MIB_IPINTERFACE_ROW, MaxRouterAdvertisementInterval);
    OFF(MIB_IPINTERFACE_ROW, AdvertisingEnabled);
    OFF(MIB_IPINTERFACE_ROW, ForwardingEnabled);
    OFF(MIB_IPINTERFACE_ROW, WeakHostSend);
    OFF(MIB_IPINTERFACE_ROW, WeakHostReceive);
    OFF(MIB_IPINTERFACE_ROW, UseAutomaticMetric);
    OFF(MIB_IPINTERFACE_ROW, UseNeighborUnreachabilityDetection);
    OFF(MIB_IPINTERFACE_ROW, ManagedAddressConfigurationSupported);
    OFF(MIB_IPINTERFACE_ROW, OtherStatefulConfigurationSupported);
    OFF(MIB_IPINTERFACE_ROW, AdvertiseDefaultRoute);
    OFF(MIB_IPINTERFACE_ROW, RouterDiscoveryBehavior);
    OFF(MIB_IPINTERFACE_ROW, DadTransmits);
    OFF(MIB_IPINTERFACE_ROW, BaseReachableTime);
    OFF(MIB_IPINTERFACE_ROW, RetransmitTime);
    OFF(MIB_IPINTERFACE_ROW, PathMtuDiscoveryTimeout);
    OFF(MIB_IPINTERFACE_ROW, LinkLocalAddressBehavior);
    OFF(MIB_IPINTERFACE_ROW, LinkLocalAddressTimeout);
    OFF(MIB_IPINTERFACE_ROW, ZoneIndices);
    OFF(MIB_IPINTERFACE_ROW, SitePrefixLength);
    OFF(MIB_IPINTERFACE_ROW, Metric);
    OFF(MIB_IPINTERFACE_ROW, NlMtu);
    OFF(MIB_IPINTERFACE_ROW, Connected);
    OFF(MIB_IPINTERFACE_ROW, SupportsWakeUpPatterns);
    OFF(MIB_IPINTERFACE_ROW, SupportsNeighborDiscovery);
    OFF(MIB_IPINTERFACE_ROW, SupportsRouterDiscovery);
    OFF(MIB_IPINTERFACE_ROW, ReachableTime);
    OFF(MIB_IPINTERFACE_ROW, TransmitOffload);
    OFF(MIB_IPINTERFACE_ROW, ReceiveOffload);
    OFF(MIB_IPINTERFACE_ROW, DisableDefaultRoutes);

    SIZE(MIB_IPFORWARD_ROW2);
    OFF(MIB_IPFORWARD_ROW2, InterfaceLuid);
    OFF(MIB_IPFORWARD_ROW2, InterfaceIndex);
    OFF(MIB_IPFORWARD_ROW2, DestinationPrefix);
    OFF(MIB_IPFORWARD_ROW2, NextHop);
    OFF(MIB_IPFORWARD_ROW2, SitePrefixLength);
    OFF(MIB_IPFORWARD_ROW2, ValidLifetime);
    OFF(MIB_IPFORWARD_ROW2, PreferredLifetime);
    OFF(MIB_IPFORWARD_ROW2, Metric);
    OFF(MIB_IPFORWARD_ROW2, Protocol);
    OFF(MIB_IPFORWARD_ROW2, Loopback);
    OFF(MIB_IPFORWARD_ROW2, AutoconfigureAddress);
    OFF(MIB_IPFORWARD_ROW2, Publish);
    OFF(MIB_IPFORWARD_ROW2, Immortal);
    OFF(MIB_IPFORWARD_ROW2, Age);
    OFF(MIB_IPFORWARD_ROW2, Origin);
    SIZE(MIB_IPFORWARD_TABLE2);
    OFF(MIB_IPFORWARD_TABLE2, NumEntries);
    OFF(MIB_IPFORWARD_TABLE2, Table);

    SIZE(DNS_INTERFACE_SETTINGS);
    OFF(DNS_INTERFACE_SETTINGS, Version);
    OFF(DNS_INTERFACE_SETTINGS, Flags);
    OFF(DNS_INTERFACE_SETTINGS, Domain);
    OFF(DNS_INTERFACE_SETTINGS, NameServer);
    OFF(DNS_INTERFACE_SETTINGS, SearchList);
    OFF(DNS_INTERFACE_SETTINGS, RegistrationEnabled);
    OFF(DNS_INTERFACE_SETTINGS, RegisterAdapterName);
    OFF(DNS_INTERFACE_SETTINGS, EnableLLMNR);
    OFF(DNS_INTERFACE_SETTINGS, QueryAdapterName);
    OFF(DNS_INTERFACE_SETTINGS, ProfileNameServer);

    /* The wait constants (winnt.h MAXIMUM_WAIT_OBJECTS, winbase.h WAIT_OBJECT_0, WAIT_FAILED and INFINITE,
     * winerror.h WAIT_TIMEOUT). */
    printf("MAXIMUM_WAIT_OBJECTS=%u\n", (unsigned)MAXIMUM_WAIT_OBJECTS);
    printf("WAIT_OBJECT_0=%lu\n", (unsigned long)WAIT_OBJECT_0);
    printf("WAIT_TIMEOUT=%lu\n", (unsigned long)WAIT_TIMEOUT);
    printf("WAIT_FAILED=0x%08lX\n", (unsigned long)WAIT_FAILED);
    printf("INFINITE=0x%08lX\n", (unsigned long)INFINITE);

    /* Control codes, from the SDK's own CTL_CODE macro (winioctl.h). */
    printf("CTL_CODE(FILE_DEVICE_UNKNOWN,1,METHOD_BUFFERED,FILE_ANY_ACCESS)=0x%08lX\n",
           (unsigned long)CTL_CODE(FILE_DEVICE_UNKNOWN, 1, METHOD_BUFFERED, FILE_ANY_ACCESS));
    printf("CTL_CODE(FILE_DEVICE_UNKNOWN,10,METHOD_BUFFERED,FILE_ANY_ACCESS)=0x%08lX\n",
           (unsigned long)CTL_CODE(FILE_DEVICE_UNKNOWN, 10, METHOD_BUFFERED, FILE_ANY_ACCESS));
    printf("CTL_CODE(51820,0x970,METHOD_BUFFERED,FILE_READ_DATA|FILE_WRITE_DATA)=0x%08lX\n",
           (unsigned long)CTL_CODE(51820, 0x970, METHOD_BUFFERED, FILE_READ_DATA | FILE_WRITE_DATA));
    return 0;
}
