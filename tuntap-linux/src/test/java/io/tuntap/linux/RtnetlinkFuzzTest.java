// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Rtnl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the rtnetlink replies the kernel sends to a request: one received datagram is
 * walked by {@link Rtnetlink#replies}, and each message handed to the parser its type has in the backend
 * ({@code RTM_NEWLINK}: {@link RtnetlinkReplies#parseLink} and {@link LinuxDevices#txQueueLength};
 * {@code RTM_NEWADDR}: {@link RtnetlinkReplies#parseAddress}; {@code RTM_NEWROUTE}:
 * {@link RtnetlinkRoutes#parseMain}).
 *
 * <p>The datagram is a heap buffer of exactly the received length, so a read past it throws
 * {@link IndexOutOfBoundsException}, which fails the test like any exception other than the backend's
 * {@link TunTapException}. The per-input timeout catches a loop. Seeds (in {@code RtnetlinkFuzzTestInputs})
 * are datagrams captured from a Linux kernel; see {@code scripts/fuzz-seeds}.
 */
class RtnetlinkFuzzTest {

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void replies(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        // The answer to the request whose sequence number the first message carries, as exchange() reads it.
        int seq = datagram.length >= 12 ? b.getInt(8) : 0;
        try {
            Rtnetlink.replies(b, datagram.length, seq, RtnetlinkFuzzTest::message);
        } catch (TunTapException expected) {
            // A malformed datagram is reported as one: the typed error the backend's callers handle.
        }
    }

    private static boolean message(ByteBuffer b, int type, int start, int end) {
        if (type == Rtnl.RTM_NEWLINK) {
            RtnetlinkReplies.parseLink(b, start, end);
            LinuxDevices.txQueueLength(b, start, end);
        } else if (type == Rtnl.RTM_NEWADDR) {
            RtnetlinkReplies.parseAddress(b, start, end, (index, address) -> { });
        } else if (type == Rtnl.RTM_NEWROUTE) {
            RtnetlinkRoutes.parseMain(b, start, end);
        }
        return true;
    }
}
