// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.InvalidConfigurationException;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.UnixRights;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.Handoffs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Hands a device's descriptor from one process to another over a Unix-domain stream socket on FreeBSD,
 * OpenBSD, NetBSD and macOS: one {@code sendmsg} with one byte of data and an {@code SCM_RIGHTS} control
 * message laid out as each system's {@code sys/socket.h} says ({@link UnixRights}), answered by one byte from
 * the receiver once it has adopted the descriptor ({@link BsdAdopter}), so that the sender knows the device
 * arrived. The receiver listens on a socket of mode 0600 and takes a connection only from root or its own
 * user ({@code getpeereid}).
 */
final class BsdHandoff {
    /** Room for descriptors in a received control message: a BSD device has one; more is refused. */
    private static final int ROOM = 8;

    private BsdHandoff() {
    }

    static void send(BsdContext ctx, BsdTunTapDevice device, Path socket, Duration timeout) throws TunTapException {
        UnixRights abi = UnixRights.of(ctx.abi.os);
        int[] fds = {device.fileDescriptor()};
        long deadline = System.nanoTime() + timeout.toNanos();
        String call = "DeviceHandoff.send(" + device.name() + ", " + socket + ")";
        try (BsdContext.Request address = sockaddr(socket, "DeviceHandoff.send")) {
            int fd = connect(ctx, address, socket, deadline);
            try (BsdContext.Request msg = new BsdContext.Request(abi.messageSize(ROOM))) {
                abi.putMessage(msg.view, msg.address, Handoffs.OFFER, fds, 0);
                if (ctx.bsd.sendmsg(fd, msg.address, abi.msgNoSignal) < 0) {
                    int errno = ctx.libc.errno();
                    if (errno == BsdErrno.EPIPE || errno == BsdErrno.ECONNRESET) {
                        throw BsdErrors.of("sendmsg(SCM_RIGHTS) to " + socket, errno, "the receiver closed the "
                                + "connection before the descriptor went: it takes a device only from root or its own "
                                + "user (see its log), or is not a DeviceHandoff.receive");
                    }
                    throw BsdErrors.ofCommon("sendmsg(SCM_RIGHTS) to " + socket, errno, "cannot pass the "
                            + "descriptor of " + device.name() + " to the receiver at " + socket);
                }
                // The receiver answers once it has adopted the device, or closes without a word.
                waitReadable(ctx, fd, deadline, call, "the receiver at " + socket + " to take " + device.name());
                abi.putMessage(msg.view, msg.address, (byte) 0, new int[0], 0);
                long got = ctx.bsd.recvmsg(fd, msg.address, 0);
                if (got != 1 || UnixRights.dataByte(msg.view) != Handoffs.TAKEN) {
                    throw Handoffs.notTaken(call);
                }
                device.handedOver();
            } finally {
                ctx.libc.close(fd);
            }
        }
    }

    /** Connects, trying again while the path is missing or nobody listens on it, until the deadline. */
    private static int connect(BsdContext ctx, BsdContext.Request address, Path socket, long deadline)
            throws TunTapException {
        int length = address.view.get(0) & 0xff;
        while (true) {
            int fd = unixSocket(ctx);
            if (ctx.bsd.connect(fd, address.address, length) == 0) {
                return fd;
            }
            int errno = ctx.libc.errno();
            ctx.libc.close(fd);
            if (errno != BsdErrno.ENOENT && errno != BsdErrno.ECONNREFUSED && errno != BsdErrno.EINTR) {
                throw BsdErrors.of("connect(" + socket + ")", errno, errno == BsdErrno.EACCES
                        ? "this user may not connect to " + socket + "; run the sender as root or as the "
                        + "receiver's user" : "cannot connect to the receiver at " + socket);
            }
            Handoffs.pauseBeforeRetry(deadline, socket, BsdErrno.TABLE, errno);
        }
    }

    /**
     * Listens at {@code socket}, accepts the first connection of root or this user, adopts the descriptor it
     * passes and answers.
     */
    static TunTapDevice receive(BsdContext ctx, BsdSystem system, Path socket, Duration timeout)
            throws TunTapException {
        String call = "DeviceHandoff.receive(" + socket + ")";
        Handoffs.requireAbsent(socket, call);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (BsdContext.Request address = sockaddr(socket, "DeviceHandoff.receive")) {
            int listener = unixSocket(ctx);
            boolean bound = false;
            try {
                if (ctx.bsd.bind(listener, address.address, address.view.get(0) & 0xff) < 0) {
                    int errno = ctx.libc.errno();
                    throw BsdErrors.of("bind(" + socket + ")", errno, Handoffs.bindFailure(socket,
                            errno == BsdErrno.EADDRINUSE, errno == BsdErrno.EACCES || errno == BsdErrno.ENOENT));
                }
                bound = true;
                Handoffs.restrictToOwner(socket);
                if (ctx.bsd.listen(listener, 1) < 0) {
                    throw BsdErrors.ofCommon("listen(" + socket + ")", ctx.libc.errno(), "cannot listen on "
                            + socket);
                }
                while (true) {
                    waitReadable(ctx, listener, deadline, call, "a sender (DeviceHandoff.send) to connect to "
                            + socket);
                    int peer = ctx.bsd.accept(listener, 0, 0);
                    if (peer < 0) {
                        int errno = ctx.libc.errno();
                        if (errno == BsdErrno.EAGAIN || errno == BsdErrno.EINTR || errno == BsdErrno.ECONNRESET) {
                            continue;
                        }
                        throw BsdErrors.ofCommon("accept(" + socket + ")", errno, "cannot accept a connection");
                    }
                    try {
                        ctx.libc.fcntl(peer, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC);
                        return take(ctx, system, peer, socket, deadline, call);
                    } finally {
                        ctx.libc.close(peer);
                    }
                }
            } finally {
                ctx.libc.close(listener);
                if (bound) {
                    Handoffs.removeQuietly(socket);
                }
            }
        }
    }

