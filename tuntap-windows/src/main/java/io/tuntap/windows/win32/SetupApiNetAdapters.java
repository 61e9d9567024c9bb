// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.IntByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link NetAdapterRegistry} on SetupAPI, {@code newdev.dll} and the registry (registry reads through
 * jna-platform's {@link Advapi32Util}). Enumeration follows Microsoft's advice to open a device's driver key
 * with {@code SetupDiOpenDevRegKey(DIREG_DRV)} rather than the class key; creation follows the documented
 * sequence for a root-enumerated device ({@code SetupDiCreateDeviceInfo}, hardware id,
 * {@code DIF_REGISTERDEVICE}, {@code DiInstallDevice}). Windows only; never runs a program.
 */
public final class SetupApiNetAdapters implements NetAdapterRegistry {
    private static final String NETWORK_CONNECTIONS_KEY =
            "SYSTEM\\CurrentControlSet\\Control\\Network\\" + SetupApiEx.GUID_DEVCLASS_NET;
    private static final long INVALID = -1L;

    private final SetupApiEx setup;

    /** Binds {@code setupapi.dll}. */
    public SetupApiNetAdapters() {
        this.setup = SetupApiEx.load();
    }

    private static boolean invalid(Pointer p) {
        return p == null || Pointer.nativeValue(p) == INVALID;
    }

    private static Guid.GUID netClass() {
        return Guid.GUID.fromString(SetupApiEx.GUID_DEVCLASS_NET);
    }

    @Override
    public List<Entry> adapters() throws Failure {
        Pointer set = setup.SetupDiGetClassDevsW(netClass(), null, null, SetupApiEx.DIGCF_PRESENT);
        if (invalid(set)) {
            throw new Failure("SetupDiGetClassDevsW(GUID_DEVCLASS_NET)", Native.getLastError());
        }
        try {
            List<Entry> result = new ArrayList<>();
            for (int i = 0;; i++) {
                SpDevinfoData data = new SpDevinfoData();
                if (!setup.SetupDiEnumDeviceInfo(set, i, data)) {
                    break; // ERROR_NO_MORE_ITEMS
                }
                Entry e = driverKeyValues(set, data);
                if (e != null) {
                    result.add(e);
                }
            }
            return result;
        } finally {
            setup.SetupDiDestroyDeviceInfoList(set);
        }
    }

    private Entry driverKeyValues(Pointer set, SpDevinfoData data) {
        Pointer key = setup.SetupDiOpenDevRegKey(set, data, SetupApiEx.DICS_FLAG_GLOBAL, 0, SetupApiEx.DIREG_DRV,
                SetupApiEx.KEY_READ);
        if (invalid(key)) {
            return null; // no driver key: not installed yet
        }
        WinReg.HKEY hkey = new WinReg.HKEY(key);
        try {
            String component = read(hkey, "ComponentId");
            if (component == null) {
                return null;
            }
            return new Entry(component, read(hkey, "NetCfgInstanceId"), read(hkey, "DriverDesc"));
        } finally {
            Advapi32.INSTANCE.RegCloseKey(hkey);
        }
    }

    private static String read(WinReg.HKEY key, String value) {
        try {
            return Advapi32Util.registryValueExists(key, "", value) ? Advapi32Util.registryGetStringValue(key, "", value)
                    : null;
        } catch (Win32Exception e) {
            return null;
        }
    }

    @Override
    public String connectionName(String netCfgInstanceId) throws Failure {
        String key = NETWORK_CONNECTIONS_KEY + "\\" + netCfgInstanceId + "\\Connection";
        try {
            return Advapi32Util.registryValueExists(WinReg.HKEY_LOCAL_MACHINE, key, "Name")
                    ? Advapi32Util.registryGetStringValue(WinReg.HKEY_LOCAL_MACHINE, key, "Name") : null;
        } catch (Win32Exception e) {
            throw new Failure("RegQueryValueExW(" + key + "\\Name)", e.getErrorCode());
        }
    }

