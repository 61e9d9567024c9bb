// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.spi.ErrorCodes;
import java.lang.invoke.MethodHandles;

/**
 * The one place where a Win32 error code becomes an exception. Call sites give the explanation and fix that
 * fit their call; the code picks the exception type. Returns the exception, never throws it. The codes are those
 * of {@code winerror.h}, as wine-mirror/wine 00902009 {@code include/winerror.h} defines them (5010, which that
 * part of the file was not read for, as Microsoft's windows-sys 0.34.0 {@code Win32::Foundation} gives it); the
 * class holds no other {@code int} constants, since {@link #TABLE} reads them all.
 */
final class WinErrors {
    static final int ERROR_SUCCESS = 0;
    static final int ERROR_INVALID_FUNCTION = 1;
    static final int ERROR_FILE_NOT_FOUND = 2;
    static final int ERROR_PATH_NOT_FOUND = 3;
    static final int ERROR_ACCESS_DENIED = 5;
    static final int ERROR_INVALID_HANDLE = 6;
    static final int ERROR_NOT_ENOUGH_MEMORY = 8;
    static final int ERROR_NOT_READY = 21;
    static final int ERROR_BAD_COMMAND = 22;
    static final int ERROR_GEN_FAILURE = 31;
    static final int ERROR_SHARING_VIOLATION = 32;
    static final int ERROR_HANDLE_EOF = 38;
    static final int ERROR_NOT_SUPPORTED = 50;
    static final int ERROR_INVALID_PARAMETER = 87;
    static final int ERROR_INSUFFICIENT_BUFFER = 122;
    static final int ERROR_MOD_NOT_FOUND = 126;
    static final int ERROR_PROC_NOT_FOUND = 127;
    static final int ERROR_BUSY = 170;
    static final int ERROR_ALREADY_EXISTS = 183;
    static final int ERROR_BAD_EXE_FORMAT = 193;
    static final int ERROR_MORE_DATA = 234;
    static final int ERROR_NO_MORE_ITEMS = 259;
    static final int ERROR_OPERATION_ABORTED = 995;
    static final int ERROR_IO_INCOMPLETE = 996;
    static final int ERROR_IO_PENDING = 997;
    static final int ERROR_DEVICE_NOT_CONNECTED = 1167;
    static final int ERROR_NOT_FOUND = 1168;
    static final int ERROR_INVALID_DATA = 13;
    static final int ERROR_BUFFER_OVERFLOW = 111;
    static final int ERROR_DEVICE_REMOVED = 1617;
    static final int ERROR_OBJECT_ALREADY_EXISTS = 5010;

    private WinErrors() {
    }

    /** How to get the privilege that creating adapters and changing IP configuration needs. */
    static final String ADMIN_FIX = "run the JVM as Administrator (an elevated process); creating adapters and "
            + "changing addresses, routes, MTU or DNS needs it";

    /** The table of the codes above. */
    static final ErrorCodes TABLE = ErrorCodes.of("error", MethodHandles.lookup());

    /** The symbolic name of a Win32 error code, or {@code "error N"}. */
    static String name(int code) {
        return TABLE.name(code);
    }

    /** The message of a failed call, in the one format ({@code "CALL failed with NAME (error N): ..."}). */
    static String message(String function, int code, String causeAndFix) {
        return TABLE.message(function, code, causeAndFix);
    }

    /**
     * An exception for a failed Win32 call.
     *
     * @param function the call, e.g. {@code "CreateFile(\\.\Global\{...}.tap)"}
     * @param code the Win32 error code
     * @param explanation what it means at this call site and what to do
     */
    static TunTapException of(String function, int code, String explanation) {
        String message = message(function, code, explanation);
        return switch (code) {
            case ERROR_ACCESS_DENIED -> new DevicePermissionException(function, code, message);
            case ERROR_BUSY, ERROR_SHARING_VIOLATION, ERROR_ALREADY_EXISTS, ERROR_OBJECT_ALREADY_EXISTS ->
                    new DeviceBusyException(function, code, message);
            case ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_NOT_FOUND, ERROR_DEVICE_NOT_CONNECTED,
                    ERROR_DEVICE_REMOVED, ERROR_HANDLE_EOF -> new DeviceNotFoundException(function, code, message);
            case ERROR_INVALID_PARAMETER -> new InvalidConfigurationException(function, code, message);
            case ERROR_NOT_SUPPORTED, ERROR_INVALID_FUNCTION -> new UnsupportedFeatureException(function, code, message);
            case ERROR_OPERATION_ABORTED -> new DeviceClosedException(function, code, message);
            default -> new TunTapException(function, code, message);
        };
    }

    /** {@link #of}, with the shared explanation for codes that mean the same everywhere, else {@code otherwise}. */
    static TunTapException ofCommon(String function, int code, String otherwise) {
        String common = switch (code) {
            case ERROR_ACCESS_DENIED -> "access denied: " + ADMIN_FIX;
            case ERROR_NOT_ENOUGH_MEMORY -> "the system is out of memory";
            default -> null;
        };
        return of(function, code, common != null ? common : otherwise);
    }
}
