// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tuntap.testkit.DatagramSocketPeer;
import io.tuntap.testkit.RealKernel;
import io.tuntap.testkit.TunTapDeviceContract;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The Windows host stack as the contract's peer: UDP sockets bound to the device's addresses. */
final class WindowsHost {
    /**
     * With {@code -D}{@value}{@code =true} (the Windows workflow sets it), what a test needs from the real
     * system (an installed adapter, wintun.dll) must be there: its absence fails the test instead of skipping it.
     */
    static final String REQUIRE_REAL_KERNEL = RealKernel.REQUIRE;

    private WindowsHost() {
    }

    /** Skips the test when {@code present} is false, saying why; fails it instead under {@link #REQUIRE_REAL_KERNEL}. */
    static void requireOrSkip(boolean present, Supplier<String> why) {
        if (RealKernel.required()) {
            assertTrue(present, () -> why.get() + " (required: -D" + REQUIRE_REAL_KERNEL + "=true)");
        } else {
            assumeTrue(present, why);
        }
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
