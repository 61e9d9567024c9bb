// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import static java.lang.invoke.MethodType.methodType;

import io.tuntap.posix.DelegatingPosixLibC;
import io.tuntap.posix.ForeignPosixLibC;
import io.tuntap.posix.ParkingPoller;
import io.tuntap.posix.PosixCalls;
import java.lang.invoke.MethodHandle;

/**
 * {@link LinuxLibC} through the foreign function API (Java 22 and later): the POSIX calls are
 * {@link PosixCalls#libc()}'s, and the Linux ones are bound here with {@link PosixCalls#bind}, so that errno is
 * captured where {@link #errno()} reads it. Loaded only when {@link PosixCalls#foreign()} is true.
 */
final class ForeignLinuxLibC extends DelegatingPosixLibC implements LinuxLibC {
    // int eventfd(unsigned int, int): eventfd(2)
    private static final MethodHandle EVENTFD = PosixCalls.bind("eventfd", methodType(int.class, int.class,
            int.class));
    // int setns(int, int): setns(2)
    private static final MethodHandle SETNS = PosixCalls.bind("setns", methodType(int.class, int.class,
            int.class));
    // int unshare(int): unshare(2)
    private static final MethodHandle UNSHARE = PosixCalls.bind("unshare", methodType(int.class, int.class));
    // int setsockopt(int, int, int, const void *, socklen_t): setsockopt(2); socklen_t is a 32-bit unsigned
    private static final MethodHandle SETSOCKOPT = PosixCalls.bind("setsockopt", methodType(int.class,
            int.class, int.class, int.class, long.class, int.class));
    // int bind(int, const struct sockaddr *, socklen_t): bind(2)
    private static final MethodHandle BIND = PosixCalls.bind("bind", methodType(int.class, int.class,
            long.class, int.class));

    static final ForeignLinuxLibC INSTANCE = new ForeignLinuxLibC();

    private ForeignLinuxLibC() {
        super(PosixCalls.libc());
    }

    /** Virtual threads park with the process's epoll poller, as with the JNA binding. */
    @Override
    public ParkingPoller parkingPoller() {
        return EpollParkingPoller.shared();
    }

    @Override
    public int eventfd(int initval, int flags) {
        try {
            return (int) EVENTFD.invokeExact(initval, flags);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int setns(int fd, int nstype) {
        try {
            return (int) SETNS.invokeExact(fd, nstype);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int unshare(int flags) {
        try {
            return (int) UNSHARE.invokeExact(flags);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int optname, long optval, int optlen) {
        try {
            return (int) SETSOCKOPT.invokeExact(fd, level, optname, optval, optlen);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int bind(int fd, long addr, int addrlen) {
        try {
            return (int) BIND.invokeExact(fd, addr, addrlen);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }
}
