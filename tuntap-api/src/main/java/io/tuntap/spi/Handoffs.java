// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.DevicePermissionException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.TunTapException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The part of {@link io.tuntap.DeviceHandoff} that is the same on every system with Unix-domain sockets: the
 * protocol (the sender's one byte {@link #OFFER} with the descriptors, the receiver's one byte {@link #TAKEN}
 * once it has adopted them), the socket file's checks, mode and removal, the waits with their deadline, and the
 * messages of the refusals. Each backend binds the socket calls and lays out its system's control messages.
 */
public final class Handoffs {
    /** Sent with the descriptors: a stream socket carries control messages only with data. */
    public static final byte OFFER = 'T';
    /** The receiver's answer once the device is adopted. */
    public static final byte TAKEN = 'A';
    /** How often a sender tries again while nothing listens yet, in milliseconds. */
    private static final long RETRY_MILLIS = 50;

    private Handoffs() {
    }

    /** One wait of a backend's {@code poll(2)} for a descriptor to become readable. */
    @FunctionalInterface
    public interface Poll {
        /**
         * Polls once.
         *
         * @param timeoutMillis how long it may wait, at least 1
         * @return the number of descriptors ready, or 0 if none (or the call was interrupted by a signal)
         * @throws TunTapException if the poll failed otherwise
         */
        int poll(int timeoutMillis) throws TunTapException;
    }

    /**
     * Refuses a receiver's socket path that exists already.
     *
     * @param socket the path to listen on
     * @param call the call, for the message
     * @throws DeviceBusyException if something is at {@code socket} (error code 0: no call failed)
     */
    public static void requireAbsent(Path socket, String call) throws DeviceBusyException {
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new DeviceBusyException(call, 0, ErrorMessages.failed(call, socket + " exists already; "
                    + "remove it (a receiver that died leaves its socket behind) or choose another path"));
        }
    }

    /**
     * What a failed {@code bind} of the receiver's socket means.
     *
     * @param socket the path
     * @param inUse whether the error was {@code EADDRINUSE}
     * @param noDirectory whether it was {@code EACCES} or {@code ENOENT}
     * @return the cause and fix
     */
    public static String bindFailure(Path socket, boolean inUse, boolean noDirectory) {
        return inUse ? socket + " exists already; remove it or choose another path"
                : noDirectory ? "cannot create the socket in " + socket.getParent() + ": the directory is missing or "
                + "not writable by this user" : "cannot create the socket " + socket;
    }

    /**
     * Gives the receiver's bound socket mode 0600, so that only its user and root can connect.
     *
     * @param socket the bound socket's path
     * @throws TunTapException if the mode cannot be set
     */
    public static void restrictToOwner(Path socket) throws TunTapException {
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new TunTapException("chmod(" + socket + ")", 0, ErrorMessages.failed("chmod(" + socket
                    + ", 0600)", "cannot restrict the socket to this user: " + e.getMessage()), e);
        }
    }

    /**
     * Removes the receiver's socket file after its socket is closed.
     *
     * @param socket the path
     */
    public static void removeQuietly(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // The socket is closed; a stale path is reported by the next receive.
        }
    }

    /**
     * Between a sender's attempts to connect: waits {@value #RETRY_MILLIS} ms, or throws once the deadline has
     * passed.
     *
     * @param deadline the {@link System#nanoTime()} by which a receiver must listen
     * @param socket the receiver's path
     * @param errors the system's errno table
     * @param errno the last connect's error code
     * @throws DeviceNotFoundException if the deadline has passed
     * @throws DeviceInterruptedException if the thread is interrupted
     */
    public static void pauseBeforeRetry(long deadline, Path socket, ErrorCodes errors, int errno)
            throws TunTapException {
        if (System.nanoTime() - deadline >= 0) {
            String call = "connect(" + socket + ")";
            throw new DeviceNotFoundException(call, errno, errors.message(call, errno,
                    "no receiver listened at " + socket + " within the timeout; start the receiving program "
                    + "(DeviceHandoff.receive) first, or give more time"));
        }
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceInterruptedException("DeviceHandoff.send", 0, ErrorMessages.failed(
                    "DeviceHandoff.send", "interrupted while waiting for a receiver at " + socket), e);
        }
    }

    /**
     * Polls until a descriptor is readable, in slices of at most 100 ms that notice interrupts, or throws at
     * the deadline.
     *
     * @param poll one poll of the descriptor
     * @param deadline the {@link System#nanoTime()} to give up at
     * @param call the call, for the message
     * @param waitingFor what is awaited, for the message
     * @throws DeviceNotFoundException at the deadline
     * @throws DeviceInterruptedException if the thread is interrupted
     * @throws TunTapException if the poll fails
     */
    public static void waitReadable(Poll poll, long deadline, String call, String waitingFor)
            throws TunTapException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DeviceNotFoundException(call, 0, ErrorMessages.failed(call, "timed out waiting for "
                        + waitingFor + "; start the other side, or give more time"));
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new DeviceInterruptedException(call, 0, ErrorMessages.failed(call, "interrupted while "
                        + "waiting for " + waitingFor));
            }
            if (poll.poll((int) Math.min(100, Math.max(1, left / 1_000_000))) > 0) {
                return;
            }
        }
    }

    /**
     * The receiver's refusal of a peer that is neither root nor its own user.
     *
     * @param call the receive call
     * @param uid the peer's uid
     * @param self this process's effective uid
     * @return the exception
     */
    public static DevicePermissionException stranger(String call, int uid, int self) {
        return new DevicePermissionException(call, 0, ErrorMessages.failed(call, "uid " + uid + " connected and "
                + "offered descriptors; only root or this user (uid " + self + ") may hand a device to this process"));
    }

    /**
     * The sender's failure when the receiver hung up without answering {@link #TAKEN}.
     *
     * @param call the send call
     * @return the exception
     */
    public static TunTapException notTaken(String call) {
        return new TunTapException("DeviceHandoff.send", 0, ErrorMessages.failed(call, "the receiver closed the "
                + "connection without taking the device: it refused the descriptors (see its log), or is not a "
                + "DeviceHandoff.receive"));
    }

    /**
     * The receiver's refusal of a message without the offer and its descriptors.
     *
     * @param call the receive call
     * @param got the bytes of data that came
     * @return the exception
     */
    public static InvalidConfigurationException noDescriptor(String call, long got) {
        return new InvalidConfigurationException(call, 0, ErrorMessages.failed(call, "the peer sent no descriptor ("
                + got + " byte(s) of data, no SCM_RIGHTS); connect with DeviceHandoff.send"));
    }

    /**
     * The receiver's failure when the descriptors did not fit ({@code MSG_CTRUNC}).
     *
     * @param socket the receiver's path
     * @param room how many descriptors the control buffer had room for
     * @return the exception
     */
    public static TunTapException truncated(Path socket, int room) {
        String call = "recvmsg(" + socket + ")";
        return new TunTapException(call, 0, ErrorMessages.failed(call, "the descriptors did not fit (MSG_CTRUNC): "
                + "more than " + room + " came, or this process reached its descriptor limit (ulimit -n)"));
    }
}