    /** Checks the peer, receives its descriptor, adopts it, and answers. */
    private static TunTapDevice take(BsdContext ctx, BsdSystem system, int peer, Path socket, long deadline,
            String call) throws TunTapException {
        UnixRights abi = UnixRights.of(ctx.abi.os);
        try (BsdContext.Request ids = new BsdContext.Request(8);
                BsdContext.Request msg = new BsdContext.Request(abi.messageSize(ROOM))) {
            if (ctx.bsd.getpeereid(peer, ids.address, ids.address + 4) < 0) {
                throw BsdErrors.ofCommon("getpeereid", ctx.libc.errno(), "cannot tell who connected to " + socket);
            }
            int uid = ids.view.getInt(0);
            int self = ctx.libc.geteuid();
            if (uid != 0 && uid != self) {
                throw Handoffs.stranger(call, uid, self);
            }
            waitReadable(ctx, peer, deadline, call, "the sender's descriptor");
            abi.putMessage(msg.view, msg.address, (byte) 0, new int[0], ROOM);
            long got = ctx.bsd.recvmsg(peer, msg.address, abi.msgCmsgCloexec);
            if (got < 0) {
                throw BsdErrors.ofCommon("recvmsg(" + socket + ")", ctx.libc.errno(), "cannot receive the "
                        + "descriptor");
            }
            int[] fds = abi.receivedFds(msg.view);
            if ((msg.view.getInt(UnixRights.MSG_FLAGS) & UnixRights.MSG_CTRUNC) != 0) {
                closeAll(ctx, fds);
                throw Handoffs.truncated(socket, ROOM);
            }
            if (got != 1 || UnixRights.dataByte(msg.view) != Handoffs.OFFER || fds.length == 0) {
                closeAll(ctx, fds);
                throw Handoffs.noDescriptor(call, got);
            }
            TunTapDevice device;
            try {
                device = BsdAdopter.adopt(ctx, system, fds);
            } catch (TunTapException | RuntimeException e) {
                closeAll(ctx, fds); // received here: this process owns them
                throw e;
            }
            abi.putMessage(msg.view, msg.address, Handoffs.TAKEN, new int[0], 0);
            ctx.bsd.sendmsg(peer, msg.address, abi.msgNoSignal); // the sender learns the device arrived
            return device;
        }
    }

    private static void closeAll(BsdContext ctx, int[] fds) {
        for (int fd : fds) {
            ctx.libc.close(fd);
        }
    }

    /** A Unix-domain stream socket, close-on-exec. */
    private static int unixSocket(BsdContext ctx) throws TunTapException {
        int fd = ctx.libc.socket(UnixRights.AF_UNIX, UnixRights.SOCK_STREAM, 0);
        if (fd < 0) {
            throw BsdErrors.ofCommon("socket(AF_UNIX)", ctx.libc.errno(), "cannot create a Unix socket");
        }
        ctx.libc.fcntl(fd, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC);
        return fd;
    }

    /** {@code struct sockaddr_un} for the path; refuses a path longer than {@code sun_path} takes. */
    private static BsdContext.Request sockaddr(Path socket, String call) throws TunTapException {
        int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > UnixRights.MAX_PATH_BYTES) {
            throw new InvalidConfigurationException(call, 0, ErrorMessages.failed(call + "(" + socket + ")", "the "
                    + "path has " + bytes + " bytes; a Unix socket path takes at most " + UnixRights.MAX_PATH_BYTES
                    + " here (sun_path[104]): choose a shorter one, e.g. under /var/run"));
        }
        BsdContext.Request address = new BsdContext.Request(UnixRights.SOCKADDR_UN_SIZE);
        UnixRights.putSockaddr(address.view, socket.toString());
        return address;
    }

    /** Polls until {@code fd} is readable, in slices that notice interrupts, or throws at the deadline. */
    private static void waitReadable(BsdContext ctx, int fd, long deadline, String call, String waitingFor)
            throws TunTapException {
        try (BsdContext.Request pollfd = new BsdContext.Request(BsdAbi.POLLFD_SIZE)) {
            Handoffs.waitReadable(timeoutMillis -> {
                pollfd.view.putInt(0, fd);
                pollfd.view.putShort(4, BsdAbi.POLLIN);
                pollfd.view.putShort(6, (short) 0);
                int ready = ctx.libc.poll(pollfd.address, 1, timeoutMillis);
                if (ready < 0 && ctx.libc.errno() != BsdErrno.EINTR) {
                    throw BsdErrors.ofCommon("poll", ctx.libc.errno(), "cannot wait for " + waitingFor);
                }
                return Math.max(0, ready);
            }, deadline, call, waitingFor);
        }
    }
}
