// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import com.sun.jna.Native;
import io.tuntap.posix.ParkingPoller;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@link LinuxLibC} with the packet path's calls (read, write, readv, writev, poll) bound through the foreign
 * function API, errno captured after each, and every other call handed to JNA. No call is bound with
 * {@code Linker.Option.critical}: read, write and poll may block, and a critical call would hold off the
 * JVM's safepoints for as long (it would save only a few nanoseconds). Pointers are passed as {@code long}
 * addresses, as the JNA binding does.
 */
final class FfmLinuxLibC implements LinuxLibC {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    // Static finals, so that the JIT treats the handles as constants and inlines the calls (an instance field
    // would leave every call to a generic, slower and allocating invoker path).
    private static final MethodHandle READ;
    private static final MethodHandle WRITE;
    private static final MethodHandle READV;
    private static final MethodHandle WRITEV;
    private static final MethodHandle POLL;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        // ssize_t read(int, void *, size_t); ssize_t readv(int, const struct iovec *, int); int poll(...)
        READ = bind(linker, libc, "read", FunctionDescriptor.of(LONG, INT, LONG, LONG), errno);
        WRITE = bind(linker, libc, "write", FunctionDescriptor.of(LONG, INT, LONG, LONG), errno);
        READV = bind(linker, libc, "readv", FunctionDescriptor.of(LONG, INT, LONG, INT), errno);
        WRITEV = bind(linker, libc, "writev", FunctionDescriptor.of(LONG, INT, LONG, INT), errno);
        POLL = bind(linker, libc, "poll", FunctionDescriptor.of(INT, LONG, LONG, INT), errno);
    }

    private final LinuxLibC jna;

    /** Binds the calls (on first use of the class; a failure is an {@link ExceptionInInitializerError}). */
    FfmLinuxLibC(LinuxLibC jna) {
        this.jna = jna;
    }

    // Restricted: binding a native function is unchecked by nature; the descriptors follow the man pages.
    @SuppressWarnings("restricted")
    static MethodHandle bind(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        return linker.downcallHandle(lookup.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no " + name)), descriptor, options);
    }

    @Override
    public long read(int fd, long buf, long count) {
        CallState s = CallState.current();
        s.foreign = true;
        try {
            return (long) READ.invokeExact(s.segment, fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long write(int fd, long buf, long count) {
        CallState s = CallState.current();
        s.foreign = true;
        try {
            return (long) WRITE.invokeExact(s.segment, fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long readv(int fd, long iov, int iovcnt) {
        CallState s = CallState.current();
        s.foreign = true;
        try {
            return (long) READV.invokeExact(s.segment, fd, iov, iovcnt);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long writev(int fd, long iov, int iovcnt) {
        CallState s = CallState.current();
        s.foreign = true;
        try {
            return (long) WRITEV.invokeExact(s.segment, fd, iov, iovcnt);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int poll(long fds, long nfds, int timeoutMillis) {
        CallState s = CallState.current();
        s.foreign = true;
        try {
            return (int) POLL.invokeExact(s.segment, fds, nfds, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The JNA binding's: the process's epoll poller. */
    @Override
    public ParkingPoller parkingPoller() {
        return jna.parkingPoller();
    }

    @Override
    public int errno() {
        CallState s = CallState.current();
        return s.foreign ? s.errno() : Native.getLastError();
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("a native call threw " + t, t);
    }

    // ---- the rest through JNA ----------------------------------------------------------------------

    private LinuxLibC jna() {
        CallState.current().foreign = false;
        return jna;
    }

    @Override
    public int open(String path, int flags) {
        return jna().open(path, flags);
    }

    @Override
    public int close(int fd) {
        return jna().close(fd);
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        return jna().ioctl(fd, request, arg);
    }

    @Override
    public int fcntl(int fd, int cmd, long arg) {
        return jna().fcntl(fd, cmd, arg);
    }

    @Override
    public int pipe(long fds) {
        return jna().pipe(fds);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return jna().socket(domain, type, protocol);
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        return jna().send(fd, buf, len, flags);
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        return jna().recv(fd, buf, len, flags);
    }

    @Override
    public int if_nametoindex(String name) {
        return jna().if_nametoindex(name);
    }

    @Override
    public int geteuid() {
        return jna().geteuid();
    }

    @Override
    public int eventfd(int initval, int flags) {
        return jna().eventfd(initval, flags);
    }

    @Override
    public int setns(int fd, int nstype) {
        return jna().setns(fd, nstype);
    }

    @Override
    public int unshare(int flags) {
        return jna().unshare(flags);
    }

    @Override
    public int setsockopt(int fd, int level, int optname, long optval, int optlen) {
        return jna().setsockopt(fd, level, optname, optval, optlen);
    }

    @Override
    public int bind(int fd, long addr, int addrlen) {
        return jna().bind(fd, addr, addrlen);
    }
}
