// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.tuntap.posix.DelegatingPosixLibC;
import io.tuntap.posix.ParkingPoller;
import io.tuntap.posix.PosixLibCDirect;

/**
 * {@link LinuxLibC} through JNA direct mapping: the POSIX calls are {@link PosixLibCDirect}'s, and the Linux
 * ones are native methods bound here once with {@link Native#register} (which binds only the native methods its
 * class declares), taking primitives only, which costs a fraction of interface mapping per call (no
 * reflection, no argument conversion, no allocation). errno is read with {@link Native#getLastError()}, which
 * JNA saves after every direct call, so no call needs {@code throws LastErrorException} and no exception is
 * made on EAGAIN.
 *
 * <p>Loading this class loads JNA's native library: reach it only after the OS check.
 */
public final class LinuxLibCDirect extends DelegatingPosixLibC implements LinuxLibC {
    /** The one instance. */
    public static final LinuxLibCDirect INSTANCE = new LinuxLibCDirect();

    static {
        Native.register(LinuxLibCDirect.class, Platform.C_LIBRARY_NAME);
    }

    private LinuxLibCDirect() {
        super(PosixLibCDirect.INSTANCE);
    }

    /** Virtual threads park with the process's epoll poller. */
    @Override
    public ParkingPoller parkingPoller() {
        return EpollParkingPoller.shared();
    }

    @Override
    public native int eventfd(int initval, int flags);

    @Override
    public native int setns(int fd, int nstype);

    @Override
    public native int unshare(int flags);

    @Override
    public native int setsockopt(int fd, int level, int optname, long optval, int optlen);

    @Override
    public native int bind(int fd, long addr, int addrlen);
}
