// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;

/**
 * The SetupAPI functions the backend calls, W variants, with the project's {@link SpDevinfoData}.
 * jna-platform's {@code SetupApi} has the enumeration functions but not device creation, and its
 * {@code SP_DEVINFO_DATA} cannot be built where SetupAPI is absent; every function here returns
 * {@code FALSE} / {@code INVALID_HANDLE_VALUE} on failure with the error in {@code GetLastError}. Windows only.
 */
public interface SetupApiEx extends StdCallLibrary {
    /** {@code GUID_DEVCLASS_NET}: the network adapter setup class. */
    String GUID_DEVCLASS_NET = "{4D36E972-E325-11CE-BFC1-08002BE10318}";
    /** {@code DIGCF_PRESENT}. */
    int DIGCF_PRESENT = 0x2;
    /** {@code DICS_FLAG_GLOBAL}. */
    int DICS_FLAG_GLOBAL = 1;
    /** {@code DIREG_DRV}: the driver (software) key. */
    int DIREG_DRV = 2;
    /** {@code DICD_GENERATE_ID}. */
    int DICD_GENERATE_ID = 1;
    /** {@code SPDRP_HARDWAREID}. */
    int SPDRP_HARDWAREID = 1;
    /** {@code KEY_READ}. */
    int KEY_READ = 0x20019;

    /** Binds {@code setupapi.dll}. */
    static SetupApiEx load() {
        return Native.load("setupapi", SetupApiEx.class, W32APIOptions.UNICODE_OPTIONS);
    }

    /** {@code SetupDiGetClassDevsW(ClassGuid, Enumerator, hwndParent, Flags)}. */
    Pointer SetupDiGetClassDevsW(Guid.GUID classGuid, String enumerator, Pointer hwndParent, int flags);

    /** {@code SetupDiEnumDeviceInfo}. */
    boolean SetupDiEnumDeviceInfo(Pointer set, int index, SpDevinfoData data);

    /** {@code SetupDiOpenDevRegKey}: an {@code HKEY}, or {@code INVALID_HANDLE_VALUE}. */
    Pointer SetupDiOpenDevRegKey(Pointer set, SpDevinfoData data, int scope, int hwProfile, int keyType, int access);

    /** {@code SetupDiDestroyDeviceInfoList}. */
    boolean SetupDiDestroyDeviceInfoList(Pointer set);

    /** {@code SetupDiCreateDeviceInfoList(ClassGuid, hwndParent)}. */
    Pointer SetupDiCreateDeviceInfoList(Guid.GUID classGuid, Pointer hwndParent);

    /** {@code SetupDiCreateDeviceInfoW(set, DeviceName, ClassGuid, DeviceDescription, hwndParent, CreationFlags, data)}. */
    boolean SetupDiCreateDeviceInfoW(Pointer set, String deviceName, Guid.GUID classGuid, String description,
            Pointer hwndParent, int creationFlags, SpDevinfoData data);

    /** {@code SetupDiSetDeviceRegistryPropertyW}: {@code buffer} is a REG_MULTI_SZ in UTF-16LE for hardware ids. */
    boolean SetupDiSetDeviceRegistryPropertyW(Pointer set, SpDevinfoData data, int property, byte[] buffer, int size);

    /** {@code SetupDiCallClassInstaller(InstallFunction, set, data)}. */
    boolean SetupDiCallClassInstaller(int installFunction, Pointer set, SpDevinfoData data);

    /** {@code SetupDiSetClassInstallParamsW} with {@code SP_REMOVEDEVICE_PARAMS}. */
    boolean SetupDiSetClassInstallParamsW(Pointer set, SpDevinfoData data, SpRemoveDeviceParams params, int size);

    /** {@code SetupDiGetDeviceRegistryPropertyW}. */
    boolean SetupDiGetDeviceRegistryPropertyW(Pointer set, SpDevinfoData data, int property, IntByReference type,
            byte[] buffer, int size, IntByReference required);

    /** {@code newdev.dll}: installs the best driver on a registered device. */
    interface Newdev extends StdCallLibrary {
        /** Binds {@code newdev.dll}. */
        static Newdev load() {
            return Native.load("newdev", Newdev.class, W32APIOptions.UNICODE_OPTIONS);
        }

        /** {@code DiInstallDevice(hwndParent, set, data, DriverInfoData, Flags, NeedReboot)}. */
        boolean DiInstallDevice(Pointer hwndParent, Pointer set, SpDevinfoData data, Pointer driverInfo, int flags,
                IntByReference needReboot);
    }
}
