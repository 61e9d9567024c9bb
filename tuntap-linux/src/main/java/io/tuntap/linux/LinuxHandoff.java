// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static io.tuntap.linux.jna.UnixSockets.CMSGHDR_SIZE;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Sys;
import io.tuntap.linux.jna.UnixSockets;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.Handoffs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Passes the descriptors of a device's queues over a Unix-domain stream socket: one {@code sendmsg} with one
 * byte of data and an {@code SCM_RIGHTS} control message holding every descriptor, answered by one byte from
 * the receiver once it has adopted them, so that the sender knows the device arrived. The receiver listens;
 * it takes a connection only from root or its own user ({@code SO_PEERCRED}).
 */
final class LinuxHandoff {
    private LinuxHandoff() {
    }

    static void send(LinuxDevice device, Path socket, Duration timeout) throws TunTapException {
        int[] fds = new int[device.queues().size()];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = device.fileDescriptor(i);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String where = "the Unix socket " + socket;
        try (Memory address = sockaddr(socket, "DeviceHandoff.send")) {
            int fd = connect(address, socket, deadline);
            try (Memory msg = new Memory(UnixSockets.MSGHDR_SIZE + 16 + 8
                    + UnixSockets.cmsgSpace(4 * fds.length))) {
                msg.clear();
                long base = com.sun.jna.Pointer.nativeValue(msg);
                long iov = base + UnixSockets.MSGHDR_SIZE;
                long data = iov + 16;
                long control = data + 8;
                msg.setByte(data - base, Handoffs.OFFER);
                msg.setLong(iov - base, data);
                msg.setLong(iov - base + 8, 1);
                msg.setLong(UnixSockets.MSG_IOV, iov);
                msg.setLong(UnixSockets.MSG_IOVLEN, 1);
                msg.setLong(UnixSockets.MSG_CONTROL, control);
                msg.setLong(UnixSockets.MSG_CONTROLLEN, UnixSockets.cmsgSpace(4 * fds.length));
                msg.setLong(control - base, UnixSockets.cmsgLen(4 * fds.length));
                msg.setInt(control - base + 8, Sys.SOL_SOCKET);
                msg.setInt(control - base + 12, UnixSockets.SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) {
                    msg.setInt(control - base + CMSGHDR_SIZE + 4L * i, fds[i]);
                }
                if (UnixSockets.sendmsg(fd, base, UnixSockets.MSG_NOSIGNAL) < 0) {
                    int errno = Native.getLastError();
                    throw LinuxErrors.ofCommon("sendmsg(SCM_RIGHTS) to " + socket, errno, "cannot pass the "
                            + "descriptors of " + device.name() + " to " + where);
                }
                // The receiver answers once it has adopted the device, or closes without a word.
                waitReadable(fd, deadline, "DeviceHandoff.send", "the receiver at " + socket + " to take "
                        + device.name());
                long got = UnixSockets.recvmsg(fd, oneByte(msg, base, iov, data), 0);
                if (got != 1 || msg.getByte(data - base) != Handoffs.TAKEN) {
                    throw Handoffs.notTaken("DeviceHandoff.send(" + device.name() + ", " + socket + ")");
                }
            } finally {
                UnixSockets.close(fd);
            }
        }
    }

    /** Points {@code msg} at one byte of data and no control buffer; returns its address. */
    private static long oneByte(Memory msg, long base, long iov, long data) {
        msg.setByte(data - base, (byte) 0);
        msg.setLong(UnixSockets.MSG_CONTROL, 0);
        msg.setLong(UnixSockets.MSG_CONTROLLEN, 0);
        msg.setLong(iov - base, data);
        msg.setLong(iov - base + 8, 1);
        return base;
    }

    /** Connects, trying again while the path is missing or nobody listens on it, until the deadline. */
    private static int connect(Memory address, Path socket, long deadline) throws TunTapException {
        while (true) {
            int fd = UnixSockets.socket(UnixSockets.AF_UNIX, UnixSockets.SOCK_STREAM | Sys.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw LinuxErrors.ofCommon("socket(AF_UNIX)", Native.getLastError(), "cannot create a Unix socket");
            }
            if (UnixSockets.connect(fd, com.sun.jna.Pointer.nativeValue(address), UnixSockets.SOCKADDR_UN_SIZE) == 0) {
                return fd;
            }
            int errno = Native.getLastError();
            UnixSockets.close(fd);
            if (errno != Errno.ENOENT && errno != Errno.ECONNREFUSED && errno != Errno.EINTR) {
                throw LinuxErrors.of("connect(" + socket + ")", errno, errno == Errno.EACCES
                        ? "this user may not connect to " + socket + "; run the sender as root or as the "
                        + "receiver's user" : "cannot connect to the receiver at " + socket);
            }
            Handoffs.pauseBeforeRetry(deadline, socket, Errno.TABLE, errno);
        }
    }

