// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

/**
 * The libc calls the Linux backend makes; an interface so that unit tests can replace the kernel.
 *
 * <p>Conventions, as in C: a call returns -1 on failure and {@link #errno()} then gives the error of this
 * thread's last call. Pointers are native addresses passed as {@code long} (LP64: the same register as a
 * pointer); the caller owns the memory and keeps it alive for the call. {@code ioctl} and {@code fcntl} are
 * variadic in C; the fixed-arity mapping is correct on Linux x86-64 and arm64, whose calling conventions
 * pass variadic arguments like fixed ones.
 */
public interface LinuxLibC {

    /** open(2). Returns a new fd, or -1 (ENOENT, ENODEV, EACCES, EPERM, EMFILE...). */
    int open(String path, int flags);

    /** close(2). Returns 0, or -1 (EBADF; EINTR, after which the fd is closed anyway on Linux). */
    int close(int fd);

    /** read(2) into {@code count} bytes at {@code buf}. Returns bytes read, or -1 (EAGAIN, EINTR, EIO...). */
    long read(int fd, long buf, long count);

    /**
     * readv(2) into the {@code iovcnt} {@code struct iovec} (base, length: two longs each) at {@code iov}.
     * Returns bytes read, or -1.
     */
    long readv(int fd, long iov, int iovcnt);

    /** write(2) of {@code count} bytes at {@code buf}. Returns bytes written, or -1 (EAGAIN, EIO, EINVAL...). */
    long write(int fd, long buf, long count);

    /** writev(2) of the {@code iovcnt} {@code struct iovec} at {@code iov} as one packet. Returns bytes written, or -1. */
    long writev(int fd, long iov, int iovcnt);

    /** ioctl(2) whose argument is a value or a pointer ({@code arg} is then the address). Returns >= 0 or -1. */
    int ioctl(int fd, long request, long arg);

    /** poll(2) on {@code nfds} {@code struct pollfd} at {@code fds}. Returns the ready count, 0 on timeout, or -1. */
    int poll(long fds, long nfds, int timeoutMillis);

    /** eventfd(2). Returns a new fd, or -1. */
    int eventfd(int initval, int flags);

    /** socket(2). Returns a new fd, or -1 (EAFNOSUPPORT, EACCES...). */
    int socket(int domain, int type, int protocol);

    /** send(2). Returns bytes sent, or -1. */
    long send(int fd, long buf, long len, int flags);

    /** recv(2). Returns bytes received (for a datagram socket with MSG_TRUNC: the datagram's full length), or -1. */
    long recv(int fd, long buf, long len, int flags);

    /** setns(2): moves the calling thread into the namespace {@code fd} refers to. Returns 0 or -1. */
    int setns(int fd, int nstype);

    /** geteuid(2): the effective user id, named in permission errors. Never fails. */
    int geteuid();

    /** The errno of this thread's last call through this interface. */
    int errno();

    /** strerror(3): the system's text for an error number. */
    String strerror(int errnum);
}
