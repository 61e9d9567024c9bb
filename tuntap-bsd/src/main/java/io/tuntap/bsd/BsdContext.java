// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.BsdLibC;
import io.tuntap.bsd.jna.Ifreq;
import io.tuntap.posix.PosixLibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The system calls of one OS (the real ones, or a fake kernel in tests) and the small helpers the openers and
 * devices share. Configuration calls only: each makes its own native request buffer.
 */
final class BsdContext {
    final PosixLibC libc;
    final BsdLibC bsd;
    final BsdAbi abi;

    BsdContext(PosixLibC libc, BsdLibC bsd, BsdAbi abi) {
        this.libc = libc;
        this.bsd = bsd;
        this.abi = abi;
    }

    /** A native request buffer of {@code size} bytes (zeroed) with a host-order view. */
    static final class Request implements AutoCloseable {
        final Memory memory;
        final ByteBuffer view;
        final long address;

        Request(int size) {
            memory = new Memory(size);
            memory.clear();
            view = memory.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
            address = Pointer.nativeValue(memory);
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    /** A datagram socket of {@code family} for interface ioctls. */
    int socket(int family, String purpose) throws TunTapException {
        int s = libc.socket(family, BsdAbi.SOCK_DGRAM, 0);
        if (s < 0) {
            int errno = libc.errno();
            throw BsdErrors.ofCommon("socket(" + (family == BsdAbi.AF_INET ? "AF_INET" : "AF_INET6") + ")", errno,
                    "cannot open the socket that " + purpose);
        }
        return s;
    }

    /** An ioctl for interface {@code name}, the request buffer on a configuration socket; explains a failure. */
    void ifIoctl(int socket, long request, Request r, String call, String what, String name)
            throws TunTapException {
        if (libc.ioctl(socket, request, r.address) >= 0) {
            return;
        }
        int errno = libc.errno();
        String fn = "ioctl(" + call + ") on " + name;
        String explanation = switch (errno) {
            case BsdErrno.EDESTADDRREQ -> what + ": " + name + " is point-to-point, and an IPv4 address there "
                    + "needs the peer's address";
            case BsdErrno.EINVAL -> what + ": the kernel rejected the value";
            case BsdErrno.ENXIO, BsdErrno.ENODEV -> what + ": " + name + " no longer exists";
            default -> BsdErrors.POSIX.common(errno) != null ? what + ": " + BsdErrors.POSIX.common(errno) : what;
        };
        throw BsdErrors.of(fn, errno, explanation);
    }

    /** The interface index of {@code name}, or 0 if there is no such interface. */
    int index(String name) {
        return libc.if_nametoindex(name);
    }

    /** Runs an ifreq ioctl for {@code name} on an AF_INET socket; returns 0 or the errno. */
    int ifreqIoctl(long request, String name) throws TunTapException {
        int s = socket(BsdAbi.AF_INET, "creates and destroys interfaces");
        try (Request r = new Request(abi.ifreqSize)) {
            Ifreq.clear(r.view, abi, name);
            return libc.ioctl(s, request, r.address) < 0 ? libc.errno() : 0;
        } finally {
            libc.close(s);
        }
    }

    /** SIOCIFDESTROY of {@code name}; returns 0 or the errno. */
    int destroy(String name) throws TunTapException {
        return ifreqIoctl(abi.siocifdestroy, name);
    }

    /** SIOCIFCREATE of exactly {@code name}; returns 0 or the errno (EEXIST if it exists). */
    int create(String name) throws TunTapException {
        return ifreqIoctl(abi.siocifcreate, name);
    }

    /** fcntl(F_SETFL, O_NONBLOCK) and FD_CLOEXEC on {@code fd}; returns 0 or the errno. */
    int makeNonBlocking(int fd) {
        int flags = libc.fcntl(fd, BsdAbi.F_GETFL, 0);
        if (flags < 0 || libc.fcntl(fd, BsdAbi.F_SETFL, flags | BsdAbi.O_NONBLOCK) < 0
                || libc.fcntl(fd, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC) < 0) {
            return libc.errno();
        }
        return 0;
    }

    /** An ioctl on a device fd with an int argument passed by pointer; returns 0 or the errno. */
    int ioctlInt(int fd, long request, int value) {
        try (Request r = new Request(4)) {
            r.view.putInt(0, value);
            return libc.ioctl(fd, request, r.address) < 0 ? libc.errno() : 0;
        }
    }
}
