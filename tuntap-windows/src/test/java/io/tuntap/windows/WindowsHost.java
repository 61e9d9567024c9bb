// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.testkit.DatagramSocketPeer;
import io.tuntap.testkit.TunTapDeviceContract;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The Windows host stack as the contract's peer: UDP sockets bound to the device's addresses. */
final class WindowsHost {
    private WindowsHost() {
    }

    /** A peer whose binds retry for a moment while Windows still holds a new address back. */
    static TunTapDeviceContract.Peer peer() {
        DatagramSocketPeer sockets = new DatagramSocketPeer();
        return local -> bindWhenUsable(sockets, local);
    }

    private static TunTapDeviceContract.PeerSocket bindWhenUsable(DatagramSocketPeer sockets, InetSocketAddress local)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return sockets.bindUdp(local);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
