// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.windows.win32.WintunDirect;
import io.tuntap.windows.win32.WintunLibrary;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The one {@code wintun.dll} of a process. Wintun's functions are bound by JNA direct mapping, once per class
 * and so once per process (it keeps the packet path free of allocation), so every Wintun device of a process
 * uses the DLL bound first; naming another one is an error that names both. Only absolute paths are bound.
 */
final class WintunBinder {
    /** The process's binder, over the real DLL. */
    static final WintunBinder PROCESS = new WintunBinder(WintunDirect::load);

    private final Function<String, WintunLibrary> loader;
    private Path bound;
    private WintunLibrary library;

    /** @param loader loads the DLL at an absolute path, or throws {@link UnsatisfiedLinkError} */
    WintunBinder(Function<String, WintunLibrary> loader) {
        this.loader = loader;
    }

    /** The bound DLL's path, or null. */
    synchronized Path bound() {
        return bound;
    }

    /** The bound DLL, or null. */
    synchronized WintunLibrary library() {
        return library;
    }

    /**
     * Binds the DLL at {@code dll}, or returns the one bound already from the same path.
     *
     * @throws IllegalArgumentException if {@code dll} is relative
     * @throws IllegalStateException if another DLL is bound; the message names both
     * @throws UnsatisfiedLinkError if it cannot be loaded
     */
    synchronized WintunLibrary bind(Path dll) {
        if (!dll.isAbsolute()) {
            throw new IllegalArgumentException("not an absolute path: " + dll);
        }
        Path wanted = dll.normalize();
        if (bound != null) {
            if (!bound.equals(wanted)) {
                throw new IllegalStateException("this process already uses " + bound + ", and cannot use " + wanted
                        + " as well: Wintun's functions are bound once per process, so all its Wintun devices "
                        + "use one wintun.dll; name that one, or leave the option out");
            }
            return library;
        }
        WintunLibrary w = loader.apply(wanted.toString());
        bound = wanted;
        library = w;
        return w;
    }
}
