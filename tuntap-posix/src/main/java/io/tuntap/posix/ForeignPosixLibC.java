// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import static java.lang.invoke.MethodType.methodType;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandle;

/**
 * {@link PosixLibC} through the foreign function API (Java 22 and later; see {@link PosixCalls}): every call a
 * downcall handle made once, held in a static final field so that the JIT treats it as a constant and inlines
 * the call (an instance field would leave each call to a generic, slower and allocating invoker path). errno is
 * captured after each call into the calling thread's segment, so no call allocates and {@link #errno()} is
 * the one of the thread's last call through {@link PosixCalls#bind}, whichever backend made it.
 *
 * <p>The variadic {@code ioctl}, {@code fcntl} and {@code open} are bound as variadic, which is right on every
 * ABI, Apple arm64 included. This class is written for Java 17 but binds its calls only through the Java 22
 * version of {@link PosixCalls}: loading it on an older JVM fails, and only {@link PosixCalls} loads it.
 */
public final class ForeignPosixLibC implements PosixLibC {
    // int open(const char *, int, ...): open(2); the mode is left out, as no caller creates a file.
    private static final MethodHandle OPEN = PosixCalls.bindVariadic("open", methodType(int.class, long.class,
            int.class), 2);
    // int fcntl(int, int, ...): fcntl(2); every command used takes an int.
    private static final MethodHandle FCNTL = PosixCalls.bindVariadic("fcntl", methodType(int.class, int.class,
            int.class, int.class), 2);
    // unsigned int if_nametoindex(const char *): if_nametoindex(3)
    private static final MethodHandle IF_NAMETOINDEX = PosixCalls.bind("if_nametoindex", methodType(int.class,
            long.class));
    private static final MethodHandle CLOSE = PosixCalls.bind("close", methodType(int.class, int.class));
    // ssize_t read(int, void *, size_t); readv and writev take (int, const struct iovec *, int): read(2), readv(2)
    private static final MethodHandle READ = PosixCalls.bind("read", methodType(long.class,
            int.class, long.class, long.class));
    private static final MethodHandle READV = PosixCalls.bind("readv", methodType(long.class,
            int.class, long.class, int.class));
    private static final MethodHandle WRITE = PosixCalls.bind("write", methodType(long.class,
            int.class, long.class, long.class));
    private static final MethodHandle WRITEV = PosixCalls.bind("writev", methodType(long.class,
            int.class, long.class, int.class));
    // int ioctl(int, unsigned long, ...) in glibc, FreeBSD and macOS: ioctl(2)
    private static final MethodHandle IOCTL = PosixCalls.bindVariadic("ioctl", methodType(int.class,
            int.class, long.class, long.class), 2);
    // int poll(struct pollfd *, nfds_t, int): nfds_t is unsigned long on glibc and unsigned int on the BSDs,
    // passed in a 64-bit register either way
    private static final MethodHandle POLL = PosixCalls.bind("poll", methodType(int.class,
            long.class, long.class, int.class));
    private static final MethodHandle PIPE = PosixCalls.bind("pipe", methodType(int.class, long.class));
    private static final MethodHandle SOCKET = PosixCalls.bind(LibcSymbols.of("socket"), methodType(int.class,
            int.class, int.class, int.class));
    // ssize_t send(int, const void *, size_t, int), and recv alike: send(2)
    private static final MethodHandle SEND = PosixCalls.bind("send", methodType(long.class,
            int.class, long.class, long.class, int.class));
    private static final MethodHandle RECV = PosixCalls.bind("recv", methodType(long.class,
            int.class, long.class, long.class, int.class));
    private static final MethodHandle GETEUID = PosixCalls.bind("geteuid", methodType(int.class));

    /** The one instance; loading the class binds every call (a failure is an {@link ExceptionInInitializerError}). */
    static final ForeignPosixLibC INSTANCE = new ForeignPosixLibC();

    private ForeignPosixLibC() {
    }

    /**
     * What a downcall threw, rethrown as is if unchecked: a downcall of a C function throws nothing but the
     * errors of the JVM itself, though {@link MethodHandle#invokeExact} declares {@link Throwable}.
     *
     * @param t what the call threw
     * @return never returns; declared so that callers can write {@code throw rethrow(t)}
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("a native call threw " + t, t);
    }

    @Override
    public int open(String path, int flags) {
        try (Memory name = cString(path)) {
            return (int) OPEN.invokeExact(Pointer.nativeValue(name), flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fcntl(int fd, int cmd, long arg) {
        try {
            return (int) FCNTL.invokeExact(fd, cmd, (int) arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int if_nametoindex(String name) {
        try (Memory cName = cString(name)) {
            return (int) IF_NAMETOINDEX.invokeExact(Pointer.nativeValue(cName));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int errno() {
        return PosixCalls.capturedErrno();
    }

    /** {@code s} as a NUL-terminated C string in JNA's string encoding, as the JNA binding passes it. */
    private static Memory cString(String s) {
        byte[] bytes = com.sun.jna.Native.toByteArray(s);
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    @Override
    public int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long read(int fd, long buf, long count) {
        try {
            return (long) READ.invokeExact(fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long readv(int fd, long iov, int iovcnt) {
        try {
            return (long) READV.invokeExact(fd, iov, iovcnt);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long write(int fd, long buf, long count) {
        try {
            return (long) WRITE.invokeExact(fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long writev(int fd, long iov, int iovcnt) {
        try {
            return (long) WRITEV.invokeExact(fd, iov, iovcnt);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        try {
            return (int) IOCTL.invokeExact(fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int poll(long fds, long nfds, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(fds, nfds, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int pipe(long fds) {
        try {
            return (int) PIPE.invokeExact(fds);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        try {
            return (long) SEND.invokeExact(fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        try {
            return (long) RECV.invokeExact(fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
