// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The NTSTATUS to Win32 error mapping of the simulation's I/O manager ({@link SimKernel32Io#win32}) against
 * {@code RtlNtStatusToDosError}: the table below on every JVM, and ntdll itself where one is loaded (a Windows
 * JVM, under wine too).
 */
class SimKernel32IoStatusMapTest {
    /**
     * Every NTSTATUS our driver (glue/) or the simulation completes a user request with, and its Win32 error.
     * Sources: wine-mirror/wine {@code dlls/ntdll/error.c} (commit 04f9f1b06690f0dbfdde85a0f16a40f166113666),
     * the tables {@code table_80000001} and {@code table_c0000001}, entry by entry as commented there; and the
     * same values printed by Debian's wine 8.0 {@code ntdll!RtlNtStatusToDosError} from a mingw-w64 program.
     * Microsoft documents the function (learn.microsoft.com, "RtlNtStatusToDosError function (winternl.h)": the
     * equivalent system error code, else {@code ERROR_MR_MID_NOT_FOUND}) and the codes' numbers ("System Error
     * Codes (0-499)", "(1000-1299)", "(1300-1699)").
     */
    static final Map<Integer, Integer> RTL_NT_STATUS_TO_DOS_ERROR = new TreeMap<>(Map.ofEntries(
            Map.entry(0x80000005, 234),   // STATUS_BUFFER_OVERFLOW -> ERROR_MORE_DATA
            Map.entry(0x80000011, 170),   // STATUS_DEVICE_BUSY -> ERROR_BUSY
            Map.entry(0xC0000001, 31),    // STATUS_UNSUCCESSFUL -> ERROR_GEN_FAILURE
            Map.entry(0xC0000002, 1),     // STATUS_NOT_IMPLEMENTED -> ERROR_INVALID_FUNCTION
            Map.entry(0xC000000D, 87),    // STATUS_INVALID_PARAMETER -> ERROR_INVALID_PARAMETER
            Map.entry(0xC0000010, 1),     // STATUS_INVALID_DEVICE_REQUEST -> ERROR_INVALID_FUNCTION
            Map.entry(0xC0000022, 5),     // STATUS_ACCESS_DENIED -> ERROR_ACCESS_DENIED
            Map.entry(0xC0000023, 122),   // STATUS_BUFFER_TOO_SMALL -> ERROR_INSUFFICIENT_BUFFER
            Map.entry(0xC0000034, 2),     // STATUS_OBJECT_NAME_NOT_FOUND -> ERROR_FILE_NOT_FOUND
            Map.entry(0xC0000043, 32),    // STATUS_SHARING_VIOLATION -> ERROR_SHARING_VIOLATION
            Map.entry(0xC000009A, 1450),  // STATUS_INSUFFICIENT_RESOURCES -> ERROR_NO_SYSTEM_RESOURCES
            Map.entry(0xC000009D, 1167),  // STATUS_DEVICE_NOT_CONNECTED -> ERROR_DEVICE_NOT_CONNECTED
            Map.entry(0xC00000A3, 21),    // STATUS_DEVICE_NOT_READY -> ERROR_NOT_READY
            Map.entry(0xC00000BB, 50),    // STATUS_NOT_SUPPORTED -> ERROR_NOT_SUPPORTED
            Map.entry(0xC0000120, 995),   // STATUS_CANCELLED -> ERROR_OPERATION_ABORTED
            Map.entry(0xC0000128, 6),     // STATUS_FILE_CLOSED -> ERROR_INVALID_HANDLE
            Map.entry(0xC0000184, 22),    // STATUS_INVALID_DEVICE_STATE -> ERROR_BAD_COMMAND
            Map.entry(0xC00002B6, 1617))); // STATUS_DEVICE_REMOVED -> ERROR_DEVICE_REMOVED

    @Test
    void mapsEveryStatusTheDriverCompletesWithAsRtlNtStatusToDosErrorDoes() {
        Map<String, Integer> wrong = new TreeMap<>();
        RTL_NT_STATUS_TO_DOS_ERROR.forEach((status, error) -> {
            if (SimKernel32Io.win32(status) != error) {
                wrong.put(String.format("0x%08X", status), SimKernel32Io.win32(status));
            }
        });
        assertEquals(Map.of(), wrong, "statuses mapped to another Win32 error than RtlNtStatusToDosError's");
    }

    /** On a Windows JVM (wine's ntdll included): the table above is what this system's ntdll answers. */
    @Test
    void tableIsWhatThisSystemsNtdllAnswers() {
        assumeTrue(Platform.isWindows(), "ntdll.dll exists only on Windows (or under wine); on this JVM the table "
                + "above, taken from wine's source, is the reference");
        NativeLibrary ntdll = NativeLibrary.getInstance("ntdll");
        Map<String, String> differs = new TreeMap<>();
        RTL_NT_STATUS_TO_DOS_ERROR.forEach((status, error) -> {
            int actual = ntdll.getFunction("RtlNtStatusToDosError").invokeInt(new Object[] {status});
            if (actual != error || SimKernel32Io.win32(status) != actual) {
                differs.put(String.format("0x%08X", status), "ntdll " + actual + ", table " + error + ", sim "
                        + SimKernel32Io.win32(status));
            }
        });
        assertEquals(Map.of(), differs);
    }
}
