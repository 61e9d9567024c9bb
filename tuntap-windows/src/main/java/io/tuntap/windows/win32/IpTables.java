// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reading the {@code MIB_*_TABLE} results of IP Helper: a {@code ULONG NumEntries}, padding, then the rows
 * (8-byte aligned, so at offset 8 on 64-bit Windows).
 */
public final class IpTables {
    /** {@code offsetof(MIB_UNICASTIPADDRESS_TABLE, Table)} = {@code offsetof(MIB_IPFORWARD_TABLE2, Table)}. */
    public static final int TABLE_OFFSET = 8;

    private IpTables() {
    }

    /** The rows of the table at {@code table}, each read with {@code view} at its address. */
    public static <T extends com.sun.jna.Structure> List<T> rows(Pointer table, int rowSize, Function<Pointer, T> view) {
        int n = table.getInt(0);
        List<T> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            T row = view.apply(table.share(TABLE_OFFSET + (long) i * rowSize));
            row.read();
            rows.add(row);
        }
        return rows;
    }
}
