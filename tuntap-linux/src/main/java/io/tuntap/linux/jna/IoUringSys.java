// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

/**
 * The system calls an io_uring needs: its three own ones (glibc has no wrappers for them, so they go through
 * {@code syscall(2)}), and {@code mmap}/{@code munmap} for its rings. An interface so that tests can replace
 * the kernel and so that Java 22 and later can bind the hot call, {@code io_uring_enter}, with the foreign
 * function API.
 *
 * <p>Conventions as in {@link io.tuntap.posix.PosixLibC}: -1 on failure, {@link #errno()} then gives the
 * error of this thread's last call through this interface; pointers are native addresses as {@code long}.
 */
public interface IoUringSys {

    /**
     * io_uring_setup(2): makes a ring of {@code entries} SQEs, filling the {@code struct io_uring_params} at
     * {@code params} (zeroed by the caller, flags set). Returns the ring fd, or -1 (ENOSYS: no io_uring in
     * this kernel; EPERM: forbidden by {@code kernel.io_uring_disabled} or a seccomp filter; ENOMEM; EINVAL
     * for unknown flags on older kernels; EMFILE).
     */
    int io_uring_setup(int entries, long params);

    /**
     * io_uring_enter(2): submits {@code toSubmit} SQEs and, with {@link IoUringAbi#IORING_ENTER_GETEVENTS},
     * waits until {@code minComplete} completions are in the CQ ring. Returns the number of SQEs consumed,
     * or -1 (EINTR, EAGAIN, EBUSY when the CQ ring is full, EBADF...). May block when {@code minComplete} is
     * positive.
     */
    int io_uring_enter(int ringFd, int toSubmit, int minComplete, int flags);

    /** io_uring_register(2) with {@code nrArgs} arguments at {@code arg}. Returns >= 0, or -1. */
    int io_uring_register(int ringFd, int opcode, long arg, int nrArgs);

    /** mmap(2) of the ring fd. Returns the address, or {@link IoUringAbi#MAP_FAILED}. Free with {@link #munmap}. */
    long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    /** munmap(2). Returns 0, or -1. */
    int munmap(long addr, long length);

    /** The errno of this thread's last call through this interface. */
    int errno();
}
