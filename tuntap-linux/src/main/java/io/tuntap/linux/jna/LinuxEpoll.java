// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

/**
 * The epoll calls with which the Linux backend parks virtual threads ({@link EpollParkingPoller}). Conventions as
 * in C and as {@link io.tuntap.posix.PosixLibC}'s: -1 on failure, then {@link #errno()}.
 */
public interface LinuxEpoll {
    /** {@code EPOLL_CTL_ADD}, include/uapi/linux/eventpoll.h (torvalds/linux 0604aa87b098). */
    int EPOLL_CTL_ADD = 1;
    /** {@code EPOLL_CTL_DEL}, the same header. */
    int EPOLL_CTL_DEL = 2;
    /** {@code EPOLL_CTL_MOD}, the same header. */
    int EPOLL_CTL_MOD = 3;
    /** {@code EPOLLIN} (0x00000001), the same header. */
    int EPOLLIN = 0x1;
    /** {@code EPOLLOUT} (0x00000004), the same header. */
    int EPOLLOUT = 0x4;
    /** {@code EPOLLERR} (0x00000008), the same header. */
    int EPOLLERR = 0x8;
    /** {@code EPOLLHUP} (0x00000010), the same header. */
    int EPOLLHUP = 0x10;
    /** {@code EPOLLONESHOT} ({@code 1U << 30}), the same header: one event, then the fd is disarmed. */
    int EPOLLONESHOT = 1 << 30;
    /** {@code EPOLL_CLOEXEC}: {@code O_CLOEXEC} in the same header, which is {@link Sys#O_CLOEXEC}. */
    int EPOLL_CLOEXEC = Sys.O_CLOEXEC;

    /**
     * epoll_create1(2). Returns a new epoll fd (the caller closes it), or -1 (EMFILE, ENFILE, ENOMEM).
     */
    int epoll_create1(int flags);

    /**
     * epoll_ctl(2) with the {@code struct epoll_event} at native address {@code event} (read by the kernel,
     * ignored with {@link #EPOLL_CTL_DEL}). Returns 0, or -1 (EEXIST, ENOENT, ENOMEM, ENOSPC: the user's
     * {@code max_user_watches}, EBADF, EPERM for a file without poll support).
     */
    int epoll_ctl(int epfd, int op, int fd, long event);

    /**
     * epoll_wait(2) into {@code maxevents} {@code struct epoll_event} at native address {@code events}, for at most
     * {@code timeoutMillis} (-1: no limit). Returns the count of events, 0 on timeout, or -1 (EINTR).
     */
    int epoll_wait(int epfd, long events, int maxevents, int timeoutMillis);

    /** The errno of this thread's last call through this interface. */
    int errno();
}
