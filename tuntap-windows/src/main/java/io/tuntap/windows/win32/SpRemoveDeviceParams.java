// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code SP_REMOVEDEVICE_PARAMS} ({@code setupapi.h}) with its {@code SP_CLASSINSTALL_HEADER}: 16 bytes. */
@FieldOrder({"cbSize", "InstallFunction", "Scope", "HwProfile"})
public class SpRemoveDeviceParams extends Structure {
    /** {@code DIF_REMOVE}. */
    public static final int DIF_REMOVE = 0x05;
    /** {@code DIF_REGISTERDEVICE}. */
    public static final int DIF_REGISTERDEVICE = 0x19;
    /** {@code DI_REMOVEDEVICE_GLOBAL}. */
    public static final int DI_REMOVEDEVICE_GLOBAL = 1;
    /** {@code sizeof(SP_CLASSINSTALL_HEADER)}. */
    public static final int HEADER_SIZE = 8;

    /** {@code SP_CLASSINSTALL_HEADER.cbSize}: the header's size, 8. */
    public int cbSize = HEADER_SIZE;
    /** {@code SP_CLASSINSTALL_HEADER.InstallFunction} ({@code DI_FUNCTION}). */
    public int InstallFunction;
    /** {@code SP_REMOVEDEVICE_PARAMS.Scope}. */
    public int Scope;
    /** {@code SP_REMOVEDEVICE_PARAMS.HwProfile}. */
    public int HwProfile;
}
