// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@link LinuxLibC} through JNA direct mapping: native methods bound once with {@link Native#register}, taking
 * primitives only, which costs a fraction of interface mapping per call (no reflection, no argument
 * conversion, no allocation). A class of its own rather than an extension of {@code PosixLibCDirect}
 * because {@code Native.register} binds only the native methods its class declares. errno is read with {@link Native#getLastError()}, which JNA saves after every
 * direct call, so no call needs {@code throws LastErrorException} and no exception is made on EAGAIN.
 *
 * <p>Loading this class loads JNA's native library: reach it only after the OS check.
 */
public final class LinuxLibCDirect implements LinuxLibC {
    /** The one instance. */
    public static final LinuxLibCDirect INSTANCE = new LinuxLibCDirect();

    static {
        Native.register(LinuxLibCDirect.class, Platform.C_LIBRARY_NAME);
    }

    private LinuxLibCDirect() {
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
    public native int eventfd(int initval, int flags);

    @Override
    public native int socket(int domain, int type, int protocol);

    @Override
    public native long send(int fd, long buf, long len, int flags);

    @Override
    public native long recv(int fd, long buf, long len, int flags);

    @Override
    public native int if_nametoindex(String name);

    @Override
    public native int setns(int fd, int nstype);

    @Override
    public native int unshare(int flags);

    @Override
    public native int setsockopt(int fd, int level, int optname, long optval, int optlen);

    @Override
    public native int bind(int fd, long addr, int addrlen);

    @Override
    public native int geteuid();

    @Override
    public int errno() {
        return Native.getLastError();
    }
}
