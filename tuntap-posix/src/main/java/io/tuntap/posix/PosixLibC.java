// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

/**
 * The libc calls that every Unix backend makes; an interface so that unit tests can replace the kernel with a
 * fake that follows one OS's documented behaviour.
 *
 * <p>Conventions, as in C: a call returns -1 on failure and {@link #errno()} then gives the error of this
 * thread's last call. errno values are the host OS's own (EAGAIN is 11 on Linux and 35 on the BSDs and
 * macOS), so each backend names them in its own constants. Pointers are native addresses passed as
 * {@code long}; the caller owns the memory and keeps it alive for the call.
 *
 * <p>{@code ioctl} and {@code fcntl} are variadic in C. A fixed-arity binding passes the third argument the
 * way a variadic one is passed on x86-64 (System V) and on Linux and BSD arm64, but not on Apple arm64, whose
 * ABI puts variadic arguments on the stack: a macOS implementation must bind them as variadic, as
 * {@link ForeignPosixLibC} does on every OS.
 */
public interface PosixLibC {

    /** open(2). Returns a new fd, or -1 (ENOENT, ENXIO, EBUSY, EACCES, EPERM, EMFILE...). */
    int open(String path, int flags);

    /** close(2). Returns 0, or -1 (EBADF; EINTR, after which the fd is closed anyway on Linux and the BSDs). */
    int close(int fd);

    /** read(2) into {@code count} bytes at {@code buf}. Returns bytes read, or -1 (EAGAIN, EINTR, EIO...). */
    long read(int fd, long buf, long count);

    /**
     * readv(2) into the {@code iovcnt} {@code struct iovec} (base, length: two longs each on LP64) at
     * {@code iov}. Returns bytes read, or -1.
     */
    long readv(int fd, long iov, int iovcnt);

    /** write(2) of {@code count} bytes at {@code buf}. Returns bytes written, or -1 (EAGAIN, EIO, EINVAL...). */
    long write(int fd, long buf, long count);

    /** writev(2) of the {@code iovcnt} {@code struct iovec} at {@code iov} as one packet. Returns bytes written, or -1. */
    long writev(int fd, long iov, int iovcnt);

    /** ioctl(2) whose argument is a value or a pointer ({@code arg} is then the address). Returns >= 0 or -1. */
    int ioctl(int fd, long request, long arg);

    /** fcntl(2) with an integer argument (F_GETFL, F_SETFL, F_SETFD...). Returns >= 0 or -1. */
    int fcntl(int fd, int cmd, long arg);

    /** poll(2) on {@code nfds} {@code struct pollfd} at {@code fds}. Returns the ready count, 0 on timeout, or -1. */
    int poll(long fds, long nfds, int timeoutMillis);

    /** pipe(2): writes the read end and the write end, two ints, at {@code fds}. Returns 0 or -1. */
    int pipe(long fds);

    /** socket(2). Returns a new fd, or -1 (EAFNOSUPPORT, EPROTONOSUPPORT, EACCES...). */
    int socket(int domain, int type, int protocol);

    /** send(2). Returns bytes sent, or -1. */
    long send(int fd, long buf, long len, int flags);

    /** recv(2). Returns bytes received, or -1. */
    long recv(int fd, long buf, long len, int flags);

    /** if_nametoindex(3). Returns the interface's index, or 0 if there is none (errno then says why). */
    int if_nametoindex(String name);

    /** geteuid(2): the effective user id, named in permission errors. Never fails. */
    int geteuid();

    /** The errno of this thread's last call through this interface. */
    int errno();

    /**
     * The poller with which virtual threads wait on this libc's fds (see {@link WakeablePoll}): by default the
     * one made of {@code poll} ({@link PollParkingPoller#of}); a backend with a better call (epoll, kqueue) names
     * its own.
     */
    default ParkingPoller parkingPoller() {
        return PollParkingPoller.of(this);
    }
}
