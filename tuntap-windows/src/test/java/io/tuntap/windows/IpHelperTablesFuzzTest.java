// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.jna.Memory;
import io.tuntap.windows.win32.IpTables;
import io.tuntap.windows.win32.MibIpForwardRow2;
import io.tuntap.windows.win32.MibUnicastIpAddressRow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the IP Helper tables the backend reads: {@code MIB_UNICASTIPADDRESS_TABLE} from
 * {@code GetUnicastIpAddressTable} ({@link IpInterface#addresses(com.sun.jna.Pointer, long)}, whose rows
 * {@link IpInterface#prefix} takes apart, as it does the row of an address change notification) and
 * {@code MIB_IPFORWARD_TABLE2} from {@code GetIpForwardTable2} ({@link IpInterface#routes(com.sun.jna.Pointer,
 * long)}, each row then made a route by {@link WindowsDeviceBase#route}). The first byte of an input picks the
 * table (even: addresses, odd: routes); the rest are its rows, as many whole rows as it holds (at most
 * {@value #MAX_ROWS}). The table is native memory of exactly its size ({@code NumEntries}, padding, rows), whose
 * bounds JNA checks, so that a read past it throws; the interface asked about is the first row's. The
 * parsers declare no exception, so anything thrown fails the test. Seeds (in {@code IpHelperTablesFuzzTestInputs})
 * are rows built to the layouts of {@code netioapi.h}; see {@code scripts/fuzz-seeds}.
 */
class IpHelperTablesFuzzTest {
    private static final int MAX_ROWS = 64;
    private static final int ADDRESS_ROW = new MibUnicastIpAddressRow().size();
    private static final int ROUTE_ROW = new MibIpForwardRow2().size();

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void tables(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean addresses = (input[0] & 1) == 0;
        int rowSize = addresses ? ADDRESS_ROW : ROUTE_ROW;
        int rows = Math.min(MAX_ROWS, (input.length - 1) / rowSize);
        try (Memory table = new Memory(IpTables.TABLE_OFFSET + (long) rows * rowSize + (rows == 0 ? 1 : 0))) {
            table.clear();
            table.setInt(0, rows);
            table.write(IpTables.TABLE_OFFSET, input, 1, rows * rowSize);
            if (addresses) {
                long luid = rows == 0 ? 0 : table.getLong(IpTables.TABLE_OFFSET + 32);
                IpInterface.addresses(table, luid);
            } else {
                long luid = rows == 0 ? 0 : table.getLong(IpTables.TABLE_OFFSET);
                for (MibIpForwardRow2 row : IpInterface.routes(table, luid)) {
                    WindowsDeviceBase.route(row);
                }
            }
        }
    }
}
