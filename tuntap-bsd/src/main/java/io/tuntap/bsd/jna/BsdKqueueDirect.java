// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.tuntap.posix.LibcSymbols;
import java.util.Map;

/**
 * {@link BsdKqueue} through JNA direct mapping, {@code kevent} under its {@link LibcSymbols} name (NetBSD's
 * {@code __kevent50}). None of these functions is variadic. Loading this class loads JNA's native library and
 * binds {@code kqueue} and {@code kevent}, so that a C library without them fails here
 * ({@link UnsatisfiedLinkError}), where the poller is chosen, and not at a wait. Reach it only after the OS check.
 */
public final class BsdKqueueDirect implements BsdKqueue {
    private static final boolean NETBSD = Platform.isNetBSD();

    static {
        // kevent0 is kevent(2) under the plain name, with int counts.
        FunctionMapper mapper = (library, method) -> method.getName().equals("kevent0") ? "kevent" : method.getName();
        Native.register(BsdKqueueDirect.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME,
                Map.of(Library.OPTION_FUNCTION_MAPPER, mapper)));
        if (NETBSD) {
            SizeKevent.bind();
        }
    }

    /** The one instance. */
    public static final BsdKqueueDirect INSTANCE = new BsdKqueueDirect();

    private final boolean netBsd = NETBSD;

    private BsdKqueueDirect() {
    }

    private static NativeLibrary libc(String function) {
        String symbol = LibcSymbols.of(function);
        FunctionMapper mapper = (library, method) -> method.getName().equals(function) ? symbol : method.getName();
        return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME, Map.of(Library.OPTION_FUNCTION_MAPPER, mapper));
    }

    @Override
    public native int kqueue();

    /** kevent(2) with int counts (FreeBSD, OpenBSD, macOS); also registered on NetBSD, where it is not called. */
    private static native int kevent0(int kq, long changelist, int nchanges, long eventlist, int nevents,
            long timeout);

    @Override
    public int kqueue1(int flags) {
        return Kqueue1.kqueue1(flags);
    }

    @Override
    public boolean hasKqueue1() {
        return netBsd;
    }

    @Override
    public int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout) {
        // NetBSD declares the counts size_t, the others int: each binding passes them at their C width.
        return netBsd ? SizeKevent.kevent(kq, changelist, nchanges, eventlist, nevents, timeout)
                : kevent0(kq, changelist, nchanges, eventlist, nevents, timeout);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }

    /** NetBSD's kevent(2), with size_t counts, bound on first use under its renamed symbol. */
    private static final class SizeKevent {
        static {
            Native.register(SizeKevent.class, libc("kevent"));
        }

        private SizeKevent() {
        }

        /** Binds the class (its static initialiser). */
        static void bind() {
        }

        static native int kevent(int kq, long changelist, long nchanges, long eventlist, long nevents, long timeout);
    }

    /** NetBSD's kqueue1(2), bound on first use. */
    private static final class Kqueue1 {
        static {
            Native.register(Kqueue1.class, Platform.C_LIBRARY_NAME);
        }

        private Kqueue1() {
        }

        static native int kqueue1(int flags);
    }
}
