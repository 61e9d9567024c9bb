// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static java.lang.invoke.MethodType.methodType;

import com.sun.jna.Platform;
import io.tuntap.posix.ForeignPosixLibC;
import io.tuntap.posix.LibcSymbols;
import io.tuntap.posix.PosixCalls;
import java.lang.invoke.MethodHandle;

/**
 * {@link BsdKqueue} through the foreign function API (Java 22 and later), bound with {@link PosixCalls#bind} so
 * that errno is captured where {@code PosixCalls.libc().errno()} reads it; {@code kevent} under its
 * {@link LibcSymbols} name. Loaded only when {@link PosixCalls#foreign()} is true.
 */
public final class ForeignBsdKqueue implements BsdKqueue {
    private static final boolean NETBSD = Platform.isNetBSD();
    // int kqueue(void): kqueue(2)
    private static final MethodHandle KQUEUE = PosixCalls.bind("kqueue", methodType(int.class));
    // int kevent(int, const struct kevent *, int nchanges, struct kevent *, int nevents, const struct timespec *);
    // NetBSD's counts are size_t (sys/sys/event.h), passed as long there.
    private static final MethodHandle KEVENT = PosixCalls.bind(LibcSymbols.of("kevent"), NETBSD
            ? methodType(int.class, int.class, long.class, long.class, long.class, long.class, long.class)
            : methodType(int.class, int.class, long.class, int.class, long.class, int.class, long.class));

    /** The one instance. */
    public static final ForeignBsdKqueue INSTANCE = new ForeignBsdKqueue();

    private ForeignBsdKqueue() {
    }

    @Override
    public int kqueue() {
        try {
            return (int) KQUEUE.invokeExact();
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int kqueue1(int flags) {
        try {
            return (int) Kqueue1.KQUEUE1.invokeExact(flags);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public boolean hasKqueue1() {
        return NETBSD;
    }

    @Override
    public int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout) {
        try {
            return NETBSD ? (int) KEVENT.invokeExact(kq, changelist, (long) nchanges, eventlist, (long) nevents,
                    timeout) : (int) KEVENT.invokeExact(kq, changelist, nchanges, eventlist, nevents, timeout);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int errno() {
        return PosixCalls.capturedErrno();
    }

    /** NetBSD's kqueue1(2), bound on first use. */
    private static final class Kqueue1 {
        // int kqueue1(int flags): NetBSD/src sys/sys/event.h
        static final MethodHandle KQUEUE1 = PosixCalls.bind("kqueue1", methodType(int.class, int.class));

        private Kqueue1() {
        }
    }
}
