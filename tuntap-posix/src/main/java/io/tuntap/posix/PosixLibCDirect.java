// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Map;

/**
 * {@link PosixLibC} through JNA direct mapping: native methods bound once with {@link Native#register}, taking
 * primitives only, which costs a fraction of interface mapping per call (no reflection, no argument
 * conversion, no allocation). errno is read with {@link Native#getLastError()}, which JNA saves after every
 * direct call, so no call needs {@code throws LastErrorException} and no exception is made on EAGAIN.
 *
 * <p>Correct on LP64 Linux, FreeBSD, OpenBSD, NetBSD and illumos, and on macOS x86-64; not for the variadic
 * {@code ioctl} and {@code fcntl} on Apple arm64 (see {@link PosixLibC}). Loading this class loads JNA's
 * native library: reach it only after the OS check.
 */
public final class PosixLibCDirect implements PosixLibC {
    /** The one instance. */
    public static final PosixLibCDirect INSTANCE = new PosixLibCDirect();

    static {
        FunctionMapper symbols = (library, method) -> LibcSymbols.of(method.getName());
        Native.register(PosixLibCDirect.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME,
                Map.of(Library.OPTION_FUNCTION_MAPPER, symbols)));
    }

    private PosixLibCDirect() {
    }

    @Override
    public native int open(String path, int flags);

    @Override
    public native int close(int fd);

    @Override
    public native long read(int fd, long buf, long count);

    @Override
    public native long readv(int fd, long iov, int iovcnt);

    @Override
    public native long write(int fd, long buf, long count);

    @Override
    public native long writev(int fd, long iov, int iovcnt);

    @Override
    public native int ioctl(int fd, long request, long arg);

    @Override
    public native int fcntl(int fd, int cmd, long arg);

    @Override
    public native int poll(long fds, long nfds, int timeoutMillis);

    @Override
    public native int pipe(long fds);

    @Override
    public native int socket(int domain, int type, int protocol);

    @Override
    public native long send(int fd, long buf, long len, int flags);

    @Override
    public native long recv(int fd, long buf, long len, int flags);

    @Override
    public native int if_nametoindex(String name);

    @Override
    public native int geteuid();

    @Override
    public int errno() {
        return Native.getLastError();
    }
}
