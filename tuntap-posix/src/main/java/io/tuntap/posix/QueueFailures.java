// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import io.tuntap.DeviceInterruptedException;
import io.tuntap.TunTapException;

/** A {@link PosixQueue}'s waits report their failures as the queue's own exceptions. */
final class QueueFailures implements WakeablePoll.Failures {
    private final PosixQueue queue;

    QueueFailures(PosixQueue queue) {
        this.queue = queue;
    }

    @Override
    public TunTapException ioError(String call, int errno) {
        return queue.ioError(call, errno);
    }

    @Override
    public DeviceInterruptedException interrupted() {
        return queue.interrupted();
    }
}
