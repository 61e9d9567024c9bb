// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import io.tuntap.posix.PosixLibC;

/**
 * The libc calls the Linux backend makes: the POSIX ones every Unix backend shares, and the Linux-only
 * {@code eventfd} and {@code setns}. An interface so that unit tests can replace the kernel; the conventions
 * are {@link PosixLibC}'s.
 */
public interface LinuxLibC extends PosixLibC {

    /** eventfd(2). Returns a new fd, or -1. */
    int eventfd(int initval, int flags);

    /** setns(2): moves the calling thread into the namespace {@code fd} refers to. Returns 0 or -1. */
    int setns(int fd, int nstype);

    /**
     * unshare(2): gives the calling thread new namespaces of the kinds in {@code flags} (CLONE_NEWNET: a new,
     * empty network namespace). Returns 0 or -1 (EPERM without CAP_SYS_ADMIN, EINVAL, ENOMEM, ENOSPC).
     */
    int unshare(int flags);

    /**
     * setsockopt(2) with an option value of {@code optlen} bytes at native address {@code optval}. Returns 0
     * or -1 (errno: EPERM for SO_RCVBUFFORCE without CAP_NET_ADMIN, EINVAL for an unknown netlink group).
     */
    int setsockopt(int fd, int level, int optname, long optval, int optlen);

    /** bind(2) to the socket address of {@code addrlen} bytes at native address {@code addr}. Returns 0 or -1. */
    int bind(int fd, long addr, int addrlen);
}
