// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The IP Helper ({@code iphlpapi.dll}) functions of {@code netioapi.h} that the backend uses to configure an
 * adapter: none of them is in jna-platform's {@code IPHlpAPI}, which this interface therefore does not
 * extend. Every function returns a Win32 error code ({@code NO_ERROR} = 0) and does not use the thread's
 * last error. {@code NET_LUID} parameters passed by pointer are {@link LongByReference}; tables returned by
 * {@code Get...Table} are freed with {@link #FreeMibTable}.
 *
 * <p>This is the seam: {@link #load()} binds the real DLL; tests implement it in memory.
 */
public interface IpHelper extends Library {
    /** {@code NO_ERROR}. */
    int NO_ERROR = 0;

    /** Binds {@code iphlpapi.dll}; Windows only. */
    static IpHelper load() {
        return Native.load("iphlpapi", IpHelper.class);
    }

    /** {@code ConvertInterfaceGuidToLuid(const GUID*, PNET_LUID)}. */
    int ConvertInterfaceGuidToLuid(Guid.GUID guid, LongByReference luid);

    /** {@code ConvertInterfaceLuidToIndex(const NET_LUID*, PNET_IFINDEX)}. */
    int ConvertInterfaceLuidToIndex(LongByReference luid, IntByReference index);

    /** {@code ConvertInterfaceLuidToGuid(const NET_LUID*, GUID*)}. */
    int ConvertInterfaceLuidToGuid(LongByReference luid, Guid.GUID guid);

    /** {@code ConvertInterfaceAliasToLuid(const WCHAR*, PNET_LUID)}: {@code alias} is UTF-16, NUL-terminated. */
    int ConvertInterfaceAliasToLuid(Pointer alias, LongByReference luid);

    /**
     * {@code ConvertInterfaceLuidToAlias(const NET_LUID*, PWSTR, SIZE_T)}: writes the UTF-16 alias, NUL
     * included, to {@code alias}, which has room for {@code length} characters (257 is always enough).
     */
    int ConvertInterfaceLuidToAlias(LongByReference luid, Pointer alias, long length);

    /** {@code InitializeUnicastIpAddressEntry}: default lifetimes and origins. */
    void InitializeUnicastIpAddressEntry(MibUnicastIpAddressRow row);

    /** {@code CreateUnicastIpAddressEntry}: {@code ERROR_OBJECT_ALREADY_EXISTS} if the address is there. */
    int CreateUnicastIpAddressEntry(MibUnicastIpAddressRow row);

    /** {@code DeleteUnicastIpAddressEntry}: {@code ERROR_NOT_FOUND} if it is not. */
    int DeleteUnicastIpAddressEntry(MibUnicastIpAddressRow row);

    /** {@code GetUnicastIpAddressEntry}: fills the row found by address and LUID (its DAD state, say). */
    int GetUnicastIpAddressEntry(MibUnicastIpAddressRow row);

    /**
     * {@code GetUnicastIpAddressTable(family, PMIB_UNICASTIPADDRESS_TABLE*)}: a {@code ULONG NumEntries} then,
     * at offset 8, that many 80-byte rows. Free it with {@link #FreeMibTable}.
     */
    int GetUnicastIpAddressTable(short family, PointerByReference table);

    /** {@code FreeMibTable}. */
    void FreeMibTable(Pointer table);

    /** {@code GetIpInterfaceEntry}: {@code Family} and {@code InterfaceLuid} select the row. */
    int GetIpInterfaceEntry(MibIpInterfaceRow row);

    /** {@code SetIpInterfaceEntry}. */
    int SetIpInterfaceEntry(MibIpInterfaceRow row);

    /** {@code InitializeIpForwardEntry}. */
    void InitializeIpForwardEntry(MibIpForwardRow2 row);

    /** {@code CreateIpForwardEntry2}: {@code ERROR_OBJECT_ALREADY_EXISTS} for a duplicate. */
    int CreateIpForwardEntry2(MibIpForwardRow2 row);

    /** {@code DeleteIpForwardEntry2}: {@code ERROR_NOT_FOUND} if there is no such route. */
    int DeleteIpForwardEntry2(MibIpForwardRow2 row);

    /**
     * {@code GetIpForwardTable2(family, PMIB_IPFORWARD_TABLE2*)}: {@code NumEntries} then, at offset 8, that
     * many 104-byte rows. Free it with {@link #FreeMibTable}.
     */
    int GetIpForwardTable2(short family, PointerByReference table);

    /** {@code SetInterfaceDnsSettings(GUID, const DNS_INTERFACE_SETTINGS*)}: Windows 10 2004 (build 19041) on. */
    int SetInterfaceDnsSettings(Guid.GUID.ByValue interfaceGuid, DnsInterfaceSettings settings);

    /** {@code PIPINTERFACE_CHANGE_CALLBACK}: called on a system thread. */
    interface InterfaceChangeCallback extends Callback {
        /**
         * @param context the caller's context
         * @param row the changed row (valid only during the call), or null for the initial notification
         * @param notificationType {@code MibParameterNotification} 0, {@code MibAddInstance} 1,
         *     {@code MibDeleteInstance} 2, {@code MibInitialNotification} 3
         */
        void invoke(Pointer context, Pointer row, int notificationType);
    }

    /** {@code NotifyIpInterfaceChange(family, callback, context, initialNotification, HANDLE*)}. */
    int NotifyIpInterfaceChange(short family, InterfaceChangeCallback callback, Pointer context,
            byte initialNotification, PointerByReference handle);

    /** {@code PUNICAST_IPADDRESS_CHANGE_CALLBACK}. */
    interface AddressChangeCallback extends Callback {
        /** Same conventions as {@link InterfaceChangeCallback#invoke}, with a {@code MIB_UNICASTIPADDRESS_ROW}. */
        void invoke(Pointer context, Pointer row, int notificationType);
    }

    /** {@code NotifyUnicastIpAddressChange(family, callback, context, initialNotification, HANDLE*)}. */
    int NotifyUnicastIpAddressChange(short family, AddressChangeCallback callback, Pointer context,
            byte initialNotification, PointerByReference handle);

    /** {@code CancelMibChangeNotify2}. */
    int CancelMibChangeNotify2(Pointer handle);
}
