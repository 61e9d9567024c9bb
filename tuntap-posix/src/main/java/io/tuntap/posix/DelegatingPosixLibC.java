// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

/**
 * A {@link PosixLibC} that passes every call to another one: the base of a libc binding that adds calls of its
 * own OS (Linux's eventfd and setns) or binds a few differently (macOS's variadic ioctl and fcntl), so that the
 * POSIX calls are bound once, in {@link PosixLibCDirect} (JNA) or {@link ForeignPosixLibC} (the foreign function
 * API; see {@link PosixCalls}). The calls are final-field delegations that the JIT
 * inlines: the packet path pays nothing for the hop.
 */
public abstract class DelegatingPosixLibC implements PosixLibC {
    private final PosixLibC posix;

    /**
     * Passes every call to {@code posix}.
     *
     * @param posix the binding that makes the calls, usually {@link PosixLibCDirect#INSTANCE}
     */
    protected DelegatingPosixLibC(PosixLibC posix) {
        this.posix = posix;
    }

    @Override
    public int open(String path, int flags) {
        return posix.open(path, flags);
    }

    @Override
    public int close(int fd) {
        return posix.close(fd);
    }

    @Override
    public long read(int fd, long buf, long count) {
        return posix.read(fd, buf, count);
    }

    @Override
    public long readv(int fd, long iov, int iovcnt) {
        return posix.readv(fd, iov, iovcnt);
    }

    @Override
    public long write(int fd, long buf, long count) {
        return posix.write(fd, buf, count);
    }

    @Override
    public long writev(int fd, long iov, int iovcnt) {
        return posix.writev(fd, iov, iovcnt);
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        return posix.ioctl(fd, request, arg);
    }

    @Override
    public int fcntl(int fd, int cmd, long arg) {
        return posix.fcntl(fd, cmd, arg);
    }

    @Override
    public int poll(long fds, long nfds, int timeoutMillis) {
        return posix.poll(fds, nfds, timeoutMillis);
    }

    @Override
    public int pipe(long fds) {
        return posix.pipe(fds);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return posix.socket(domain, type, protocol);
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        return posix.send(fd, buf, len, flags);
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        return posix.recv(fd, buf, len, flags);
    }

    @Override
    public int if_nametoindex(String name) {
        return posix.if_nametoindex(name);
    }

    @Override
    public int geteuid() {
        return posix.geteuid();
    }

    @Override
    public int errno() {
        return posix.errno();
    }
}
