// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code MIB_UNICASTIPADDRESS_ROW} ({@code netioapi.h}): 80 bytes. Fill it with
 * {@code InitializeUnicastIpAddressEntry} before {@code CreateUnicastIpAddressEntry}.
 */
@FieldOrder({"Address", "InterfaceLuid", "InterfaceIndex", "PrefixOrigin", "SuffixOrigin", "ValidLifetime",
        "PreferredLifetime", "OnLinkPrefixLength", "SkipAsSource", "DadState", "ScopeId", "CreationTimeStamp"})
public class MibUnicastIpAddressRow extends Structure {
    /** {@code IpPrefixOriginManual}. */
    public static final int IP_PREFIX_ORIGIN_MANUAL = 1;
    /** {@code IpSuffixOriginManual}. */
    public static final int IP_SUFFIX_ORIGIN_MANUAL = 1;
    /** {@code IpDadStatePreferred}: the address is usable. */
    public static final int IP_DAD_STATE_PREFERRED = 4;
    /** {@code IpDadStateTentative}: duplicate address detection is still running. */
    public static final int IP_DAD_STATE_TENTATIVE = 1;

    /** The address. */
    public SockaddrInet Address = new SockaddrInet();
    /** {@code NET_LUID}. */
    public long InterfaceLuid;
    /** {@code NET_IFINDEX}. */
    public int InterfaceIndex;
    /** {@code NL_PREFIX_ORIGIN}. */
    public int PrefixOrigin;
    /** {@code NL_SUFFIX_ORIGIN}. */
    public int SuffixOrigin;
    /** Seconds; 0xffffffff is infinite. */
    public int ValidLifetime;
    /** Seconds; 0xffffffff is infinite. */
    public int PreferredLifetime;
    /** {@code UINT8}. */
    public byte OnLinkPrefixLength;
    /** {@code BOOLEAN}. */
    public byte SkipAsSource;
    /** {@code NL_DAD_STATE}. */
    public int DadState;
    /** {@code SCOPE_ID}. */
    public int ScopeId;
    /** {@code LARGE_INTEGER}. */
    public long CreationTimeStamp;

    /** An empty row. */
    public MibUnicastIpAddressRow() {
    }

    /** A view of the row at {@code p}, e.g. in a table; call {@link #read()}. */
    public MibUnicastIpAddressRow(Pointer p) {
        super(p);
    }
}
