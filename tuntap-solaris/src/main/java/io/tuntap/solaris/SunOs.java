// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.posix.PosixLibC;
import io.tuntap.solaris.jna.SolarisLibC;
import java.util.Objects;

/**
 * The system calls of the backend: the POSIX ones and the STREAMS message calls. Production passes the JNA
 * bindings; unit tests pass one fake kernel as both.
 *
 * @param libc open, close, ioctl, poll, pipe, fcntl, socket, read, write, errno
 * @param streams getmsg and putmsg
 */
record SunOs(PosixLibC libc, SolarisLibC streams) {
    SunOs {
        Objects.requireNonNull(libc, "libc");
        Objects.requireNonNull(streams, "streams");
    }
}
