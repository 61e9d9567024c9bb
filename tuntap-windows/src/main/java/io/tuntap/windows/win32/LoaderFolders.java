// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.Path;
import java.util.List;

/**
 * The two folders a DLL may be taken from without naming its path, as {@code LoadLibraryExW(name, NULL,
 * LOAD_LIBRARY_SEARCH_APPLICATION_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32)} searches them (learn.microsoft.com,
 * "LoadLibraryExW function (libloaderapi.h)": the first flag searches "the application's installation
 * directory", the folder of the process's executable; the second {@code %windows%\system32}; "Directories in
 * the standard search path are not searched"). That is the search Wintun's README advises for
 * {@code wintun.dll}. The working directory and {@code PATH}, which the standard search order includes
 * ("Dynamic-link library search order"), are not among them. Binds kernel32 on first use: Windows only.
 */
public final class LoaderFolders {
    private static final int MAX_PATH_CHARS = 32768; // the longest path Windows' wide-character APIs take

    static {
        Native.register(LoaderFolders.class, NativeLibrary.getInstance("kernel32"));
    }

    private LoaderFolders() {
    }

    /** {@code GetModuleFileNameW(NULL, ...)}: the executable of this process. */
    private static native int GetModuleFileNameW(long module, char[] buffer, int size);

    /** {@code GetSystemDirectoryW}: {@code C:\Windows\System32} on a 64-bit process. */
    private static native int GetSystemDirectoryW(char[] buffer, int size);

    /**
     * The application's folder (that of {@code java.exe}, or of the launcher that started this JVM), then the
     * system folder.
     *
     * @throws IllegalStateException if Windows does not answer, with its error code
     */
    public static List<Path> applicationAndSystem32() {
        char[] buffer = new char[MAX_PATH_CHARS];
        int n = GetModuleFileNameW(0, buffer, buffer.length);
        if (n <= 0 || n >= buffer.length) {
            throw new IllegalStateException("GetModuleFileNameW failed with Win32 error " + Native.getLastError());
        }
        Path application = Path.of(new String(buffer, 0, n)).getParent();
        n = GetSystemDirectoryW(buffer, buffer.length);
        if (n <= 0 || n >= buffer.length) {
            throw new IllegalStateException("GetSystemDirectoryW failed with Win32 error " + Native.getLastError());
        }
        return List.of(application, Path.of(new String(buffer, 0, n)));
    }
}
