// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.tuntap.posix.DelegatingPosixLibC;
import io.tuntap.posix.PosixLibC;
import io.tuntap.posix.PosixLibCDirect;

/**
 * {@link PosixLibC} for macOS: every call goes to {@link PosixLibCDirect} except the variadic {@code ioctl} and
 * {@code fcntl}. The Apple arm64 ABI passes variadic arguments on the stack, not in registers as for a fixed
 * parameter, so these two are bound through a JNA interface whose Java methods are variadic: JNA then tells
 * libffi how many arguments are fixed ({@code ffi_prep_cif_var}), and the third one goes where the callee's
 * {@code va_arg} looks for it. On macOS x86-64 both bindings are equivalent; this one costs an interface call
 * (argument boxing and reflection), which only configuration calls pay: the packet path has neither. Used with
 * JNA only: the foreign function binding ({@code PosixCalls}) passes both as variadic itself.
 */
public final class DarwinLibC extends DelegatingPosixLibC {

    /** The variadic entry points. */
    interface Variadic extends Library {
        int ioctl(int fd, long request, Object... args);

        int fcntl(int fd, int cmd, Object... args);
    }

    private final Variadic variadic;

    /** Binds libc; loads JNA's native library. */
    public DarwinLibC() {
        this(PosixLibCDirect.INSTANCE, Native.load(Platform.C_LIBRARY_NAME, Variadic.class));
    }

    DarwinLibC(PosixLibC direct, Variadic variadic) {
        super(direct);
        this.variadic = variadic;
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        // unsigned long request; the argument is a pointer or an int-sized value passed as a 64-bit slot.
        int r = variadic.ioctl(fd, request, arg);
        return r;
    }

    @Override
    public int fcntl(int fd, int cmd, long arg) {
        return variadic.fcntl(fd, cmd, (int) arg);
    }
}
