// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.linux.LinuxDevice;
import java.util.Optional;

/**
 * The file descriptor of a Linux queue, for the epoll event loop. {@code tuntap-linux} is an optional dependency:
 * without it (or for a device of another backend) there is none, and the channel takes the reader-thread path.
 */
final class LinuxQueues {
    private LinuxQueues() {
    }

    /** The queue's fd, or -1 where the device is not a Linux device or the Linux backend is absent. */
    static int fileDescriptor(TunTapDevice device, int queue) {
        try {
            return Holder.fileDescriptor(device, queue);
        } catch (LinkageError e) {
            return -1; // no tuntap-linux on the class or module path
        } catch (TunTapException e) {
            return -1; // closed already: the reader path reports that at its first read
        }
    }

    /** Touches the Linux backend's types only when called, so that their absence is a LinkageError here. */
    private static final class Holder {
        static int fileDescriptor(TunTapDevice device, int queue) throws TunTapException {
            Optional<LinuxDevice> linux = device.extension(LinuxDevice.class);
            return linux.isPresent() ? linux.get().fileDescriptor(queue) : -1;
        }
    }
}