    /**
     * Listens at {@code socket}, accepts the first connection of root or this user, and returns the descriptors
     * it passes, adopted through {@code libc}.
     */
    static TunTapDevice receive(LinuxLibC libc, Path socket, Duration timeout) throws TunTapException {
        String call = "DeviceHandoff.receive(" + socket + ")";
        Handoffs.requireAbsent(socket, call);
        long deadline = System.nanoTime() + timeout.toNanos();
        int listener = UnixSockets.socket(UnixSockets.AF_UNIX, UnixSockets.SOCK_STREAM | Sys.SOCK_CLOEXEC, 0);
        if (listener < 0) {
            throw LinuxErrors.ofCommon("socket(AF_UNIX)", Native.getLastError(), "cannot create a Unix socket");
        }
        boolean bound = false;
        try (Memory address = sockaddr(socket, "DeviceHandoff.receive")) {
            if (UnixSockets.bind(listener, com.sun.jna.Pointer.nativeValue(address), UnixSockets.SOCKADDR_UN_SIZE) < 0) {
                int errno = Native.getLastError();
                throw LinuxErrors.of("bind(" + socket + ")", errno, Handoffs.bindFailure(socket,
                        errno == Errno.EADDRINUSE, errno == Errno.EACCES || errno == Errno.ENOENT));
            }
            bound = true;
            Handoffs.restrictToOwner(socket);
            if (UnixSockets.listen(listener, 1) < 0) {
                throw LinuxErrors.ofCommon("listen(" + socket + ")", Native.getLastError(), "cannot listen on "
                        + socket);
            }
            while (true) {
                waitReadable(listener, deadline, call, "a sender (DeviceHandoff.send) to connect to " + socket);
                int peer = UnixSockets.accept4(listener, 0, 0, Sys.SOCK_CLOEXEC);
                if (peer < 0) {
                    int errno = Native.getLastError();
                    if (errno == Errno.EAGAIN || errno == Errno.EINTR || errno == Errno.ECONNRESET) {
                        continue;
                    }
                    throw LinuxErrors.ofCommon("accept(" + socket + ")", errno, "cannot accept a connection");
                }
                try {
                    return take(libc, peer, socket, deadline, call);
                } finally {
                    UnixSockets.close(peer);
                }
            }
        } finally {
            UnixSockets.close(listener);
            if (bound) {
                Handoffs.removeQuietly(socket);
            }
        }
    }

    /** Receives the descriptors from one connection, adopts them, and answers. */
    private static TunTapDevice take(LinuxLibC libc, int peer, Path socket, long deadline, String call)
            throws TunTapException {
        int controlRoom = UnixSockets.cmsgSpace(4 * UnixSockets.SCM_MAX_FD);
        try (Memory msg = new Memory(UnixSockets.MSGHDR_SIZE + 16 + 8 + controlRoom)) {
            msg.clear();
            long base = com.sun.jna.Pointer.nativeValue(msg);
            long iov = base + UnixSockets.MSGHDR_SIZE;
            long data = iov + 16;
            long control = data + 8;
            long ucred = control; // borrowed before the control buffer is used
            msg.setInt(data - base, UnixSockets.UCRED_SIZE);
            if (UnixSockets.getsockopt(peer, Sys.SOL_SOCKET, UnixSockets.SO_PEERCRED, ucred, data) < 0) {
                throw LinuxErrors.ofCommon("getsockopt(SO_PEERCRED)", Native.getLastError(), "cannot tell who "
                        + "connected to " + socket);
            }
            int uid = msg.getInt(control - base + 4);
            int self = libc.geteuid();
            if (uid != 0 && uid != self) {
                throw Handoffs.stranger(call, uid, self);
            }
            msg.clear();
            msg.setLong(iov - base, data);
            msg.setLong(iov - base + 8, 1);
            msg.setLong(UnixSockets.MSG_IOV, iov);
            msg.setLong(UnixSockets.MSG_IOVLEN, 1);
            msg.setLong(UnixSockets.MSG_CONTROL, control);
            msg.setLong(UnixSockets.MSG_CONTROLLEN, controlRoom);
            waitReadable(peer, deadline, call, "the sender's descriptors");
            long got = UnixSockets.recvmsg(peer, base, UnixSockets.MSG_CMSG_CLOEXEC);
            if (got < 0) {
                throw LinuxErrors.ofCommon("recvmsg(" + socket + ")", Native.getLastError(), "cannot receive the "
                        + "descriptors");
            }
            int[] fds = descriptors(msg, base, control);
            if ((msg.getInt(UnixSockets.MSG_FLAGS) & UnixSockets.MSG_CTRUNC) != 0) {
                closeAll(libc, fds);
                throw Handoffs.truncated(socket, UnixSockets.SCM_MAX_FD);
            }
            if (got != 1 || msg.getByte(data - base) != Handoffs.OFFER || fds.length == 0) {
                closeAll(libc, fds);
                throw Handoffs.noDescriptor(call, got);
            }
            TunTapDevice device;
            try {
                device = new LinuxAdopter(libc).adopt(fds);
            } catch (TunTapException | RuntimeException e) {
                closeAll(libc, fds); // received here: this process owns them
                throw e;
            }
            msg.setByte(data - base, Handoffs.TAKEN);
            msg.setLong(UnixSockets.MSG_CONTROL, 0);
            msg.setLong(UnixSockets.MSG_CONTROLLEN, 0);
            UnixSockets.sendmsg(peer, base, UnixSockets.MSG_NOSIGNAL); // the sender learns the device arrived
            return device;
        }
    }

