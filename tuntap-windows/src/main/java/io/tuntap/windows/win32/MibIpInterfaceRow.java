// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code MIB_IPINTERFACE_ROW} ({@code netioapi.h}): 168 bytes; one per interface and address family. Read it
 * with {@code GetIpInterfaceEntry} (set {@code Family} and {@code InterfaceLuid} first), change fields, write
 * it with {@code SetIpInterfaceEntry} (which wants {@code SitePrefixLength} 0 for IPv4).
 */
@FieldOrder({"Family", "InterfaceLuid", "InterfaceIndex", "MaxReassemblySize", "InterfaceIdentifier",
        "MinRouterAdvertisementInterval", "MaxRouterAdvertisementInterval", "AdvertisingEnabled",
        "ForwardingEnabled", "WeakHostSend", "WeakHostReceive", "UseAutomaticMetric",
        "UseNeighborUnreachabilityDetection", "ManagedAddressConfigurationSupported",
        "OtherStatefulConfigurationSupported", "AdvertiseDefaultRoute", "RouterDiscoveryBehavior", "DadTransmits",
        "BaseReachableTime", "RetransmitTime", "PathMtuDiscoveryTimeout", "LinkLocalAddressBehavior",
        "LinkLocalAddressTimeout", "ZoneIndices", "SitePrefixLength", "Metric", "NlMtu", "Connected",
        "SupportsWakeUpPatterns", "SupportsNeighborDiscovery", "SupportsRouterDiscovery", "ReachableTime",
        "TransmitOffload", "ReceiveOffload", "DisableDefaultRoutes"})
public class MibIpInterfaceRow extends Structure {
    /** {@code ADDRESS_FAMILY}. */
    public short Family;
    /** {@code NET_LUID}. */
    public long InterfaceLuid;
    /** {@code NET_IFINDEX}. */
    public int InterfaceIndex;
    /** {@code ULONG}. */
    public int MaxReassemblySize;
    /** {@code ULONG64}. */
    public long InterfaceIdentifier;
    /** {@code ULONG}. */
    public int MinRouterAdvertisementInterval;
    /** {@code ULONG}. */
    public int MaxRouterAdvertisementInterval;
    /** {@code BOOLEAN}. */
    public byte AdvertisingEnabled;
    /** {@code BOOLEAN}. */
    public byte ForwardingEnabled;
    /** {@code BOOLEAN}. */
    public byte WeakHostSend;
    /** {@code BOOLEAN}. */
    public byte WeakHostReceive;
    /** {@code BOOLEAN}: if set, {@link #Metric} is ignored. */
    public byte UseAutomaticMetric;
    /** {@code BOOLEAN}. */
    public byte UseNeighborUnreachabilityDetection;
    /** {@code BOOLEAN}. */
    public byte ManagedAddressConfigurationSupported;
    /** {@code BOOLEAN}. */
    public byte OtherStatefulConfigurationSupported;
    /** {@code BOOLEAN}. */
    public byte AdvertiseDefaultRoute;
    /** {@code NL_ROUTER_DISCOVERY_BEHAVIOR}. */
    public int RouterDiscoveryBehavior;
    /** {@code ULONG}: 0 turns duplicate address detection off. */
    public int DadTransmits;
    /** {@code ULONG}. */
    public int BaseReachableTime;
    /** {@code ULONG}. */
    public int RetransmitTime;
    /** {@code ULONG}. */
    public int PathMtuDiscoveryTimeout;
    /** {@code NL_LINK_LOCAL_ADDRESS_BEHAVIOR}. */
    public int LinkLocalAddressBehavior;
    /** {@code ULONG}. */
    public int LinkLocalAddressTimeout;
    /** {@code ULONG[ScopeLevelCount]}, 16 entries. */
    public int[] ZoneIndices = new int[16];
    /** {@code ULONG}. */
    public int SitePrefixLength;
    /** {@code ULONG}: the interface metric. */
    public int Metric;
    /** {@code ULONG}: the IP MTU of this family. */
    public int NlMtu;
    /** {@code BOOLEAN}: media connected. */
    public byte Connected;
    /** {@code BOOLEAN}. */
    public byte SupportsWakeUpPatterns;
    /** {@code BOOLEAN}. */
    public byte SupportsNeighborDiscovery;
    /** {@code BOOLEAN}. */
    public byte SupportsRouterDiscovery;
    /** {@code ULONG}. */
    public int ReachableTime;
    /** {@code NL_INTERFACE_OFFLOAD_ROD}: bit fields in one byte. */
    public byte TransmitOffload;
    /** {@code NL_INTERFACE_OFFLOAD_ROD}: bit fields in one byte. */
    public byte ReceiveOffload;
    /** {@code BOOLEAN}. */
    public byte DisableDefaultRoutes;
}
