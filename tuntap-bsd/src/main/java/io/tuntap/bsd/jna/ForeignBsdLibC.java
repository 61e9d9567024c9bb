// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static java.lang.invoke.MethodType.methodType;

import com.sun.jna.Platform;
import io.tuntap.posix.ForeignPosixLibC;
import io.tuntap.posix.LibcSymbols;
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

    // int bind(int, const struct sockaddr *, socklen_t): bind(2); int listen(int, int): listen(2)
    private static final MethodHandle BIND = PosixCalls.bind("bind", methodType(int.class, int.class, long.class,
            int.class));
    private static final MethodHandle LISTEN = PosixCalls.bind("listen", methodType(int.class, int.class,
            int.class));
    // int accept(int, struct sockaddr *, socklen_t *): accept(2)
    private static final MethodHandle ACCEPT = PosixCalls.bind("accept", methodType(int.class, int.class,
            long.class, long.class));
    // ssize_t sendmsg(int, const struct msghdr *, int), and recvmsg alike: sendmsg(2), recvmsg(2)
    private static final MethodHandle SENDMSG = PosixCalls.bind("sendmsg", methodType(long.class, int.class,
            long.class, int.class));
    private static final MethodHandle RECVMSG = PosixCalls.bind("recvmsg", methodType(long.class, int.class,
            long.class, int.class));
    // int getpeereid(int, uid_t *, gid_t *): getpeereid(3)
    private static final MethodHandle GETPEEREID = PosixCalls.bind("getpeereid", methodType(int.class,
            int.class, long.class, long.class));

    /** The one instance; loading the class binds every call but fstat, bound on first use. */
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

    @Override
    public int bind(int fd, long addr, int len) {
        try {
            return (int) BIND.invokeExact(fd, addr, len);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(fd, backlog);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int accept(int fd, long addr, long addrlen) {
        try {
            return (int) ACCEPT.invokeExact(fd, addr, addrlen);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public long sendmsg(int fd, long msg, int flags) {
        try {
            return (long) SENDMSG.invokeExact(fd, msg, flags);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public long recvmsg(int fd, long msg, int flags) {
        try {
            return (long) RECVMSG.invokeExact(fd, msg, flags);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int getpeereid(int fd, long uid, long gid) {
        try {
            return (int) GETPEEREID.invokeExact(fd, uid, gid);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int fstat(int fd, long stat) {
        try {
            return (int) Fstat.FSTAT.invokeExact(fd, stat);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    /**
     * fstat(2), bound on first use (OpenBSD and NetBSD only call it), under its {@link LibcSymbols} name.
     */
    private static final class Fstat {
        static final MethodHandle FSTAT = PosixCalls.bind(LibcSymbols.of("fstat"),
                methodType(int.class, int.class, long.class));

        private Fstat() {
        }
    }
}
