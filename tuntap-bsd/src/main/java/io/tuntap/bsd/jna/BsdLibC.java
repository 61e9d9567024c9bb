// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

/**
 * The few libc calls the BSD and macOS backend needs beyond {@link io.tuntap.posix.PosixLibC}; an interface so
 * that tests can put a fake kernel behind it. Conventions as in {@code PosixLibC}: -1 on failure, errno from
 * {@code PosixLibC.errno()} of the same implementation; pointers are native addresses owned by the caller.
 */
public interface BsdLibC {

    /** connect(2) to the {@code len}-byte sockaddr at {@code addr}. Returns 0 or -1 (EBUSY for a utun unit in use). */
    int connect(int fd, long addr, int len);

    /**
     * getsockopt(2): {@code len} points to a socklen_t (u32) holding the room at {@code value}, replaced by the
     * length written. Returns 0 or -1.
     */
    int getsockopt(int fd, int level, int name, long value, long len);

    /**
     * getifaddrs(3): stores at {@code result} the address of a list the caller frees with {@link #freeifaddrs}.
     * Returns 0 or -1 (ENOMEM).
     */
    int getifaddrs(long result);

    /** freeifaddrs(3) of a list from {@link #getifaddrs}. */
    void freeifaddrs(long ifaddrs);

    /**
     * sysctl(3) of the {@code namelen} ints at {@code name}: copies at most {@code *oldlenp} bytes (a size_t at
     * {@code oldlenp}) to {@code oldp} and stores the length; with {@code oldp} 0 it stores the length needed.
     * Returns 0 or -1 (ENOMEM when the room was too small).
     */
    int sysctl(long name, int namelen, long oldp, long oldlenp, long newp, long newlen);

    /**
     * fstat(2) into the {@code struct stat} of {@link Stat#size} bytes at {@code stat}. Returns 0 or -1. Used on
     * OpenBSD and NetBSD only, where the layout is known ({@link Stat}).
     */
    int fstat(int fd, long stat);

    /** bind(2) to the {@code len}-byte sockaddr at {@code addr}. Returns 0 or -1 (EADDRINUSE: the path exists). */
    int bind(int fd, long addr, int len);

    /** listen(2). Returns 0 or -1. */
    int listen(int fd, int backlog);

    /** accept(2) without the peer's address ({@code addr} and {@code addrlen} 0). Returns a descriptor or -1. */
    int accept(int fd, long addr, long addrlen);

    /** sendmsg(2) of the {@code struct msghdr} at {@code msg} ({@link UnixRights}). Returns the bytes sent or -1. */
    long sendmsg(int fd, long msg, int flags);

    /** recvmsg(2) into the {@code struct msghdr} at {@code msg}. Returns the bytes received (0 at the end) or -1. */
    long recvmsg(int fd, long msg, int flags);

    /**
     * getpeereid(3): the effective uid and gid of the peer of a connected Unix-domain socket, as u32 at
     * {@code uid} and {@code gid}. Returns 0 or -1.
     */
    int getpeereid(int fd, long uid, long gid);
}
