// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.platform.win32.Guid;

/**
 * {@code SP_DEVINFO_DATA} ({@code setupapi.h}): 32 bytes. jna-platform has the same structure as
 * {@code SetupApi.SP_DEVINFO_DATA}, but constructing it loads {@code setupapi.dll} (JNA asks the enclosing
 * library interface for its options), so it cannot exist where the SetupAPI seam is faked; this one has no
 * such tie.
 */
@FieldOrder({"cbSize", "ClassGuid", "DevInst", "Reserved"})
public class SpDevinfoData extends Structure {
    /** The structure's size, 32; SetupAPI checks it. */
    public int cbSize;
    /** The device's setup class. */
    public Guid.GUID ClassGuid = new Guid.GUID();
    /** {@code DEVINST}: the device instance handle for the configuration manager. */
    public int DevInst;
    /** {@code ULONG_PTR}: SetupAPI's own. */
    public long Reserved;

    /** A structure with {@code cbSize} set. */
    public SpDevinfoData() {
        cbSize = size();
    }
}
