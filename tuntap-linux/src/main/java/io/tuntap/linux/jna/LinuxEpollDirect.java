// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@link LinuxEpoll} through JNA direct mapping: native methods bound once with {@link Native#register}, primitives
 * only; errno is JNA's saved {@link Native#getLastError()}. Loading this class loads JNA's native library: reach
 * it only after the OS check.
 */
public final class LinuxEpollDirect implements LinuxEpoll {
    /** The one instance. */
    public static final LinuxEpollDirect INSTANCE = new LinuxEpollDirect();

    static {
        Native.register(LinuxEpollDirect.class, Platform.C_LIBRARY_NAME);
    }

    private LinuxEpollDirect() {
    }

    @Override
    public native int epoll_create1(int flags);

    @Override
    public native int epoll_ctl(int epfd, int op, int fd, long event);

    @Override
    public native int epoll_wait(int epfd, long events, int maxevents, int timeoutMillis);

    @Override
    public int errno() {
        return Native.getLastError();
    }
}
