// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdKqueue;
import io.tuntap.bsd.jna.BsdKqueueDirect;
import io.tuntap.bsd.jna.ForeignBsdKqueue;
import io.tuntap.posix.DelegatingPosixLibC;
import io.tuntap.posix.ParkingPoller;
import io.tuntap.posix.PosixCalls;
import io.tuntap.posix.PosixLibC;

/**
 * The POSIX calls of the BSDs and macOS, whose virtual threads park with the process's
 * {@link KqueueParkingPoller}: kqueue bound as the other calls are (the foreign function API on Java 22 and
 * later, JNA direct mapping before), chosen on the first {@link #parkingPoller()} and kept.
 */
final class KqueueLibC extends DelegatingPosixLibC {
    private final BsdAbi abi;
    private volatile ParkingPoller poller;

    KqueueLibC(PosixLibC posix, BsdAbi abi) {
        super(posix);
        this.abi = abi;
    }

    private static BsdKqueue binding() {
        return PosixCalls.foreign() ? ForeignBsdKqueue.INSTANCE : BsdKqueueDirect.INSTANCE;
    }

    @Override
    public ParkingPoller parkingPoller() {
        ParkingPoller p = poller;
        if (p == null) {
            p = KqueueParkingPoller.choose(this, KqueueLibC::binding, abi);
            poller = p;
        }
        return p;
    }
}
