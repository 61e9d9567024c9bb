// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code DNS_INTERFACE_SETTINGS} ({@code netioapi.h}, Windows 10 2004 and later): 64 bytes. Strings are
 * UTF-16, NUL-terminated, in caller-owned native memory; name servers are comma-separated.
 */
@FieldOrder({"Version", "Flags", "Domain", "NameServer", "SearchList", "RegistrationEnabled",
        "RegisterAdapterName", "EnableLLMNR", "QueryAdapterName", "ProfileNameServer"})
public class DnsInterfaceSettings extends Structure {
    /** {@code DNS_INTERFACE_SETTINGS_VERSION1}. */
    public static final int VERSION1 = 1;
    /** {@code DNS_SETTING_IPV6}: the settings are for IPv6. */
    public static final long DNS_SETTING_IPV6 = 0x0001;
    /** {@code DNS_SETTING_NAMESERVER}. */
    public static final long DNS_SETTING_NAMESERVER = 0x0002;
    /** {@code DNS_SETTING_SEARCHLIST}. */
    public static final long DNS_SETTING_SEARCHLIST = 0x0004;

    /** {@code ULONG}. */
    public int Version = VERSION1;
    /** {@code ULONG64}: which fields are set. */
    public long Flags;
    /** {@code PWSTR}. */
    public Pointer Domain;
    /** {@code PWSTR}. */
    public Pointer NameServer;
    /** {@code PWSTR}. */
    public Pointer SearchList;
    /** {@code ULONG}. */
    public int RegistrationEnabled;
    /** {@code ULONG}. */
    public int RegisterAdapterName;
    /** {@code ULONG}. */
    public int EnableLLMNR;
    /** {@code ULONG}. */
    public int QueryAdapterName;
    /** {@code PWSTR}. */
    public Pointer ProfileNameServer;
}
