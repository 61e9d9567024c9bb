// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static java.lang.invoke.MethodType.methodType;

import io.tuntap.posix.ForeignPosixLibC;
import io.tuntap.posix.PosixCalls;
import java.lang.invoke.MethodHandle;

/**
 * {@link BsdLibC} through the foreign function API (Java 22 and later), bound with {@link PosixCalls#bind} so
 * that errno is captured where {@code PosixCalls.libc().errno()} reads it. None of these functions is
 * variadic. Loaded only when {@link PosixCalls#foreign()} is true.
 */
public final class ForeignBsdLibC implements BsdLibC {
    // int connect(int, const struct sockaddr *, socklen_t): connect(2)
    private static final MethodHandle CONNECT = PosixCalls.bind("connect", methodType(int.class, int.class,
            long.class, int.class));
    // int getsockopt(int, int, int, void *, socklen_t *): getsockopt(2)
    private static final MethodHandle GETSOCKOPT = PosixCalls.bind("getsockopt", methodType(int.class,
            int.class, int.class, int.class, long.class, long.class));
    // int getifaddrs(struct ifaddrs **); void freeifaddrs(struct ifaddrs *): getifaddrs(3)
    private static final MethodHandle GETIFADDRS = PosixCalls.bind("getifaddrs", methodType(int.class,
            long.class));
    private static final MethodHandle FREEIFADDRS = PosixCalls.bind("freeifaddrs", methodType(void.class,
            long.class));
    // int sysctl(const int *, u_int, void *, size_t *, const void *, size_t): sysctl(3)
    private static final MethodHandle SYSCTL = PosixCalls.bind("sysctl", methodType(int.class, long.class,
            int.class, long.class, long.class, long.class, long.class));

    /** The one instance; loading the class binds every call. */
    public static final ForeignBsdLibC INSTANCE = new ForeignBsdLibC();

    private ForeignBsdLibC() {
    }

    @Override
    public int connect(int fd, long addr, int len) {
        try {
            return (int) CONNECT.invokeExact(fd, addr, len);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long len) {
        try {
            return (int) GETSOCKOPT.invokeExact(fd, level, name, value, len);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int getifaddrs(long result) {
        try {
            return (int) GETIFADDRS.invokeExact(result);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public void freeifaddrs(long ifaddrs) {
        try {
            FREEIFADDRS.invokeExact(ifaddrs);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int sysctl(long name, int namelen, long oldp, long oldlenp, long newp, long newlen) {
        try {
            return (int) SYSCTL.invokeExact(name, namelen, oldp, oldlenp, newp, newlen);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }
}