    /** Every descriptor of every SCM_RIGHTS message in the received control buffer. */
    private static int[] descriptors(Memory msg, long base, long control) {
        long length = msg.getLong(UnixSockets.MSG_CONTROLLEN);
        int[] fds = new int[0];
        long at = 0;
        while (at + CMSGHDR_SIZE <= length) {
            long cmsgLen = msg.getLong(control - base + at);
            if (cmsgLen < CMSGHDR_SIZE || at + cmsgLen > length) {
                break;
            }
            if (msg.getInt(control - base + at + 8) == Sys.SOL_SOCKET
                    && msg.getInt(control - base + at + 12) == UnixSockets.SCM_RIGHTS) {
                int n = (int) ((cmsgLen - CMSGHDR_SIZE) / 4);
                int[] more = new int[fds.length + n];
                System.arraycopy(fds, 0, more, 0, fds.length);
                for (int i = 0; i < n; i++) {
                    more[fds.length + i] = msg.getInt(control - base + at + CMSGHDR_SIZE + 4L * i);
                }
                fds = more;
            }
            at += (cmsgLen + 7) & ~7L;
        }
        return fds;
    }

    private static void closeAll(LinuxLibC libc, int[] fds) {
        for (int fd : fds) {
            libc.close(fd);
        }
    }

    /** {@code struct sockaddr_un} for the path; refuses a path longer than the kernel takes. */
    private static Memory sockaddr(Path socket, String call) throws TunTapException {
        byte[] path = socket.toString().getBytes(StandardCharsets.UTF_8);
        if (path.length >= UnixSockets.UNIX_PATH_MAX) {
            throw new InvalidConfigurationException(call, 0, ErrorMessages.failed(call + "(" + socket + ")", "the "
                    + "path has " + path.length + " bytes; a Unix socket path takes at most "
                    + (UnixSockets.UNIX_PATH_MAX - 1) + ": choose a shorter one, e.g. under /run"));
        }
        Memory address = new Memory(UnixSockets.SOCKADDR_UN_SIZE);
        address.clear();
        address.setShort(0, (short) UnixSockets.AF_UNIX);
        address.write(UnixSockets.SUN_PATH_OFFSET, path, 0, path.length);
        return address;
    }

    /** Polls until {@code fd} is readable, in slices that notice interrupts, or throws at the deadline. */
    private static void waitReadable(int fd, long deadline, String call, String waitingFor) throws TunTapException {
        try (Memory pollfd = new Memory(Sys.POLLFD_SIZE)) {
            Handoffs.waitReadable(timeoutMillis -> {
                pollfd.clear();
                pollfd.setInt(0, fd);
                pollfd.setShort(4, Sys.POLLIN);
                int ready = UnixSockets.poll(com.sun.jna.Pointer.nativeValue(pollfd), 1, timeoutMillis);
                if (ready < 0 && Native.getLastError() != Errno.EINTR) {
                    throw LinuxErrors.ofCommon("poll", Native.getLastError(), "cannot wait for " + waitingFor);
                }
                return Math.max(0, ready);
            }, deadline, call, waitingFor);
        }
    }
}
