// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

/**
 * The kqueue calls with which the BSD and macOS backend parks virtual threads; an interface so that the fake
 * kernels can stand behind it. Conventions as in {@link io.tuntap.posix.PosixLibC}: -1 on failure, then
 * {@link #errno()}; pointers are native addresses owned by the caller.
 */
public interface BsdKqueue {

    /** kqueue(2). Returns a new kqueue fd (the caller closes it), or -1 (EMFILE, ENFILE, ENOMEM). */
    int kqueue();

    /**
     * kqueue1(2) with {@code flags} ({@code O_CLOEXEC}), called only where {@link #hasKqueue1()}: NetBSD
     * (NetBSD/src 002a0307 sys/sys/event.h declares {@code int kqueue1(int)}). Returns a new kqueue fd, or -1.
     */
    int kqueue1(int flags);

    /** True if {@link #kqueue1} exists on this system. */
    boolean hasKqueue1();

    /**
     * kevent(2): applies the {@code nchanges} {@code struct kevent} ({@link Kevent}) at {@code changelist}, then
     * waits for at most {@code nevents} events into {@code eventlist}, for at most the {@code struct timespec} at
     * {@code timeout} (0: no limit). Returns the count of events written (a change that failed is one, with
     * {@code EV_ERROR}, when there is room), 0 on timeout, or -1 (EBADF, ENOENT, EINVAL, EINTR, ENOMEM).
     */
    int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout);

    /** The errno of this thread's last call through this interface. */
    int errno();
}
