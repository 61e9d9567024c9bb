// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.TunTapException;
import io.tuntap.testkit.HeaderNumbers;
import org.junit.jupiter.api.Test;

/**
 * The Win32 error table against {@code winerror.h}: every name it has must stand there with the same number. The
 * numbers below are transcribed from wine-mirror/wine 00902009 {@code include/winerror.h}, the runs of defines
 * from ERROR_SUCCESS to ERROR_NO_MORE_ITEMS and around ERROR_OPERATION_ABORTED, ERROR_NOT_FOUND and
 * ERROR_DEVICE_REMOVED, and ERROR_OBJECT_ALREADY_EXISTS from Microsoft's windows-sys 0.34.0
 * ({@code Win32::Foundation::ERROR_OBJECT_ALREADY_EXISTS}); not from the code under test.
 */
class WinErrorsGoldenTest {
    private static final String WINERROR_H = "ERROR_SUCCESS 0 ERROR_INVALID_FUNCTION 1 ERROR_FILE_NOT_FOUND 2 "
            + "ERROR_PATH_NOT_FOUND 3 ERROR_TOO_MANY_OPEN_FILES 4 ERROR_ACCESS_DENIED 5 ERROR_INVALID_HANDLE 6 "
            + "ERROR_ARENA_TRASHED 7 ERROR_NOT_ENOUGH_MEMORY 8 ERROR_INVALID_BLOCK 9 ERROR_BAD_ENVIRONMENT 10 "
            + "ERROR_BAD_FORMAT 11 ERROR_INVALID_ACCESS 12 ERROR_INVALID_DATA 13 ERROR_OUTOFMEMORY 14 "
            + "ERROR_NOT_READY 21 ERROR_BAD_COMMAND 22 ERROR_CRC 23 ERROR_GEN_FAILURE 31 ERROR_SHARING_VIOLATION 32 "
            + "ERROR_LOCK_VIOLATION 33 ERROR_HANDLE_EOF 38 ERROR_HANDLE_DISK_FULL 39 ERROR_NOT_SUPPORTED 50 "
            + "ERROR_FILE_EXISTS 80 ERROR_INVALID_PARAMETER 87 ERROR_BROKEN_PIPE 109 ERROR_OPEN_FAILED 110 "
            + "ERROR_BUFFER_OVERFLOW 111 ERROR_DISK_FULL 112 ERROR_CALL_NOT_IMPLEMENTED 120 ERROR_SEM_TIMEOUT 121 "
            + "ERROR_INSUFFICIENT_BUFFER 122 ERROR_INVALID_NAME 123 ERROR_MOD_NOT_FOUND 126 ERROR_PROC_NOT_FOUND 127 "
            + "ERROR_BUSY 170 ERROR_ALREADY_EXISTS 183 ERROR_BAD_EXE_FORMAT 193 ERROR_MORE_DATA 234 WAIT_TIMEOUT 258 "
            + "ERROR_NO_MORE_ITEMS 259 ERROR_EA_ACCESS_DENIED 994 ERROR_OPERATION_ABORTED 995 "
            + "ERROR_IO_INCOMPLETE 996 ERROR_IO_PENDING 997 ERROR_NOACCESS 998 ERROR_DEVICE_DOOR_OPEN 1166 "
            + "ERROR_DEVICE_NOT_CONNECTED 1167 ERROR_NOT_FOUND 1168 ERROR_NO_MATCH 1169 ERROR_CANCELLED 1223 "
            + "ERROR_INVALID_FIELD 1616 ERROR_DEVICE_REMOVED 1617 ERROR_INSTALL_ALREADY_RUNNING 1618 "
            + "ERROR_OBJECT_ALREADY_EXISTS 5010";

    @Test
    void everyNameHasTheHeadersNumber() {
        HeaderNumbers.assertAgrees(WinErrors.TABLE, "winerror.h", WINERROR_H);
    }

    @Test
    void theCodePicksTheTypeAndTheMessageHasTheOneFormat() {
        TunTapException e = WinErrors.of("CreateFile(\\\\.\\Global\\{x}.tap)", 5, "explained");
        assertInstanceOf(DevicePermissionException.class, e);
        assertEquals("CreateFile(\\\\.\\Global\\{x}.tap) failed with ERROR_ACCESS_DENIED (error 5): explained",
                e.getMessage());
        assertInstanceOf(DeviceBusyException.class, WinErrors.of("f", 5010, "x"));
        assertInstanceOf(DeviceNotFoundException.class, WinErrors.of("f", 1168, "x"));
        assertEquals("f failed with error 4321: x", WinErrors.of("f", 4321, "x").getMessage());
    }
}
