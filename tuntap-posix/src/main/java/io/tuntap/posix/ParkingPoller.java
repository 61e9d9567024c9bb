// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

/**
 * Waits on many device fds at once for the virtual threads that read and write them, so that such a thread parks
 * instead of pinning its carrier in {@code poll}: one per process, on a platform daemon thread of its own. Each
 * backend's libc names its poller ({@link PosixLibC#parkingPoller()}): epoll on Linux, kqueue on the BSDs and
 * macOS, {@link PollParkingPoller}
 * elsewhere.
 */
public abstract class ParkingPoller {
    /** For the pollers of the backends. */
    protected ParkingPoller() {
    }

    /**
     * A watch on {@code fd}, not yet registered: the first wait registers it, close removes it.
     *
     * @param fd the device fd, open until the watch is removed
     * @return the watch
     */
    public abstract Parking watch(int fd);
}