    @Override
    public String createAdapter(String hardwareId, String description, long timeoutMillis) throws Failure {
        Pointer set = setup.SetupDiCreateDeviceInfoList(netClass(), null);
        if (invalid(set)) {
            throw new Failure("SetupDiCreateDeviceInfoList(GUID_DEVCLASS_NET)", Native.getLastError());
        }
        try {
            SpDevinfoData data = new SpDevinfoData();
            if (!setup.SetupDiCreateDeviceInfoW(set, "Net", netClass(), description, null,
                    SetupApiEx.DICD_GENERATE_ID, data)) {
                throw new Failure("SetupDiCreateDeviceInfoW", Native.getLastError());
            }
            byte[] ids = (hardwareId + "\0\0").getBytes(StandardCharsets.UTF_16LE);
            if (!setup.SetupDiSetDeviceRegistryPropertyW(set, data, SetupApiEx.SPDRP_HARDWAREID, ids, ids.length)) {
                throw new Failure("SetupDiSetDeviceRegistryPropertyW(SPDRP_HARDWAREID)", Native.getLastError());
            }
            if (!setup.SetupDiCallClassInstaller(SpRemoveDeviceParams.DIF_REGISTERDEVICE, set, data)) {
                throw new Failure("SetupDiCallClassInstaller(DIF_REGISTERDEVICE)", Native.getLastError());
            }
            IntByReference reboot = new IntByReference();
            if (!SetupApiEx.Newdev.load().DiInstallDevice(null, set, data, null, 0, reboot)) {
                int error = Native.getLastError();
                remove(set, data);
                throw new Failure("DiInstallDevice(" + hardwareId + ")", error);
            }
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                Entry e = driverKeyValues(set, data);
                if (e != null && e.netCfgInstanceId() != null) {
                    return e.netCfgInstanceId();
                }
                if (System.nanoTime() - deadline > 0) {
                    remove(set, data);
                    throw new Failure("SetupDiOpenDevRegKey(DIREG_DRV) NetCfgInstanceId", 1460); // ERROR_TIMEOUT
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    remove(set, data);
                    throw new Failure("waiting for NetCfgInstanceId", 1223); // ERROR_CANCELLED
                }
            }
        } finally {
            setup.SetupDiDestroyDeviceInfoList(set);
        }
    }

    private boolean remove(Pointer set, SpDevinfoData data) {
        SpRemoveDeviceParams params = new SpRemoveDeviceParams();
        params.InstallFunction = SpRemoveDeviceParams.DIF_REMOVE;
        params.Scope = SpRemoveDeviceParams.DI_REMOVEDEVICE_GLOBAL;
        return setup.SetupDiSetClassInstallParamsW(set, data, params, params.size())
                && setup.SetupDiCallClassInstaller(SpRemoveDeviceParams.DIF_REMOVE, set, data);
    }

    @Override
    public void removeAdapter(String netCfgInstanceId) throws Failure {
        Pointer set = setup.SetupDiGetClassDevsW(netClass(), null, null, SetupApiEx.DIGCF_PRESENT);
        if (invalid(set)) {
            throw new Failure("SetupDiGetClassDevsW(GUID_DEVCLASS_NET)", Native.getLastError());
        }
        try {
            for (int i = 0;; i++) {
                SpDevinfoData data = new SpDevinfoData();
                if (!setup.SetupDiEnumDeviceInfo(set, i, data)) {
                    throw new Failure("SetupDiEnumDeviceInfo(" + netCfgInstanceId + ")", 1168); // ERROR_NOT_FOUND
                }
                Entry e = driverKeyValues(set, data);
                if (e != null && netCfgInstanceId.equalsIgnoreCase(e.netCfgInstanceId())) {
                    if (!remove(set, data)) {
                        throw new Failure("SetupDiCallClassInstaller(DIF_REMOVE)", Native.getLastError());
                    }
                    return;
                }
            }
        } finally {
            setup.SetupDiDestroyDeviceInfoList(set);
        }
    }
}
