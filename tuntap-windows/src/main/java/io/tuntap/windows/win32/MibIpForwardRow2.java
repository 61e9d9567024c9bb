// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code MIB_IPFORWARD_ROW2} ({@code netioapi.h}): 104 bytes. Fill it with {@code InitializeIpForwardEntry}
 * before {@code CreateIpForwardEntry2}; a {@code NextHop} of the unspecified address means on-link.
 */
@FieldOrder({"InterfaceLuid", "InterfaceIndex", "DestinationPrefix", "NextHop", "SitePrefixLength",
        "ValidLifetime", "PreferredLifetime", "Metric", "Protocol", "Loopback", "AutoconfigureAddress", "Publish",
        "Immortal", "Age", "Origin"})
public class MibIpForwardRow2 extends Structure {
    /** {@code MIB_IPPROTO_NETMGMT}: a static route set by management. */
    public static final int MIB_IPPROTO_NETMGMT = 3;

    /** {@code NET_LUID}. */
    public long InterfaceLuid;
    /** {@code NET_IFINDEX}. */
    public int InterfaceIndex;
    /** {@code IP_ADDRESS_PREFIX}. */
    public IpAddressPrefix DestinationPrefix = new IpAddressPrefix();
    /** {@code SOCKADDR_INET}. */
    public SockaddrInet NextHop = new SockaddrInet();
    /** {@code UCHAR}. */
    public byte SitePrefixLength;
    /** {@code ULONG}. */
    public int ValidLifetime;
    /** {@code ULONG}. */
    public int PreferredLifetime;
    /** {@code ULONG}: added to the interface metric. */
    public int Metric;
    /** {@code NL_ROUTE_PROTOCOL}. */
    public int Protocol;
    /** {@code BOOLEAN}. */
    public byte Loopback;
    /** {@code BOOLEAN}. */
    public byte AutoconfigureAddress;
    /** {@code BOOLEAN}. */
    public byte Publish;
    /** {@code BOOLEAN}. */
    public byte Immortal;
    /** {@code ULONG}. */
    public int Age;
    /** {@code NL_ROUTE_ORIGIN}. */
    public int Origin;

    /** An empty row. */
    public MibIpForwardRow2() {
    }

    /** A view of the row at {@code p}, e.g. in a table; call {@link #read()}. */
    public MibIpForwardRow2(Pointer p) {
        super(p);
    }
}
