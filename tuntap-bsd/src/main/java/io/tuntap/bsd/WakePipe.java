// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.posix.PosixLibC;

/**
 * The pipe through which {@code close()} wakes a reader that waits in {@code poll} on a queue's descriptor:
 * both ends non-blocking (a wake-up never blocks the closer) and close-on-exec.
 *
 * @param read the end polled beside the device descriptor
 * @param write the end written to wake the reader
 */
record WakePipe(int read, int write) {

    /** Creates the pipe for the queue of {@code fd}. On failure closes {@code fd} too, and throws. */
    static WakePipe open(PosixLibC libc, int fd) throws TunTapException {
        try (Memory fds = new Memory(8)) {
            if (libc.pipe(Pointer.nativeValue(fds)) < 0) {
                int errno = libc.errno();
                libc.close(fd);
                throw BsdErrors.ofCommon("pipe", errno, "cannot create the pipe that lets close() wake a reader");
            }
            int r = fds.getInt(0);
            int w = fds.getInt(4);
            for (int end : new int[] {r, w}) {
                int flags = libc.fcntl(end, BsdAbi.F_GETFL, 0);
                if (flags < 0 || libc.fcntl(end, BsdAbi.F_SETFL, flags | BsdAbi.O_NONBLOCK) < 0
                        || libc.fcntl(end, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC) < 0) {
                    int errno = libc.errno();
                    libc.close(r);
                    libc.close(w);
                    libc.close(fd);
                    throw BsdErrors.ofCommon("fcntl(pipe)", errno, "cannot make the wake-up pipe non-blocking");
                }
            }
            return new WakePipe(r, w);
        }
    }
}
