// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls and layouts that pass descriptors over a Unix-domain stream socket ({@code SCM_RIGHTS}),
 * which the JDK's own Unix-domain channels cannot do. Direct mapping, primitives only; every call returns -1
 * on failure with errno in {@link Native#getLastError()}. Pointers are native addresses the caller keeps
 * alive. Layouts are those of x86-64 and arm64 Linux (LP64).
 *
 * <p>Loading this class loads JNA's native library: reach it only after the OS check.
 */
public final class UnixSockets {
    static {
        Native.register(UnixSockets.class, Platform.C_LIBRARY_NAME);
    }

    private UnixSockets() {
    }

    /** {@code AF_UNIX}: include/linux/socket.h. */
    public static final int AF_UNIX = 1;
    /** {@code SOCK_STREAM}: include/linux/net.h (enum sock_type; mips differs). */
    public static final int SOCK_STREAM = 1;
    /** {@code SCM_RIGHTS}: include/linux/socket.h ("rw: access rights (array of int)"). */
    public static final int SCM_RIGHTS = 1;
    /** {@code MSG_CTRUNC}: include/linux/socket.h; set when the control buffer was too small. */
    public static final int MSG_CTRUNC = 0x8;
    /** {@code MSG_CMSG_CLOEXEC}: include/linux/socket.h; received descriptors get close-on-exec. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** {@code MSG_NOSIGNAL}: include/linux/socket.h; EPIPE instead of SIGPIPE. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code SCM_MAX_FD}: include/net/scm.h; the most descriptors one message carries. */
    public static final int SCM_MAX_FD = 253;

    /**
     * {@code sizeof(struct sockaddr_un)}: {@code sa_family_t sun_family} (2 bytes) and
     * {@code char sun_path[UNIX_PATH_MAX]}, UNIX_PATH_MAX 108 (include/uapi/linux/un.h).
     */
    public static final int SOCKADDR_UN_SIZE = 110;
    /** Offset of {@code sun_path}. */
    public static final int SUN_PATH_OFFSET = 2;
    /** {@code UNIX_PATH_MAX}: include/uapi/linux/un.h; a path takes at most 107 bytes and its NUL. */
    public static final int UNIX_PATH_MAX = 108;

    /**
     * {@code sizeof(struct msghdr)} on LP64: {@code void *msg_name} at 0, {@code int msg_namelen} at 8,
     * {@code struct iovec *msg_iov} at 16, {@code size_t msg_iovlen} at 24, {@code void *msg_control} at 32,
     * {@code size_t msg_controllen} at 40, {@code unsigned msg_flags} at 48 (struct user_msghdr,
     * include/linux/socket.h), padded to 56.
     */
    public static final int MSGHDR_SIZE = 56;
    /** Offset of {@code msg_iov}. */
    public static final int MSG_IOV = 16;
    /** Offset of {@code msg_iovlen}. */
    public static final int MSG_IOVLEN = 24;
    /** Offset of {@code msg_control}. */
    public static final int MSG_CONTROL = 32;
    /** Offset of {@code msg_controllen}. */
    public static final int MSG_CONTROLLEN = 40;
    /** Offset of {@code msg_flags}. */
    public static final int MSG_FLAGS = 48;

    /**
     * {@code sizeof(struct cmsghdr)}: {@code __kernel_size_t cmsg_len} at 0, {@code int cmsg_level} at 8,
     * {@code int cmsg_type} at 12 (include/linux/socket.h); the data follows at {@code CMSG_ALIGN(16)} = 16,
     * and {@code CMSG_ALIGN} rounds to {@code sizeof(long)}, 8.
     */
    public static final int CMSGHDR_SIZE = 16;

    /** {@code CMSG_LEN(n)}: the {@code cmsg_len} of a message with {@code n} bytes of data. */
    public static int cmsgLen(int dataBytes) {
        return CMSGHDR_SIZE + dataBytes;
    }

    /** {@code CMSG_SPACE(n)}: the buffer room a message with {@code n} bytes of data takes. */
    public static int cmsgSpace(int dataBytes) {
        return CMSGHDR_SIZE + ((dataBytes + 7) & ~7);
    }

    /** {@code SO_PEERCRED}: arch/x86 and asm-generic socket.h; the peer's {@code struct ucred}. */
    public static final int SO_PEERCRED = 17;
    /** {@code sizeof(struct ucred)}: {@code pid_t pid}, {@code uid_t uid} at 4, {@code gid_t gid} (include/linux/socket.h). */
    public static final int UCRED_SIZE = 12;

    /** getsockopt(2) into {@code *optlen} bytes at {@code optval}. Returns 0 or -1. */
    public static native int getsockopt(int fd, int level, int optname, long optval, long optlen);

    /** socket(2). Returns a descriptor or -1. */
    public static native int socket(int domain, int type, int protocol);

    /** bind(2) to the address of {@code len} bytes at {@code addr}. Returns 0 or -1 (EADDRINUSE: the path exists). */
    public static native int bind(int fd, long addr, int len);

    /** listen(2). Returns 0 or -1. */
    public static native int listen(int fd, int backlog);

    /** accept4(2) without the peer's address. Returns a descriptor or -1 (EAGAIN on a non-blocking socket). */
    public static native int accept4(int fd, long addr, long addrlen, int flags);

    /** connect(2). Returns 0 or -1 (ENOENT: no socket at the path; ECONNREFUSED: nobody listens). */
    public static native int connect(int fd, long addr, int len);

    /** sendmsg(2). Returns the bytes sent or -1. */
    public static native long sendmsg(int fd, long msghdr, int flags);

    /** recvmsg(2). Returns the bytes received (0 at end of stream) or -1. */
    public static native long recvmsg(int fd, long msghdr, int flags);

    /** poll(2) on {@code nfds} {@code struct pollfd}. Returns the number ready, 0 on timeout, or -1. */
    public static native int poll(long fds, long nfds, int timeoutMillis);

    /** close(2). Returns 0 or -1. */
    public static native int close(int fd);
}
